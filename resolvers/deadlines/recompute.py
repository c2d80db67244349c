"""Recomputing provisional deadlines once a year's official schedule is known.

A deadline in 工作日 is read back: the working days between its start and the old
deadline on the old calendar, counted again on the new one (so whatever moved it carries
over). A deadline in 日 cannot be read back (where its last day was moved to the next
working day is lost), so it is counted again from its parts: an appeal's time limit,
extensions and pauses (`limits.handling_deadline`), an acceptance decision's
limit, an assignment's time limit (and, for the lead, the appeal's extensions).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import AssignmentRole, EventKind, PetitionStatus, TimeUnit
from resolvers.access.policy import ACTIVE_ASSIGNMENT
from resolvers.deadlines.calendar import WorkingCalendar, end_of_day
from resolvers.deadlines.limits import acceptance_deadline, handling_deadline
from resolvers.deadlines.standing import on_acceptance_clock
from resolvers.events.timeline import record_system_event


def moved_deadline(
    start: datetime,
    due_at: datetime,
    before: WorkingCalendar,
    after: WorkingCalendar,
    tz: ZoneInfo,
) -> tuple[datetime, bool]:
    """The deadline `due_at` (counted from `start` on `before`) counted again on `after`.

    The number of working days is read back from the old deadline, so whatever moved
    it (an extension, a pause) is carried over unchanged.
    """
    start_day, due_day = start.astimezone(tz).date(), due_at.astimezone(tz).date()
    n = max(before.working_days_between(start_day, due_day), 0)
    new_day, provisional = after.working_days_after(start_day, n)
    return end_of_day(new_day, tz), provisional


async def recompute_provisional_deadlines(
    session: AsyncSession,
    *,
    before: WorkingCalendar,
    after: WorkingCalendar,
    tz: ZoneInfo,
    now: datetime,
) -> int:
    """Recompute every open appeal's and open assignment's provisional deadline; write a
    `DEADLINE_RECOMPUTED` event per change. Returns how many deadlines moved or firmed up."""
    changed = 0
    petitions = (
        await session.scalars(
            select(models.Petition).where(
                models.Petition.deadline_provisional,
                models.Petition.status != PetitionStatus.CLOSED,
            )
        )
    ).all()
    for petition in petitions:
        due_at, provisional = _petition_deadline(petition, before, after, tz)
        if on_acceptance_clock(petition):
            petition.acceptance_due_at = due_at
        if due_at != petition.due_at or provisional != petition.deadline_provisional:
            record_system_event(
                session,
                petition_id=petition.id,
                kind=EventKind.DEADLINE_RECOMPUTED,
                occurred_at=now,
                data=_change(petition.due_at, due_at, provisional, tz),
            )
            petition.due_at, petition.deadline_provisional = due_at, provisional
            changed += 1
    assignments = (
        await session.execute(
            select(models.Assignment, models.Petition)
            .join(models.Petition, models.Petition.id == models.Assignment.petition_id)
            .where(
                models.Assignment.deadline_provisional,
                models.Assignment.status.in_(ACTIVE_ASSIGNMENT),
            )
        )
    ).all()
    for assignment, of in assignments:
        due_at, provisional = _assignment_deadline(assignment, of, before, after, tz)
        if due_at != assignment.due_at or provisional != assignment.deadline_provisional:
            record_system_event(
                session,
                petition_id=assignment.petition_id,
                assignment_id=assignment.id,
                kind=EventKind.DEADLINE_RECOMPUTED,
                occurred_at=now,
                data=_change(assignment.due_at, due_at, provisional, tz),
            )
            assignment.due_at, assignment.deadline_provisional = due_at, provisional
            changed += 1
    await session.flush()
    return changed


def _petition_deadline(
    petition: models.Petition, before: WorkingCalendar, after: WorkingCalendar, tz: ZoneInfo
) -> tuple[datetime, bool]:
    if on_acceptance_clock(petition):
        due = acceptance_deadline(petition, after, tz)
        assert due is not None
        return due.due_at, due.provisional
    if petition.time_limit_unit is TimeUnit.CALENDAR_DAYS:
        due = handling_deadline(petition, after, tz)
        return due.due_at, due.provisional
    start = petition.handling_starts_at or petition.received_at
    return moved_deadline(start, petition.due_at, before, after, tz)


def _assignment_deadline(
    assignment: models.Assignment,
    petition: models.Petition,
    before: WorkingCalendar,
    after: WorkingCalendar,
    tz: ZoneInfo,
) -> tuple[datetime, bool]:
    if petition.time_limit_unit is not TimeUnit.CALENDAR_DAYS:
        return moved_deadline(assignment.assigned_at, assignment.due_at, before, after, tz)
    parts: list[tuple[int, TimeUnit]] = [(petition.time_limit_days, petition.time_limit_unit)]
    if assignment.role is AssignmentRole.LEAD:
        parts.append((petition.extension_days, petition.extension_unit or TimeUnit.CALENDAR_DAYS))
    day, provisional = after.count_all(assignment.assigned_at.astimezone(tz).date(), parts)
    return end_of_day(day, tz), provisional


def _change(old: datetime, new: datetime, provisional: bool, tz: ZoneInfo) -> dict[str, object]:
    return {
        "from": old.astimezone(tz).isoformat(),
        "to": new.astimezone(tz).isoformat(),
        "provisional": provisional,
    }
