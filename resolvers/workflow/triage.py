"""Triage: acceptance (受理), classification, notes, and backlog cases (积案)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import AssignmentRole, Category, DeadlineStart, EventKind, Matter
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.deadlines.limits import Limit, acceptance_deadline, handling_deadline
from resolvers.deadlines.policies import acceptance_limit, handling_limit
from resolvers.deadlines.standing import on_acceptance_clock
from resolvers.errors import BadUserInput
from resolvers.services import Services
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action

MAX_NOTE = 2000


async def accept_petition(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    accepted_at: datetime | None = None,
) -> models.Petition:
    """受理: take the appeal on.

    The first acceptance ends the acceptance clock and, for a time limit counted from
    acceptance (a formal 信访事项: 60 日), starts the handling clock on the day of
    `accepted_at` (a decision recorded afterwards; by default now).
    """
    check_accepted_at(accepted_at, now)

    async def change(step: Step) -> None:
        accept(step, accepted_at)

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


def check_accepted_at(accepted_at: datetime | None, now: datetime) -> None:
    if accepted_at is not None:
        if accepted_at.tzinfo is None:
            raise BadUserInput("acceptedAt needs a time zone offset", field="acceptedAt")
        if accepted_at > now + timedelta(minutes=1):
            raise BadUserInput("acceptedAt may not be in the future", field="acceptedAt")


def accept(step: Step, accepted_at: datetime | None) -> None:
    """The acceptance itself, inside a step (`accept_petition`, dispatch, intake)."""
    p = step.petition
    step.move(Action.ACCEPT)
    data: dict[str, Any] = {}
    if p.accepted_at is None:
        at = accepted_at or step.now
        if at < p.received_at:
            raise BadUserInput(
                "acceptedAt may not be before the appeal was received", field="acceptedAt"
            )
        recount = on_acceptance_clock(p) or p.time_limit_from is DeadlineStart.ACCEPTANCE
        p.accepted_at = at
        if p.time_limit_from is DeadlineStart.ACCEPTANCE:
            p.handling_starts_at = at
        if recount:
            due = handling_deadline(p, step.services.calendar, step.services.tz)
            p.due_at, p.deadline_provisional = due.due_at, due.provisional
            data["dueAt"] = p.due_at.isoformat()
        data["acceptedAt"] = at.isoformat()
    step.event(EventKind.ACCEPTED, data)


async def classify_petition(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    category: Category | None = None,
    matter: Matter | None = None,
) -> models.Petition:
    """Set the category and matter; a new category takes that category's time limits and
    recomputes the deadline from the day it counts from."""
    if category is None and matter is None:
        raise BadUserInput("give a category, a matter or both", field="category")

    limit = await handling_limit(session, category) if category is not None else None
    acceptance = await acceptance_limit(session, category) if category is not None else None

    async def change(step: Step) -> None:
        step.move(Action.CLASSIFY)
        p = step.petition
        data: dict[str, Any] = {}
        if matter is not None and matter is not p.matter:
            data["matter"] = {"from": p.matter.name, "to": matter.name}
            p.matter = matter
        if category is not None and category is not p.category:
            data["category"] = {"from": p.category.name, "to": category.name}
            p.category = category
            assert limit is not None
            _take_limits(step, limit, acceptance)
            data["dueAt"] = p.due_at.isoformat()
        step.event(EventKind.CLASSIFIED, data)

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


def _take_limits(step: Step, limit: Limit, acceptance: Limit | None) -> None:
    """The appeal takes a category's time limits; its deadline is counted again."""
    p = step.petition
    p.time_limit_days, p.time_limit_unit, p.time_limit_from = (
        limit.days,
        limit.unit,
        limit.counts_from,
    )
    leads = [a.assigned_at for a in step.assignments if a.role is AssignmentRole.LEAD]
    p.handling_starts_at = {
        DeadlineStart.RECEIPT: p.received_at,
        DeadlineStart.ACCEPTANCE: p.accepted_at,
        DeadlineStart.ASSIGNMENT: leads[0] if leads else None,
    }.get(limit.counts_from)
    first = None
    if p.accepted_at is None:
        p.acceptance_limit_days = acceptance.days if acceptance else None
        p.acceptance_limit_unit = acceptance.unit if acceptance else None
        first = acceptance_deadline(p, step.services.calendar, step.services.tz)
        p.acceptance_due_at = first.due_at if first else None
    calendar, tz = step.services.calendar, step.services.tz
    due = first if first is not None else handling_deadline(p, calendar, tz)
    p.due_at, p.deadline_provisional = due.due_at, due.provisional


async def add_note(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    text: str,
) -> models.Petition:
    """Add a note to the timeline."""
    text = validation.text(text, "text", max_length=MAX_NOTE)

    async def change(step: Step) -> None:
        step.move(Action.ADD_NOTE)
        step.event(EventKind.NOTE_ADDED, {"text": text})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def mark_backlog(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    owner: str,
) -> models.Petition:
    """列为积案: flag a long-running case and name who owns it."""
    owner = validation.text(owner, "owner", max_length=64)

    async def change(step: Step) -> None:
        step.move(Action.MARK_BACKLOG)
        step.petition.backlog = True
        step.petition.backlog_owner = owner
        step.event(EventKind.BACKLOG_MARKED, {"owner": owner})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def clear_backlog(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime, ref: PetitionRef
) -> models.Petition:
    """积案销号: the backlog case is settled."""

    async def change(step: Step) -> None:
        step.move(Action.CLEAR_BACKLOG)
        owner = step.petition.backlog_owner
        step.petition.backlog = False
        step.petition.backlog_owner = None
        step.event(EventKind.BACKLOG_CLEARED, {"owner": owner})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )
