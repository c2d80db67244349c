"""How an appeal stands against its deadline: clock running, due soon, overdue.

One rule, written twice only in form: as SQL for lists, counts, the figures and the
watcher, and as Python for the badge a page shows beside one appeal. Both read the
same threshold, so a list filtered "due soon" and the badges on it agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_

from db import models
from db.models import AWAITING_ANSWER, PetitionStatus
from resolvers.access.policy import ACTIVE_ASSIGNMENT
from resolvers.deadlines.calendar import end_of_day
from resolvers.services import Services

# Due soon: the deadline falls by the end of this many working days after today.
DUE_SOON_WORKING_DAYS = 1


def due_soon_until(now: datetime, services: Services) -> datetime:
    """Deadlines up to this moment are due soon (the end of the next working day)."""
    today = now.astimezone(services.tz).date()
    last, _ = services.calendar.working_days_after(today, DUE_SOON_WORKING_DAYS)
    return end_of_day(last, services.tz)


def clock_running() -> ColumnElement[bool]:
    """Appeals whose clock runs: awaiting an answer and not suspended."""
    p = models.Petition
    return and_(p.status.in_(AWAITING_ANSWER), p.suspended_at.is_(None))


def on_acceptance_clock(petition: models.Petition) -> bool:
    """Whether the appeal's running deadline (`due_at`) is its acceptance decision's: a
    category with an acceptance time limit (a formal 信访事项), not yet accepted."""
    return petition.acceptance_due_at is not None and petition.accepted_at is None


def acceptance_clock() -> ColumnElement[bool]:
    """`on_acceptance_clock` as SQL (the watcher keeps each clock's alerts apart)."""
    p = models.Petition
    return and_(p.acceptance_due_at.is_not(None), p.accepted_at.is_(None))


def overdue(now: datetime) -> ColumnElement[bool]:
    """Appeals past their deadline with the clock running."""
    return and_(clock_running(), models.Petition.due_at < now)


def due_soon(now: datetime, services: Services) -> ColumnElement[bool]:
    """Appeals not yet overdue whose deadline falls within `due_soon_until`."""
    p = models.Petition
    return and_(clock_running(), p.due_at >= now, p.due_at <= due_soon_until(now, services))


@dataclass(frozen=True)
class Badge:
    """A deadline in working days: `left` (0 = due today), `soon`, `overdue`, `paused`
    (the working days kept while suspended) or `done` — and whose deadline it is
    (`clock`): the appeal's handling (`HANDLING`), its acceptance decision's
    (`ACCEPTANCE`), or one assignment's (`ASSIGNMENT`)."""

    kind: str
    days: int = 0
    clock: str = "HANDLING"


def badge(petition: models.Petition, services: Services, now: datetime) -> Badge:
    """How one appeal stands against its deadline, by the same rule as the SQL above."""
    clock = "ACCEPTANCE" if on_acceptance_clock(petition) else "HANDLING"
    if petition.status is PetitionStatus.SUSPENDED or petition.suspended_at is not None:
        return Badge("paused", petition.suspended_days_left or 0, clock)
    if petition.status not in AWAITING_ANSWER:
        return Badge("done", clock=clock)
    return _against(petition.due_at, services, now, clock)


def assignment_badge(
    assignment: models.Assignment, petition: models.Petition, services: Services, now: datetime
) -> Badge:
    """How one active assignment stands against its own deadline (the watcher's rule for
    assignments: active, the appeal not suspended)."""
    if assignment.status not in ACTIVE_ASSIGNMENT:
        return Badge("done", clock="ASSIGNMENT")
    if petition.suspended_at is not None:
        return Badge("paused", clock="ASSIGNMENT")
    return _against(assignment.due_at, services, now, "ASSIGNMENT")


def _against(due_at: datetime, services: Services, now: datetime, clock: str) -> Badge:
    today = now.astimezone(services.tz).date()
    due = due_at.astimezone(services.tz).date()
    if due_at < now:
        days = max(services.calendar.working_days_between(due, today), 0)
        return Badge("overdue", days, clock)
    days = max(services.calendar.working_days_between(today, due), 0)
    return Badge("soon" if due_at <= due_soon_until(now, services) else "left", days, clock)
