"""The event stream: replay from a cursor, then follow live, within the caller's slice.

A subscriber first replays the events after its cursor with reads of its own, through
`petition_filter(caller)`, in id order. Then it follows its process's `EventFeed`: on
each broker wake-up (or every poll interval) the feed reads the new events **once**,
with one boolean column per slice in the same statement (`petition_filter` of each
slice's callers), and hands every subscriber the events its slice sees, from memory.
So a wake-up costs one statement whatever the number of subscribers; subscribers with
equal slices (`access.slice_key`) and scopes share a group. Both the GraphQL
subscription and the pages' server-sent events use `follow_events`.

Why ids are a safe cursor: writers commit one at a time (`db.engine.begin_write`),
so once an event is visible every event with a lower id is visible or never will be.
Each batch the feed hands out says which ids it covers, `(low, high]`; a subscriber
whose cursor is below `low` (it joined or fell behind meanwhile) reads the gap itself
first, so every event arrives exactly once and in id order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import models
from db.models import EventKind
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_filter, slice_key
from resolvers.appeals.repeats import shown_repeat_data
from resolvers.errors import BadUserInput, Unauthenticated
from resolvers.events.broker import Broker, Listener
from resolvers.pagination import decode_cursor

log = logging.getLogger("petition_hub.stream")

SCOPE = "events:subscribe"
BATCH = 100
FEED_BATCH = 500  # events per shared read; a burst longer than this takes several
PENDING = 256  # batches a slow subscriber may have waiting before it reads the gap itself


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


def _deliveries(*columns: ColumnElement[bool]) -> Select:  # type: ignore[type-arg]
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
        _deliveries()
        .where(event.id > after, event.id <= upto, petition_filter(caller))
        .limit(limit)
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


@dataclass(frozen=True)
class Batch:
    """What a feed read covered, `low < id <= high`, and what one slice sees of it."""

    low: int
    high: int
    deliveries: list[Delivery]


@dataclass(eq=False)
class Member:
    """One subscriber of a feed: its inbox of batches and its doorbell."""

    poll_interval: float
    inbox: list[Batch] = field(default_factory=list)
    live: bool = False
    rung: asyncio.Event = field(default_factory=asyncio.Event)

    def hand(self, batch: Batch) -> None:
        # A subscriber that stopped reading never makes the feed (or a writer) wait:
        # its batches are dropped, and it reads the gap itself when it comes back.
        if len(self.inbox) >= PENDING:
            self.inbox.clear()
        self.inbox.append(batch)
        self.rung.set()


@dataclass(eq=False)
class Group:
    """The subscribers that see the same slice: one caller stands for all of them."""

    caller: Caller
    members: set[Member] = field(default_factory=set)


class EventFeed:
    """One process's shared read of the event stream, for one database.

    A task reads the events after its cursor on every broker wake-up (and every poll
    interval), one statement for all the slices subscribed, and hands each group's
    members what their slice sees. It runs while anybody follows and stops after.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], broker: Broker) -> None:
        self.sessionmaker = sessionmaker
        self.broker = broker
        self.groups: dict[tuple[object, ...], Group] = {}
        self.cursor: int | None = None
        self.reads = 0  # shared reads so far (tests and the bench look)
        self._task: asyncio.Task[None] | None = None
        self._listener: Listener | None = None
        self._polled = False  # the last wait ended by the poll interval, not a wake-up

    @property
    def following(self) -> int:
        """Subscribers past their replay, following the live stream."""
        return sum(1 for g in self.groups.values() for m in g.members if m.live)

    @contextlib.asynccontextmanager
    async def join(self, caller: Caller, poll_interval: float) -> AsyncIterator[Member]:
        """Membership of `caller`'s group while the block runs."""
        member = Member(poll_interval)
        key = self._join(caller, member)
        try:
            yield member
        finally:
            self._leave(key, member)

    def regroup(self, member: Member, old: Caller, new: Caller) -> None:
        """Move a member whose caller was authenticated afresh (scopes may differ)."""
        self._leave(self.group_key(old), member)
        self._join(new, member)

    @staticmethod
    def group_key(caller: Caller) -> tuple[object, ...]:
        """Callers with equal keys share a group: the same slice and scopes."""
        return (slice_key(caller), caller.scopes)

    def _join(self, caller: Caller, member: Member) -> tuple[object, ...]:
        key = self.group_key(caller)
        self.groups.setdefault(key, Group(caller)).members.add(member)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="event-feed")
        return key

    def _leave(self, key: tuple[object, ...], member: Member) -> None:
        group = self.groups.get(key)
        if group is None:
            return
        group.members.discard(member)
        if not group.members:
            del self.groups[key]
        if not self.groups and self._listener is not None:
            self._listener.wake(self.cursor or 0)  # let the task see it is alone

    def _poll_interval(self) -> float:
        return min((m.poll_interval for g in self.groups.values() for m in g.members), default=5.0)

    async def _run(self) -> None:
        async with self.broker.listen() as listener:
            self._listener = listener
            try:
                look = True
                while self.groups:
                    if look:
                        await self._read_all()
                    rung = await listener.wait(self._poll_interval())
                    # An echo of what was read already (Redis returns our own wake-ups)
                    # needs no read; a poll or an unknown wake-up always looks.
                    look = not rung or listener.unknown or listener.newest > (self.cursor or 0)
                    listener.unknown = False
                    self._polled = not rung
            finally:
                self._listener = None
                self.cursor = None

    async def _read_all(self) -> None:
        handed = False
        try:
            while True:
                read, handed = await self._read()
                if read < FEED_BATCH:
                    break
        except Exception:  # like a lost wake-up: the next poll tries again
            log.exception("the event feed could not read; retrying at the next poll")
        if self._polled and not handed:
            self._tick()

    def _tick(self) -> None:
        """Wake every member once a poll interval even when nothing happened (it checks
        its caller again then), with an empty batch that moves no cursor."""
        if self.cursor is None:
            return
        empty = Batch(self.cursor, self.cursor, [])
        for group in list(self.groups.values()):
            for member in list(group.members):
                member.hand(empty)

    async def _read(self) -> tuple[int, bool]:
        """One shared read: how many events it read, and whether it handed a batch."""
        groups = list(self.groups.values())
        if not groups:
            return 0, False
        async with self.sessionmaker() as session:
            if self.cursor is None:
                self.cursor = await newest_event_id(session)
                return 0, False
            low = self.cursor
            sees = [petition_filter(g.caller).label(f"slice_{i}") for i, g in enumerate(groups)]
            statement = _deliveries(*sees).where(models.PetitionEvent.id > low)
            result = await session.execute(statement.limit(FEED_BATCH))
            rows = result.all()
            seen_by = [
                await disclosed(
                    session, g.caller, [Delivery(r[0], r[1], r[2]) for r in rows if r[3 + i]]
                )
                for i, g in enumerate(groups)
            ]
        self.reads += 1
        high = rows[-1][0].id if rows else low
        self.cursor = high
        for group, seen in zip(groups, seen_by, strict=True):
            batch = Batch(low, high, seen)
            for member in list(group.members):
                member.hand(batch)
        return len(rows), True


def feed_for(broker: Broker, sessionmaker: async_sessionmaker[AsyncSession]) -> EventFeed:
    """The process's feed for this database and broker (made on first use)."""
    feed = broker.feeds.get(sessionmaker)
    if feed is None:
        feed = broker.feeds[sessionmaker] = EventFeed(sessionmaker, broker)
    assert isinstance(feed, EventFeed)
    return feed


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
) -> AsyncGenerator[Delivery, None]:
    """Every event after id `after` that `caller` may see, in id order, for ever.

    Replay (and any gap) is read here, in short sessions of `batch` events; live
    events come from the process's `EventFeed`. `after` comes from `starting_point`
    (which checks the scope and the cursor). `recheck`, when given, authenticates the
    caller again (at most once a poll interval): a token revoked or expired, or
    stripped of the scope, ends the stream.
    """
    wanted = frozenset(kinds or ())
    cursor = after
    checked = time.monotonic()
    feed = feed_for(broker, sessionmaker)

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

    async with feed.join(caller, poll_interval) as member:
        # Nothing to replay when the feed has read no further than the cursor: its next
        # batch starts at or below it. (A thousand subscribers connecting at once then
        # cost no read each.)
        if feed.cursor is None or feed.cursor > cursor:
            async for row in catch_up(None):
                yield row
        member.live = True
        while True:
            if recheck is not None and time.monotonic() - checked >= poll_interval:
                renewed = await recheck()
                if renewed is None:
                    raise Unauthenticated("the token was revoked or has expired")
                renewed.require_scope(SCOPE)
                if feed.group_key(renewed) != feed.group_key(caller):
                    feed.regroup(member, caller, renewed)
                caller, checked = renewed, time.monotonic()
            if not member.inbox:
                # The feed hands every member a batch at least once a poll interval (an
                # empty one when nothing happened): no timer per subscriber.
                await member.rung.wait()
                member.rung.clear()
            while member.inbox:
                handed = member.inbox.pop(0)
                if handed.low > cursor:
                    async for row in catch_up(handed.low):
                        yield row
                for row in handed.deliveries:
                    if row.event.id <= cursor:
                        continue
                    if wanted and row.event.kind not in wanted:
                        continue
                    if petition_id is not None and row.event.petition_id != petition_id:
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
