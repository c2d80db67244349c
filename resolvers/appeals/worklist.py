"""The staff worklist: appeals in the slice, sorted by receipt or deadline, keyset pages;
the petitioner's earlier appeals at intake; the actions a caller may take on one appeal."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from resolvers.access.authority import may
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_scope
from resolvers.appeals.reading import PetitionFilter, scoped_petitions
from resolvers.deadlines import standing
from resolvers.errors import BadUserInput
from resolvers.pagination import Page, decode_time_id_cursor, encode_cursor
from resolvers.services import Services
from resolvers.workflow.steps import caller_standing
from resolvers.workflow.transitions import Action, allowed_actions


class Order(enum.Enum):
    """How a worklist is sorted: newest received first, or soonest due first."""

    RECEIVED = "received"
    DUE = "due"


@dataclass
class Worklist:
    """A worklist's narrowing beyond `PetitionFilter`."""

    where: PetitionFilter
    due_soon: bool = False
    order: Order = Order.RECEIVED


async def list_worklist(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    worklist: Worklist,
    first: int,
    after: str | None,
    now: datetime,
) -> Page[models.Petition]:
    """A keyset page of the worklist within the caller's slice."""
    p = models.Petition
    statement = _narrowed(caller, services, worklist, now)
    key = p.received_at if worklist.order is Order.RECEIVED else p.due_at
    if after:
        try:
            at, ident = decode_time_id_cursor(after)
        except BadUserInput:
            raise BadUserInput("not a cursor this page gave out", field="after") from None
        if worklist.order is Order.RECEIVED:
            statement = statement.where(tuple_(key, p.id) < tuple_(at, ident))
        else:
            statement = statement.where(tuple_(key, p.id) > tuple_(at, ident))
    if worklist.order is Order.RECEIVED:
        statement = statement.order_by(key.desc(), p.id.desc())
    else:
        statement = statement.order_by(key.asc(), p.id.asc())
    rows = list((await session.scalars(statement.limit(first + 1))).all())
    has_next = len(rows) > first
    rows = rows[:first]
    sort_key = (lambda r: r.received_at) if worklist.order is Order.RECEIVED else (
        lambda r: r.due_at)
    return Page(rows, [encode_cursor(sort_key(r), r.id) for r in rows], has_next)


def _narrowed(caller: Caller, services: Services, worklist: Worklist, now: datetime) -> Select:  # type: ignore[type-arg]
    statement = scoped_petitions(caller, worklist.where, now)
    if worklist.due_soon:
        statement = statement.where(standing.due_soon(now, services))
    return statement


async def count_worklist(
    *, session: AsyncSession, caller: Caller, services: Services, worklist: Worklist,
    now: datetime,
) -> int:
    """How many appeals the worklist holds."""
    ids = _narrowed(caller, services, worklist, now).with_only_columns(models.Petition.id)
    return int((await session.execute(
        select(func.count()).select_from(ids.subquery()))).scalar_one())


async def earlier_appeals(
    *, session: AsyncSession, caller: Caller, id_hash: str, limit: int = 10
) -> list[models.Petition]:
    """The appeals of the petitioner with this keyed ID hash, newest first, in the slice."""
    statement = (
        petition_scope(select(models.Petition), caller)
        .join(models.Petitioner, models.Petitioner.id == models.Petition.petitioner_id)
        .where(models.Petitioner.id_hash == id_hash)
        .order_by(models.Petition.received_at.desc(), models.Petition.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(statement)).all())


async def available_actions(
    *,
    session: AsyncSession,
    caller: Caller,
    petition: models.Petition,
    assignments: list[models.Assignment],
) -> list[Action]:
    """The steps `caller` may take now: legal from the appeal's status, and allowed by
    `resolvers.access.authority` for the caller's standing and roles. A page shows only these."""
    if "petitions:write" not in caller.scopes:
        return []
    standing = await caller_standing(session, caller, petition, assignments)
    return [action for action in allowed_actions(petition.status)
            if may(caller, action, standing)]


