"""The stream's reads: where a caller's stream starts, and its events through its slice.

Every read goes through `petition_filter(caller)`, in id order, with the appeal and the
acting organisation joined (a subscriber's nested fields start from these). The feed
(`resolvers/events/feed.py`) uses the same statement for all the slices at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import EventKind
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_filter
from resolvers.appeals.repeats import shown_repeat_data
from resolvers.errors import BadUserInput
from resolvers.pagination import decode_cursor

SCOPE = "events:subscribe"
BATCH = 100


@dataclass(frozen=True)
class Delivery:
    """One event as read for the stream, with its appeal and acting organisation as
    they were at that read (a subscriber's nested fields start from these)."""

    event: models.PetitionEvent
    petition: models.Petition
    organisation: models.Organisation | None
    # What a door rendered of it for the slice's subscribers, by what was asked: the feed
    # makes one Delivery per slice and event, so every subscriber of the slice shares it.
    rendered: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)


async def disclosed(
    session: AsyncSession, caller: Caller, deliveries: list[Delivery]
) -> list[Delivery]:
    """The deliveries as `caller` is shown them (repeats within its slice,
    `resolvers/appeals/repeats.py`). An event shown differently is a copy: the feed's
    rows are shared by every slice."""
    changed = await shown_repeat_data(session, caller, [d.event for d in deliveries])
    if not changed:
        return deliveries
    shown = []
    for delivery in deliveries:
        if delivery.event.id not in changed:
            shown.append(delivery)
            continue
        data = changed[delivery.event.id]
        if data is None:
            continue
        stored = delivery.event
        copy = models.PetitionEvent(
            **{
                column.key: getattr(stored, column.key)
                for column in models.PetitionEvent.__mapper__.column_attrs
            }
        )
        copy.data = data
        shown.append(Delivery(copy, delivery.petition, delivery.organisation))
    return shown


async def newest_event_id(session: AsyncSession) -> int:
    """The id of the newest committed event (0 when there is none)."""
    return int(await session.scalar(select(func.max(models.PetitionEvent.id))) or 0)


async def starting_point(
    *, session: AsyncSession, caller: Caller, after: str | None, field: str = "after"
) -> int:
    """Where a caller's stream starts: after the event `after` names, or after the
    newest event when it names none.

    A cursor must be one this API gave the caller: an event in its slice. Anything
    else, malformed or not, is the same `BAD_USER_INPUT`.
    """
    caller.require_scope(SCOPE)
    if after is None:
        return await newest_event_id(session)
    parts = decode_cursor(after, field)
    try:
        (raw,) = parts
        event_id = validation.digits(raw, field)
    except (ValueError, BadUserInput):
        raise BadUserInput("not a cursor this API gave out", field=field) from None
    known = await session.scalar(
        select(models.PetitionEvent.id)
        .join(models.Petition, models.Petition.id == models.PetitionEvent.petition_id)
        .where(models.PetitionEvent.id == event_id, petition_filter(caller))
    )
    if known is None:
        raise BadUserInput("not a cursor this API gave out", field=field)
    return event_id


def deliveries(*columns: ColumnElement[bool]) -> Select:  # type: ignore[type-arg]
    event, organisation = models.PetitionEvent, models.Organisation
    return (
        select(event, models.Petition, organisation, *columns)
        .join(models.Petition, models.Petition.id == event.petition_id)
        .outerjoin(organisation, organisation.id == event.organisation_id)
        .order_by(event.id)
    )


async def read_deliveries(
    session: AsyncSession,
    caller: Caller,
    *,
    after: int,
    upto: int,
    kinds: Iterable[EventKind] | None = None,
    petition_id: int | None = None,
    limit: int = BATCH,
) -> list[Delivery]:
    """Events with `after < id <= upto` in the caller's slice, oldest first."""
    event = models.PetitionEvent
    statement = (
        deliveries().where(event.id > after, event.id <= upto, petition_filter(caller)).limit(limit)
    )
    wanted = list(kinds or [])
    if wanted:
        statement = statement.where(event.kind.in_(wanted))
    if petition_id is not None:
        statement = statement.where(event.petition_id == petition_id)
    result = await session.execute(statement)
    return [Delivery(row[0], row[1], row[2]) for row in result]


async def read_events(
    session: AsyncSession,
    caller: Caller,
    *,
    after: int,
    upto: int,
    kinds: Iterable[EventKind] | None = None,
    petition_id: int | None = None,
    limit: int = BATCH,
) -> list[models.PetitionEvent]:
    """Events with `after < id <= upto` in the caller's slice, oldest first."""
    rows = await read_deliveries(
        session,
        caller,
        after=after,
        upto=upto,
        kinds=kinds,
        petition_id=petition_id,
        limit=limit,
    )
    return [row.event for row in rows]
