"""The demo's 访调心裁 chains, derived from the generated appeals.

An appeal whose lead is a mediator (the labour mediation committee, 阿潘调解工作室, the
non-litigation base, a site's mediation room, the metro centre) gets a mediation case
opened when it was assigned, with its sessions and, by the appeal's end, an outcome:
an agreement (labour ones with an amount, a third paid in instalments) when the appeal
was resolved, no agreement when it was not — and then, for half the labour ones, an
arbitration case, some of whose awards go on to court and are judged there. A metro
site's disputes are tried at the site tier first; those led by the metro centre got
there when the site tier's limit passed. Some studio agreements are judicially confirmed by the court
station. Labour appeals at a project's site station name the project and its firms.
Every step is an event on the appeal's timeline, as the live steps write them.

Stage by stage: `parties`, `mediation` (with its metro tiers), `agreement`,
`confirmation`, `arbitration`, `litigation`; `context` holds what they share. This
module ties them together, and adds the credit records (`db/demo/credit.py`).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from db.demo import credit
from db.demo.chains.context import MEDIATORS, TABLES, Chains, Places
from db.demo.chains.mediation import open_mediation
from db.demo.chains.parties import name_parties
from db.demo.world import Output
from db.models import AssignmentRole

__all__ = ["TABLES", "Chains", "Places", "add_chains", "places_for"]


def add_chains(
    out: Output,
    places: Places,
    rng: random.Random,
    first: dict[str, int],
    end: datetime,
    shift: Callable[[datetime, int], tuple[datetime, bool]],
) -> Chains:
    """Add the chains (rows and timeline events) for the appeals in `out`."""
    chains = Chains(out=out, places=places, rng=rng, end=end, shift=shift, ids=dict(first))
    petitions = {p["id"]: p for p in out.petitions}
    leads: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in out.assignments:
        if a["role"] is AssignmentRole.LEAD:
            leads[a["petition_id"]].append(a)
    for row in out.petitions:
        row.setdefault("project_id", None)
    for petition_id, assigned in sorted(leads.items()):
        petition = petitions[petition_id]
        lead = min(assigned, key=lambda a: a["assigned_at"])
        code = places.org_codes[lead["organisation_id"]]
        if code not in MEDIATORS and code not in places.rooms:
            continue
        named = name_parties(chains, petition)
        opened = lead["assigned_at"] + timedelta(minutes=rng.uniform(20, 240))
        if opened >= end:
            continue
        case_id = open_mediation(chains, petition, code, lead, opened)
        for enterprise_id, role in named:
            chains.rows["mediation_parties"].append(
                {
                    "id": chains.new_id("mediation_parties"),
                    "case_id": case_id,
                    "enterprise_id": enterprise_id,
                    "role": role,
                }
            )
    firms = [e for named in places.firms_by_project.values() for e, _ in named]
    credit.add_credit(
        chains.rows,
        petitions,
        places.org_ids,
        [*firms, *places.employers],
        chains.new_id,
        chains.event,
        end,
    )
    return chains


def places_for(
    organisations: list[dict[str, Any]],
    projects: list[dict[str, Any]],
    project_enterprises: list[dict[str, Any]],
    enterprises: list[dict[str, Any]],
    metro_stations: set[str],
) -> Places:
    """What `add_chains` needs, from the demo's static rows."""
    org_ids = {o["code"]: o["id"] for o in organisations}
    rooms = {o["code"] for o in organisations if o["code"].endswith("-MR")}
    metro_rooms = {r for r in rooms if r.removesuffix("-MR") in metro_stations}
    firms: dict[int, list[tuple[int, str]]] = defaultdict(list)
    on_projects: set[int] = set()
    for pe in project_enterprises:
        firms[pe["project_id"]].append((pe["enterprise_id"], pe["role"]))
        on_projects.add(pe["enterprise_id"])
    return Places(
        org_ids=org_ids,
        org_codes={i: c for c, i in org_ids.items()},
        rooms=rooms,
        metro_rooms=metro_rooms,
        projects_by_station={p["station_id"]: p for p in projects},
        firms_by_project=dict(firms),
        employers=[e["id"] for e in enterprises if e["id"] not in on_projects],
    )
