"""One appeal's life, from registration to closure, as a list of timed steps.

`Life` collects the steps in their logical order and keeps their times strictly
increasing; `appeals` cuts the life at the demo's "now" and derives the appeal's
state from the steps that happened by then.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from db.models import AssignmentRole, EventKind, PetitionStatus

OPENS, CLOSES = time(8, 30), time(18, 0)
SECOND = timedelta(seconds=1)
AT = object()  # in a step's fields: "the time of this step"


def minutes(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(minutes=rng.uniform(low, high))


def office(t: datetime, rng: random.Random) -> datetime:
    """`t` if it falls in office hours on a weekday, else soon after the next opening."""
    if t.weekday() < 5 and OPENS <= t.time() < CLOSES:
        return t
    day = t.date() if t.time() < OPENS else t.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    opening = datetime.combine(day, OPENS, tzinfo=t.tzinfo)
    return opening + minutes(rng, 0, 90)


@dataclass
class Step:
    at: datetime
    kind: EventKind
    org: str  # the acting organisation's code
    assignment: int | None  # index into Life.assignments
    data: dict[str, Any]
    status: PetitionStatus | None  # the appeal's status after this step, if it changes
    petition: dict[str, Any] | None  # fields of the appeal this step sets
    assignment_fields: dict[str, Any] | None  # fields of its assignment this step sets


@dataclass
class PlannedAssignment:
    org: str
    role: AssignmentRole
    assigned_by: str
    assigned_at: datetime
    due_at: datetime
    provisional: bool
    instructions: str


@dataclass
class Life:
    last: datetime  # the time of the latest step (before the first: a second before it)
    steps: list[Step] = field(default_factory=list)
    assignments: list[PlannedAssignment] = field(default_factory=list)
    closed_at: datetime | None = None

    def add(
        self,
        at: datetime,
        kind: EventKind,
        org: str,
        *,
        assignment: int | None = None,
        data: dict[str, Any] | None = None,
        status: PetitionStatus | None = None,
        petition: dict[str, Any] | None = None,
        assignment_fields: dict[str, Any] | None = None,
    ) -> datetime:
        """Append a step no earlier than a second after the one before; return its time."""
        at = at.replace(microsecond=0)
        if at <= self.last:
            at = self.last.replace(microsecond=0) + SECOND
        self.last = at
        if petition:
            petition = {k: at if v is AT else v for k, v in petition.items()}
        if assignment_fields:
            assignment_fields = {k: at if v is AT else v for k, v in assignment_fields.items()}
        self.steps.append(
            Step(at, kind, org, assignment, data or {}, status, petition, assignment_fields)
        )
        return at

    @property
    def status(self) -> PetitionStatus:
        """The appeal's status after the latest step that changed it."""
        return next(s.status for s in reversed(self.steps) if s.status is not None)

    def assign(self, planned: PlannedAssignment) -> int:
        self.assignments.append(planned)
        return len(self.assignments) - 1
