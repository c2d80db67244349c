"""What every stage of the demo's chains works with: the places, and the chains being
built (their rows, ids, case numbers and timeline events)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from db.demo import credit
from db.demo.world import Output
from db.models import EventKind, Matter, MediationKind

MEDIATORS = {
    "PS-LMC": MediationKind.ADMINISTRATIVE,
    "PS-APAN": MediationKind.SOCIAL,
    "PS-NLB": MediationKind.JUDICIAL,
    "PS-METRO": MediationKind.SOCIAL,
}
LABOUR = (Matter.LABOUR_WAGES, Matter.LABOUR_CONTRACT)
TABLES = (
    "mediation_cases",
    "mediation_sessions",
    "mediation_tiers",
    "instalments",
    "payments",
    "arbitration_cases",
    "litigation_cases",
    "petition_parties",
    "mediation_parties",
    *credit.TABLES,
)


@dataclass
class Places:
    org_ids: dict[str, int]
    org_codes: dict[int, str]
    rooms: set[str]  # site mediation rooms
    metro_rooms: set[str]  # those on a metro project's site
    projects_by_station: dict[int, dict[str, Any]]
    firms_by_project: dict[int, list[tuple[int, str]]]  # (enterprise id, role)
    employers: list[int]  # enterprises off the projects


@dataclass
class Chains:
    """The chains' rows, ready for bulk insert (ids computed here), and what every stage
    needs to write them: the places, the dice, the demo's end and its deadline arithmetic."""

    out: Output
    places: Places
    rng: random.Random
    end: datetime
    shift: Callable[[datetime, int], tuple[datetime, bool]]
    ids: dict[str, int]  # the next id of each table
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLES})
    taken: dict[int, set[datetime]] = field(default_factory=lambda: defaultdict(set))

    def __post_init__(self) -> None:
        for at, petition_id, _, _ in self.out.events:
            self.taken[petition_id].add(at)

    def new_id(self, table: str) -> int:
        ident = self.ids[table]
        self.ids[table] += 1
        return ident

    def event(
        self,
        at: datetime,
        petition: dict[str, Any],
        kind: EventKind,
        org: str | None,
        data: dict[str, Any],
    ) -> None:
        """Add an event to the appeal's timeline."""
        # one moment, one event of an appeal (its timeline is in strict time order), and
        # the demo's appeals count a version per event
        while at in self.taken[petition["id"]]:
            at += timedelta(seconds=1)
        self.taken[petition["id"]].add(at)
        petition["version"] += 1
        self.out.events.append(
            (
                at,
                petition["id"],
                len(self.out.events),
                {
                    "petition_id": petition["id"],
                    "assignment_id": None,
                    "kind": kind,
                    "occurred_at": at,
                    "actor_user_id": None,
                    "actor_client_id": None,
                    "organisation_id": self.places.org_ids[org] if org else None,
                    "data": data,
                },
            )
        )

    def number(self, prefix: str, at: datetime) -> str:
        """The next case number of the year, e.g. `PS-TJ-2026-00042`."""
        name = f"{prefix}-{at.year}"
        self.out.sequences[name] = self.out.sequences.get(name, 0) + 1
        return f"{name}-{self.out.sequences[name]:05d}"
