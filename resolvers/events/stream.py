"""The event stream: replay from a cursor, then follow live, within the caller's slice.

A subscriber first replays the events after its cursor with reads of its own, through
`petition_filter(caller)`, in id order (`resolvers/events/reads.py`). Then it follows
its process's `EventFeed` (`resolvers/events/feed.py`), which reads each wake-up's
events once for every slice and either writes them to a waiting subscription's socket
itself or hands them to the subscriber's inbox, taken here. Both the GraphQL
subscription and the pages' server-sent events use `follow_events`.

Why ids are a safe cursor: writers commit one at a time (`db.engine.begin_write`),
so once an event is visible every event with a lower id is visible or never will be.
Each batch the feed hands out says which ids it covers, `(low, high]`; a subscriber
whose cursor is below `low` (it joined or fell behind meanwhile) reads the gap itself
first, so every event arrives exactly once and in id order.
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import models
from db.models import EventKind
from resolvers.access.caller import Caller
from resolvers.errors import Unauthenticated
from resolvers.events.broker import Broker
from resolvers.events.feed import Direct, EventFeed, Member, feed_for
from resolvers.events.reads import (
    BATCH,
    SCOPE,
    Delivery,
    disclosed,
    newest_event_id,
    read_deliveries,
    read_events,
    starting_point,
)

__all__ = [
    "BATCH",
    "SCOPE",
    "Delivery",
    "EventFeed",
    "feed_for",
    "follow_deliveries",
    "follow_events",
    "newest_event_id",
    "read_events",
    "starting_point",
]


async def follow_deliveries(
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
    direct: Direct | None = None,
) -> AsyncGenerator[Delivery, None]:
    """Every event after id `after` that `caller` may see, in id order, for ever.

    Replay (and any gap) is read here, in short sessions of `batch` events; live
    events come from the process's `EventFeed`. `after` comes from `starting_point`
    (which checks the scope and the cursor). `recheck`, when given, authenticates the
    caller again (at most once a poll interval): a token revoked or expired, or
    stripped of the scope, ends the stream. With `direct`, the feed writes the live
    events itself while this generator waits (`resolvers/events/feed.py`): what it
    yields is only what the feed left to it.
    """
    wanted = frozenset(kinds or ())
    cursor = after
    feed = feed_for(broker, sessionmaker)
    member = Member(poll_interval, wanted, petition_id, direct)
    if recheck is None:
        member.checked = math.inf  # nothing to check again: never due

    async def catch_up(upto: int | None) -> AsyncIterator[Delivery]:
        """Read (cursor, upto] through the caller's own filter; to the newest if None."""
        nonlocal cursor
        while upto is None or cursor < upto:
            async with sessionmaker() as session:
                horizon = await newest_event_id(session) if upto is None else upto
                rows = await read_deliveries(
                    session,
                    caller,
                    after=cursor,
                    upto=horizon,
                    kinds=wanted,
                    petition_id=petition_id,
                    limit=batch,
                )
                shown = await disclosed(session, caller, rows)
            for row in shown:
                yield row
            if len(rows) < batch:
                cursor = max(cursor, horizon)
                return
            cursor = rows[-1].event.id

    async with feed.join(caller, member):
        # Nothing to replay when the feed has read no further than the cursor: its next
        # batch starts at or below it. (A thousand subscribers connecting at once then
        # cost no read each.)
        if feed.cursor is None or feed.cursor > cursor:
            async for row in catch_up(None):
                yield row
        member.live = True

        async def check() -> None:
            """Authenticate the caller again, if due (the feed writes meanwhile)."""
            nonlocal caller
            if recheck is None or time.monotonic() - member.checked < poll_interval:
                return
            renewed = await recheck()
            if renewed is None:
                raise Unauthenticated("the token was revoked or has expired")
            renewed.require_scope(SCOPE)
            if feed.group_key(renewed) != feed.group_key(caller):
                feed.regroup(member, renewed)
            caller, member.checked = renewed, time.monotonic()

        while True:
            await check()
            if not member.inbox:
                # The feed hands every member a batch at least once a poll interval (an
                # empty one when nothing happened): no timer per subscriber. Meanwhile
                # it may write this member's events itself, moving its cursor, and ring
                # it to check its caller.
                member.cursor, member.idle = cursor, True
                while not member.inbox:
                    await member.rung.wait()
                    member.rung.clear()
                    await check()
                cursor = member.cursor  # the feed stopped writing when it handed a batch
            while member.inbox:
                handed = member.inbox.pop(0)
                if handed.low > cursor:
                    async for row in catch_up(handed.low):
                        yield row
                for row in handed.deliveries:
                    if row.event.id <= cursor or not member.wants(row):
                        continue
                    yield row
                    cursor = row.event.id
                cursor = max(cursor, handed.high)


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
    """`follow_deliveries`, event rows only (for the pages' server-sent events)."""
    deliveries = follow_deliveries(
        sessionmaker,
        caller,
        broker,
        after,
        kinds=kinds,
        petition_id=petition_id,
        poll_interval=poll_interval,
        batch=batch,
        recheck=recheck,
    )
    try:
        async for row in deliveries:
            yield row.event
    finally:
        await deliveries.aclose()
