"""One process's shared read of the event stream, and its delivery to the subscribers.

On each broker wake-up (or every poll interval) the feed reads the new events **once**,
with one boolean column per slice in the same statement (`petition_filter` of each
slice's callers): a wake-up costs one statement whatever the number of subscribers;
subscribers with equal slices (`access.slice_key`) and scopes share a group.

Then, for each group, either of two ways, per subscriber:

- **written by the feed** (a GraphQL subscription waiting for its next event, its socket
  able to take a frame now): each event is rendered once per slice and document
  (`Direct.render`: executed and encoded once), and the feed writes that text, framed
  with the subscription's own id, to every such socket (`Direct.write`), in this task:
  no task of the subscriber's wakes up;
- **handed to its inbox** (anything else: replay or a gap to read, a result it must
  execute itself — personal data, errors —, a socket whose buffer is full, a caller
  whose check is late, the pages' server-sent events): its own task takes the batch
  (`resolvers.events.stream.follow_deliveries`), as it comes back to waiting. A
  member whose caller is due to be checked again is rung to check it, and written to
  meanwhile.

Each batch says which ids it covers, `(low, high]`, and each member keeps its cursor,
moved by whichever of the two holds it (the feed only while the member's task waits),
so every event arrives exactly once and in id order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import models
from db.models import EventKind
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_filter, slice_key
from resolvers.events.broker import Broker, Listener
from resolvers.events.reads import Delivery, deliveries, disclosed, newest_event_id

log = logging.getLogger("petition_hub.stream")

FEED_BATCH = 500  # events per shared read; a burst longer than this takes several
PENDING = 256  # batches a slow subscriber may have waiting before it reads the gap itself
PRIVATE_SECONDS = 60.0  # how long a document whose result was not shareable is left alone
WRITES_PER_TURN = 50  # sockets written before other tasks (a writer's request) get a turn


class Direct(Protocol):
    """What a subscription gives the feed to deliver its events itself."""

    @property
    def key(self) -> Hashable:
        """Members with equal keys are sent the same text for an event (the same
        document and variables, organisation, roles and scopes)."""
        ...

    def render(self, delivery: Delivery) -> Awaitable[str | None]:
        """The event's `next` payload for this key, encoded; None when it may not be
        shared (personal data, errors): each subscriber then executes its own."""
        ...

    def write(self, payload: str) -> bool | None:
        """Write the payload, framed with the operation's id, now: True written, False
        the operation or socket is gone, None the socket cannot take it now."""
        ...


@dataclass(frozen=True)
class Batch:
    """What a feed read covered, `low < id <= high`, and what one slice sees of it."""

    low: int
    high: int
    deliveries: list[Delivery]

    @cached_property
    def events(self) -> list[tuple[int, EventKind, int]]:
        """Each delivery's event id, kind and appeal, read off the rows once."""
        return [(d.event.id, d.event.kind, d.event.petition_id) for d in self.deliveries]


@dataclass(eq=False)
class Member:
    """One subscriber of a feed: its cursor, its inbox of batches and its doorbell."""

    poll_interval: float
    kinds: frozenset[EventKind] = frozenset()
    petition_id: int | None = None
    direct: Direct | None = None
    cursor: int = 0
    checked: float = field(default_factory=time.monotonic)  # the caller's last check
    inbox: list[Batch] = field(default_factory=list)
    live: bool = False
    # The member's task is waiting with nothing to do: the feed may write for it.
    idle: bool = False
    rung: asyncio.Event = field(default_factory=asyncio.Event)
    group: tuple[object, ...] = ()  # the key of the group it is in

    def wants(self, delivery: Delivery) -> bool:
        event = delivery.event
        if self.kinds and event.kind not in self.kinds:
            return False
        return self.petition_id is None or event.petition_id == self.petition_id

    def hand(self, batch: Batch) -> None:
        # A subscriber that stopped reading never makes the feed (or a writer) wait:
        # its batches are dropped, and it reads the gap itself when it comes back.
        if len(self.inbox) >= PENDING:
            self.inbox.clear()
        self.inbox.append(batch)
        self.idle = False
        self.rung.set()

    def writable(self, batch: Batch, now: float) -> bool:
        """Whether the feed may write this batch's events for the member itself. Its
        caller due to be checked again, its task is rung to check it meanwhile; one
        whose check is a whole poll interval late gets nothing more until it is done."""
        if not self.idle or self.direct is None or self.cursor < batch.low:
            return False
        late = now - self.checked - self.poll_interval
        if late >= 0 and not self.rung.is_set():
            self.rung.set()
        return late < self.poll_interval

    def write(
        self, batch: Batch, frames: dict[tuple[int, Hashable], str]
    ) -> tuple[int, Batch | None]:
        """Write what the feed rendered of `batch` for the member: how many events it
        wrote, and what it could not write (no shared text, a full socket), from there
        on, for the member's task."""
        assert self.direct is not None
        key, write, written = self.direct.key, self.direct.write, 0
        kinds, petition_id = self.kinds, self.petition_id  # (`wants`, inlined)
        for index, (event_id, kind, petition) in enumerate(batch.events):
            if (
                event_id <= self.cursor
                or (kinds and kind not in kinds)
                or (petition_id is not None and petition != petition_id)
            ):
                continue
            payload = frames.get((event_id, key))
            done = None if payload is None else write(payload)
            if done is None:
                return written, Batch(self.cursor, batch.high, batch.deliveries[index:])
            if not done:  # gone: its task is being ended
                self.direct = None
                return written, None
            self.cursor, written = event_id, written + 1
        self.cursor = max(self.cursor, batch.high)
        return written, None


@dataclass(eq=False)
class Group:
    """The subscribers that see the same slice: one caller stands for all of them."""

    caller: Caller
    members: set[Member] = field(default_factory=set)


class EventFeed:
    """One process's shared read of the event stream, for one database.

    A task reads the events after its cursor on every broker wake-up (and every poll
    interval), one statement for all the slices subscribed, and delivers each group's
    events (module docstring). It runs while anybody follows and stops after.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], broker: Broker) -> None:
        self.sessionmaker = sessionmaker
        self.broker = broker
        self.groups: dict[tuple[object, ...], Group] = {}
        self.cursor: int | None = None
        self.reads = 0  # shared reads so far (tests and the bench look)
        self.written = 0  # events the feed wrote to sockets itself (tests look)
        self.private: dict[Hashable, float] = {}  # keys not rendered, until when
        self._task: asyncio.Task[None] | None = None
        self._listener: Listener | None = None
        self._polled = False  # the last wait ended by the poll interval, not a wake-up

    @property
    def following(self) -> int:
        """Subscribers past their replay, following the live stream."""
        return sum(1 for g in self.groups.values() for m in g.members if m.live)

    @contextlib.asynccontextmanager
    async def join(self, caller: Caller, member: Member) -> AsyncIterator[Member]:
        """`member` in `caller`'s group while the block runs."""
        self._join(caller, member)
        try:
            yield member
        finally:
            member.direct = None
            self._leave(member)

    def regroup(self, member: Member, new: Caller) -> None:
        """Move a member whose caller was authenticated afresh (scopes may differ)."""
        self._leave(member)
        self._join(new, member)

    @staticmethod
    def group_key(caller: Caller) -> tuple[object, ...]:
        """Callers with equal keys share a group: the same slice and scopes."""
        return (slice_key(caller), caller.scopes)

    def _join(self, caller: Caller, member: Member) -> None:
        member.group = key = self.group_key(caller)
        self.groups.setdefault(key, Group(caller)).members.add(member)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="event-feed")

    def _leave(self, member: Member) -> None:
        key = member.group
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
            statement = deliveries(*sees).where(models.PetitionEvent.id > low)
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
            await self._deliver(group, Batch(low, high, seen))
        return len(rows), True

    async def _deliver(self, group: Group, batch: Batch) -> None:
        """Write the batch to the sockets of the members waiting for it, each event
        rendered once per key; hand it to the others' inboxes."""
        frames = await self._render(group, batch) if batch.deliveries else {}
        members = list(group.members)
        now = time.monotonic()
        for turn, member in enumerate(members, 1):
            if member.writable(batch, now):
                try:
                    written, rest = member.write(batch, frames)
                except Exception:  # never lose its events: its task takes the batch
                    log.exception("the event feed could not write to a subscription")
                    member.direct, written = None, 0
                    rest = Batch(member.cursor, batch.high, batch.deliveries)
                self.written += written
                if rest is not None:
                    member.hand(rest)
            else:
                member.hand(batch)
            if turn % WRITES_PER_TURN == 0 and turn < len(members):
                await asyncio.sleep(0)  # a writer's request between two slices of sockets
                now = time.monotonic()

    async def _render(self, group: Group, batch: Batch) -> dict[tuple[int, Hashable], str]:
        """Each event of the batch encoded once for each key among the members the feed
        may write for; a key whose result may not be shared is left to its members for
        a while (`PRIVATE_SECONDS`)."""
        now = time.monotonic()
        if len(self.private) > 1000:  # forget the long-gone documents
            self.private = {k: until for k, until in self.private.items() if until > now}
        renderers: dict[Hashable, Member] = {}
        for member in group.members:
            direct = member.direct
            if direct is None or not member.writable(batch, now) or direct.key in renderers:
                continue
            if self.private.get(direct.key, 0.0) > now:
                continue
            renderers[direct.key] = member
        frames: dict[tuple[int, Hashable], str] = {}
        for key, member in renderers.items():
            for delivery in batch.deliveries:
                if member.direct is None or not member.wants(delivery):
                    continue
                try:
                    payload = await member.direct.render(delivery)
                except Exception:  # its members execute it themselves, and see the error
                    log.exception("the event feed could not render an event")
                    payload = None
                if payload is None:
                    self.private[key] = time.monotonic() + PRIVATE_SECONDS
                    break
                frames[delivery.event.id, key] = payload
        return frames


def feed_for(broker: Broker, sessionmaker: async_sessionmaker[AsyncSession]) -> EventFeed:
    """The process's feed for this database and broker (made on first use)."""
    feed = broker.feeds.get(sessionmaker)
    if feed is None:
        feed = broker.feeds[sessionmaker] = EventFeed(sessionmaker, broker)
    assert isinstance(feed, EventFeed)
    return feed


__all__ = ["Batch", "Direct", "EventFeed", "Group", "Member", "feed_for"]
