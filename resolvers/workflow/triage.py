"""Triage: acceptance (受理), classification, notes, and backlog cases (积案)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import Category, EventKind, Matter
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.deadlines.policies import handling_limit
from resolvers.errors import BadUserInput
from resolvers.services import Services
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action

MAX_NOTE = 2000


async def accept_petition(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime, ref: PetitionRef
) -> models.Petition:
    """受理: take the appeal on."""

    async def change(step: Step) -> None:
        step.move(Action.ACCEPT)
        step.event(EventKind.ACCEPTED)

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


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
    """Set the category and matter; a new category recomputes the deadline from receipt."""
    if category is None and matter is None:
        raise BadUserInput("give a category, a matter or both", field="category")

    limit = await handling_limit(session, category) if category is not None else None

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
            p.time_limit_days = limit
            working_days = p.time_limit_days + p.extension_days + p.paused_working_days
            p.due_at, p.deadline_provisional = step.deadline_after(p.received_at, working_days)
            data["dueAt"] = p.due_at.isoformat()
        step.event(EventKind.CLASSIFIED, data)

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


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
        if not step.petition.backlog:
            raise BadUserInput("the appeal is not a backlog case")
        owner = step.petition.backlog_owner
        step.petition.backlog = False
        step.petition.backlog_owner = None
        step.event(EventKind.BACKLOG_CLEARED, {"owner": owner})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )
