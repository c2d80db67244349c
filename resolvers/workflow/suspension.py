"""The appeal's clock: suspension (挂起, the clock paused) and extension (延期).

A suspension keeps the working days left to the deadline; resuming pushes the
deadline that many working days from the day of resumption. An approved
extension moves the deadline by its working days, at most 30 in all
(信访工作条例 2022, art. 35).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import AssignmentRole, EventKind
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.deadlines.calendar import end_of_day
from resolvers.errors import BadUserInput
from resolvers.services import Services
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action

MAX_EXTENSION_DAYS = 30
MAX_REASON = 1000


def _moved(step: Step, due_at: datetime, working_days: int) -> tuple[datetime, bool]:
    """`due_at` moved `working_days` working days later (same time of day: end of day)."""
    calendar, tz = step.services.calendar, step.services.tz
    day, provisional = calendar.working_days_after(step.local_day(due_at), working_days)
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
        left = services.calendar.working_days_between(step.local_day(now), step.local_day(p.due_at))
        p.suspended_from = before
        p.suspended_at = now
        p.suspended_days_left = max(left, 0)
        step.event(EventKind.SUSPENDED, {"reason": reason, "workingDaysLeft": max(left, 0)})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def resume_petition(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime, ref: PetitionRef
) -> models.Petition:
    """恢复: restart the clock with the working days that were left at suspension; the
    active assignments' deadlines move by the working days the appeal stood still."""

    async def change(step: Step) -> None:
        p = step.petition
        step.move(Action.RESUME)
        left = p.suspended_days_left or 0
        old_day = step.local_day(p.due_at)
        p.due_at, p.deadline_provisional = _moved(step, now, left)
        paused = max(services.calendar.working_days_between(old_day, step.local_day(p.due_at)), 0)
        p.paused_working_days += paused
        # The assignees' clocks stood still with the appeal's: theirs move as far.
        for assignment in step.active():
            assignment.due_at, assignment.deadline_provisional = _moved(
                step, assignment.due_at, paused)
        p.suspended_from = None
        p.suspended_at = None
        p.suspended_days_left = None
        step.event(EventKind.RESUMED, {"workingDaysLeft": left, "dueAt": p.due_at.isoformat()})

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
    """申请延期: the lead asks for more working days."""
    validation.whole_number(days, "days", low=1, high=MAX_EXTENSION_DAYS)
    reason = validation.text(reason, "reason", max_length=MAX_REASON)

    async def change(step: Step) -> None:
        p = step.petition
        step.move(Action.REQUEST_EXTENSION)
        if p.extension_requested_days is not None:
            raise BadUserInput("an extension request is already waiting for a decision")
        if p.extension_days + days > MAX_EXTENSION_DAYS:
            raise BadUserInput(
                "extensions may add at most {most} working days in all ({granted} granted so far)",
                field="days", params={"most": MAX_EXTENSION_DAYS, "granted": p.extension_days},
            )
        p.extension_requested_days = days
        p.extension_reason = reason
        step.event(EventKind.EXTENSION_REQUESTED, {"days": days, "reason": reason})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


def _pending_days(step: Step) -> int:
    days = step.petition.extension_requested_days
    if days is None:
        raise BadUserInput("no extension request is waiting")
    return days


async def approve_extension(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime, ref: PetitionRef
) -> models.Petition:
    """批准延期: move the deadline (and the lead's) by the requested working days."""

    async def change(step: Step) -> None:
        p = step.petition
        step.move(Action.APPROVE_EXTENSION)
        days = _pending_days(step)
        p.due_at, p.deadline_provisional = _moved(step, p.due_at, days)
        for lead in step.active(AssignmentRole.LEAD):
            lead.due_at, lead.deadline_provisional = _moved(step, lead.due_at, days)
        p.extension_days += days
        p.extension_requested_days = None
        p.extension_reason = None
        step.event(EventKind.EXTENSION_APPROVED, {"days": days, "dueAt": p.due_at.isoformat()})

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
