"""The appeal's clock: suspension (挂起, the clock paused) and extension (延期).

Both work in the unit of the appeal's time limit (工作日, or 日 for a formal 信访事项).
A suspension keeps the days left to the deadline; resuming sets the deadline that
many days from the day of resumption. An approved extension moves the deadline on
from the old one, by at most what the category's EXTENSION policy allows in all
(a formal 信访事项: 30 日, 信访工作条例 2022, art. 35), in that policy's unit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import AssignmentRole, EventKind, TimeUnit
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.deadlines.calendar import MAX_DAYS, end_of_day
from resolvers.deadlines.policies import extension_limit
from resolvers.services import Services
from resolvers.workflow import readiness
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action

MAX_REASON = 1000


def _moved(step: Step, due_at: datetime, days: int, unit: TimeUnit) -> tuple[datetime, bool]:
    """`due_at` moved `days` `unit`s on, counted from its day (that day not counted)."""
    calendar, tz = step.services.calendar, step.services.tz
    day, provisional = calendar.count(step.local_day(due_at), days, unit)
    return end_of_day(day, tz), provisional


async def suspend_petition(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    reason: str,
) -> models.Petition:
    """挂起: pause the appeal and its clock, saying why."""
    reason = validation.text(reason, "reason", max_length=MAX_REASON)

    async def change(step: Step) -> None:
        p = step.petition
        before = p.status
        step.move(Action.SUSPEND)
        unit = p.time_limit_unit
        left = services.calendar.between(step.local_day(now), step.local_day(p.due_at), unit)
        p.suspended_from = before
        p.suspended_at = now
        p.suspended_days_left = max(left, 0)
        step.event(EventKind.SUSPENDED, {"reason": reason, **_left(unit, max(left, 0))})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def resume_petition(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime, ref: PetitionRef
) -> models.Petition:
    """恢复: restart the clock with the days that were left at suspension; the active
    assignments' deadlines move by the days the appeal stood still."""

    async def change(step: Step) -> None:
        p = step.petition
        step.move(Action.RESUME)
        left, unit = p.suspended_days_left or 0, p.time_limit_unit
        old_day = step.local_day(p.due_at)
        p.due_at, p.deadline_provisional = _moved(step, now, left, unit)
        paused = max(services.calendar.between(old_day, step.local_day(p.due_at), unit), 0)
        p.paused_days += paused
        # The assignees' clocks stood still with the appeal's: theirs move as far.
        for assignment in step.active():
            assignment.due_at, assignment.deadline_provisional = _moved(
                step, assignment.due_at, paused, unit
            )
        p.suspended_from = None
        p.suspended_at = None
        p.suspended_days_left = None
        step.event(EventKind.RESUMED, {**_left(unit, left), "dueAt": p.due_at.isoformat()})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def request_extension(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    days: int,
    reason: str,
) -> models.Petition:
    """申请延期: the lead asks for more time, in the unit of the category's EXTENSION
    policy, which caps what extensions may add in all."""
    validation.whole_number(days, "days", low=1, high=MAX_DAYS)
    reason = validation.text(reason, "reason", max_length=MAX_REASON)

    async def change(step: Step) -> None:
        p = step.petition
        await readiness.take(step, Action.REQUEST_EXTENSION)
        refused = await readiness.extension_refusal(step, days)
        if refused is not None:
            raise refused
        p.extension_requested_days = days
        p.extension_reason = reason
        step.event(EventKind.EXTENSION_REQUESTED, {"days": days, "reason": reason})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


def _left(unit: TimeUnit, left: int) -> dict[str, int]:
    """What a suspension keeps, named by its unit (the timeline shows it)."""
    return {"workingDaysLeft" if unit is TimeUnit.WORKING_DAYS else "daysLeft": left}


def _pending_days(step: Step) -> int:
    days = step.petition.extension_requested_days
    assert days is not None  # the precondition: a request is waiting
    return days


async def approve_extension(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime, ref: PetitionRef
) -> models.Petition:
    """批准延期: move the deadline (and the lead's) on by the requested days, in the unit
    of the EXTENSION policy (counted from the old deadline, that day not counted)."""

    async def change(step: Step) -> None:
        p = step.petition
        step.move(Action.APPROVE_EXTENSION)
        days = _pending_days(step)
        cap = await extension_limit(step.session, p.category)
        unit = p.extension_unit or (cap.unit if cap else p.time_limit_unit)
        p.due_at, p.deadline_provisional = _moved(step, p.due_at, days, unit)
        for lead in step.active(AssignmentRole.LEAD):
            lead.due_at, lead.deadline_provisional = _moved(step, lead.due_at, days, unit)
        p.extension_days += days
        p.extension_unit = unit
        p.extension_requested_days = None
        p.extension_reason = None
        step.event(
            EventKind.EXTENSION_APPROVED,
            {"days": days, "unit": unit.name, "dueAt": p.due_at.isoformat()},
        )

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def reject_extension(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    reason: str | None = None,
) -> models.Petition:
    """驳回延期: the deadline stays."""
    why = validation.text(reason, "reason", required=False, max_length=MAX_REASON)

    async def change(step: Step) -> None:
        p = step.petition
        step.move(Action.REJECT_EXTENSION)
        days = _pending_days(step)
        p.extension_requested_days = None
        p.extension_reason = None
        step.event(EventKind.EXTENSION_REJECTED, {"days": days, "reason": why})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )
