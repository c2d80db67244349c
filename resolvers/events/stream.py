"""The event stream: replay from a cursor, then follow live, within the caller's slice.

Replay and live delivery are one loop: read the events after the cursor from the
database through `petition_filter(caller)`, in id order, then wait for a broker
wake-up (or the poll interval) and read again. Both the GraphQL subscription and
the pages' server-sent events use `follow_events`.

Why ids are a safe cursor: writers commit one at a time (`db.engine.begin_write`),
so once an event is visible every event with a lower id is visible or never will be.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import models
from db.models import EventKind
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_filter
from resolvers.errors import BadUserInput, Unauthenticated
from resolvers.events.broker import Broker
from resolvers.pagination import decode_cursor

SCOPE = "events:subscribe"
BATCH = 100


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
    event = models.PetitionEvent
    statement = (
        select(event)
        .join(models.Petition, models.Petition.id == event.petition_id)
        .where(event.id > after, event.id <= upto, petition_filter(caller))
        .order_by(event.id)
        .limit(limit)
    )
    wanted = list(kinds or [])
    if wanted:
        statement = statement.where(event.kind.in_(wanted))
    if petition_id is not None:
        statement = statement.where(event.petition_id == petition_id)
    return list(await session.scalars(statement))


async def follow_events(
    sessionmaker: async_sessionmaker[AsyncSession],
    caller: Caller,
    broker: Broker,
    after: int,
    *,
    kinds: Iterable[EventKind] | None = None,
    petition_id: int | None = None,
    poll_interval: float = 5.0,
    batch: int = BATCH,
    recheck: Callable[[], Awaitable[Caller | None]] | None = None,
) -> AsyncGenerator[models.PetitionEvent, None]:
    """Every event after id `after` that `caller` may see, in id order, for ever.

    Each read opens its own short session; between reads nothing is held open.
    `after` comes from `starting_point` (which checks the scope and the cursor).
    `recheck`, when given, authenticates the caller again (at most once a poll
    interval): a token revoked or expired, or stripped of the scope, ends the stream.
    """
    wanted = frozenset(kinds or ())
    cursor = after
    checked = time.monotonic()
    async with broker.listen() as listener:
        while True:
            if recheck is not None and time.monotonic() - checked >= poll_interval:
                renewed = await recheck()
                if renewed is None:
                    raise Unauthenticated("the token was revoked or has expired")
                renewed.require_scope(SCOPE)
                caller, checked = renewed, time.monotonic()
            async with sessionmaker() as session:
                horizon = await newest_event_id(session)
                rows = await read_events(
                    session, caller, after=cursor, upto=horizon, kinds=wanted,
                    petition_id=petition_id, limit=batch,
                )
            # Everything up to the horizon has been looked at, unless the batch was full.
            full = len(rows) == batch
            for row in rows:
                yield row
            cursor = rows[-1].id if full else max(cursor, horizon)
            if not full:
                await listener.wait(poll_interval)
