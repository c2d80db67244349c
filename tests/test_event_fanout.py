"""The event stream's fan-out scales with events, not subscribers: one shared read per
wake-up per process, each slice's events handed out from memory, every subscriber
getting each of its events exactly once, in id order — on the memory and Redis brokers,
over real WebSockets, and for a subscriber that falls behind."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from graphql import OperationType
from sqlalchemy import select

from db import models
from db.config import Settings
from resolvers.access import tokens
from resolvers.access.audit import AuditPath
from resolvers.events import feed as feeding
from resolvers.events import stream
from resolvers.events.broker import MemoryBroker
from resolvers.events.stream import feed_for, follow_events, starting_point
from resolvers.pagination import decode_cursor
from schema.events import SharedEventResults
from tests import factories
from tests.conftest import GraphQLClient, LiveServer, serve
from tests.factories import submit
from tests.steps import step
from tests.streams import Stream, subscription
from tests.test_event_stream import listening, token_of

POLL = 120.0  # no poll inside a test, however loaded the machine: every read is a wake-up's
BROKERS = {"memory": "memory://", "redis": "redis://127.0.0.1:6379/0"}
# Subscribers per slice: the hall, the receiving window and its street platform see
# everything below; the labour committee one appeal; the court nothing.
SLICES = {
    factories.HALL: 6,
    factories.WINDOW: 4,
    factories.STREET: 3,
    factories.LMC: 5,
    factories.COURT: 2,
}


@contextlib.contextmanager
def instance(settings: Settings, broker: str) -> Iterator[LiveServer]:
    shared = settings.model_copy(
        update={
            "broker_url": BROKERS[broker],
            "broker_channel": f"petition-hub:test:{uuid.uuid4().hex}",
            "stream_poll_interval": POLL,
        }
    )
    with serve(shared) as live:
        yield live


@contextlib.asynccontextmanager
async def on(server: LiveServer, client: GraphQLClient) -> AsyncIterator[GraphQLClient]:
    """The same organisation's client, talking to `server`."""
    async with httpx.AsyncClient(
        base_url=server.url, headers=dict(client.http.headers), timeout=30
    ) as http:
        yield GraphQLClient(http=http, org=client.org)


def event_id(event: dict[str, Any]) -> int:
    return int(decode_cursor(event["cursor"])[0])


async def read_until(sub: Stream, text: str) -> list[dict[str, Any]]:
    return await sub.events_until(lambda e: e["data"].get("text") == text, seconds=15)


@pytest.mark.parametrize("broker", sorted(BROKERS))
async def test_every_slice_gets_its_events_once_in_order_for_one_read_per_wake_up(
    settings, broker, window, hall, labour_committee, court, street_platform
):
    clients = {
        factories.HALL: hall,
        factories.WINDOW: window,
        factories.STREET: street_platform,
        factories.LMC: labour_committee,
        factories.COURT: court,
    }
    # Given two appeals, one of them the labour committee's
    theirs, other = await submit(window), await submit(window)
    for appeal in (theirs, other):
        await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "assignPetition", id=theirs["id"], organisationCode=factories.LMC, role="LEAD")

    with instance(settings, broker) as server:
        feed = feed_for(server.app.state.services.broker, server.app.state.sessionmaker)
        failure: Exception | None = None
        async with contextlib.AsyncExitStack() as stack:
            try:
                await follow_and_check(stack, server, feed, clients, hall, window, theirs, other)
            # raised here, not wrapped in the sockets' exception groups
            except (AssertionError, TimeoutError) as failed:
                failure = failed
        if failure is not None:
            raise failure


async def follow_and_check(
    stack: contextlib.AsyncExitStack,
    server: LiveServer,
    feed: stream.EventFeed,
    clients: dict[str, Any],
    hall: Any,
    window: Any,
    theirs: dict[str, Any],
    other: dict[str, Any],
) -> None:
    # (writing through this instance, whose broker wakes its subscribers)
    hall = await stack.enter_async_context(on(server, hall))
    window = await stack.enter_async_context(on(server, window))
    # And one subscriber per slice following
    first = {
        org: await stack.enter_async_context(subscription(server.url, token_of(clients[org])))
        for org in SLICES
    }
    for sub in first.values():
        await sub.subscribe()
    await listening(server, len(SLICES))

    # When a step is taken, the wake-up costs what it costs for five subscribers
    statements, reads = await one_step(server, feed, hall, theirs, "一", list(first.items()))

    # And with four times as many subscribers, exactly the same
    more = [
        (org, await stack.enter_async_context(subscription(server.url, token_of(clients[org]))))
        for org, count in SLICES.items()
        for _ in range(count - 1)
    ]
    for _, sub in more:
        await sub.subscribe()
    everyone = list(first.items()) + more
    await listening(server, len(everyone))
    assert await one_step(server, feed, hall, theirs, "二", everyone) == (statements, 1)
    assert reads == 1

    # When events come in a burst, on both appeals and a new one
    await asyncio.gather(
        *(
            step(hall, "addNote", id=a["id"], text=f"{n}")
            for n in range(4)
            for a in (theirs, other)
        ),
        submit(window),
    )
    await step(hall, "addNote", id=theirs["id"], text="最后")

    # Then every subscriber of a slice gets the same events, once each, in id order
    got: dict[str, list[list[int]]] = {org: [] for org in SLICES}
    for org, sub in everyone:
        if org == factories.COURT:
            assert await sub.nothing_for(0.2)
            continue
        events = await read_until(sub, "最后")
        got[org].append([event_id(e) for e in events])
        if org == factories.LMC:
            assert {e["petition"]["id"] for e in events} == {theirs["id"]}
    for org, lists in got.items():
        for ids in lists:
            assert ids == sorted(set(ids)), (org, ids)
            assert ids == lists[0], org
    # The hall, the window and the street see all ten; the committee its five
    assert len(got[factories.HALL][0]) == 10
    assert got[factories.WINDOW][0] == got[factories.STREET][0] == got[factories.HALL][0]
    assert len(got[factories.LMC][0]) == 5


async def one_step(
    server: LiveServer,
    feed: stream.EventFeed,
    hall: Any,
    appeal: dict[str, Any],
    text: str,
    streams: list[tuple[str, Stream]],
) -> tuple[int, int]:
    """Statements the server ran, and shared reads the feed made, for one note delivered
    to every subscriber in `streams` (the court's sees nothing)."""
    await step(hall, "addNote", id=appeal["id"], text="预热")  # the token's last use, etc.
    for org, sub in streams:
        if org != factories.COURT:
            await read_until(sub, "预热")
    await asyncio.sleep(0.2)
    reads, written = feed.reads, feed.written
    server.statements.reset()
    await step(hall, "addNote", id=appeal["id"], text=text)
    for org, sub in streams:
        if org != factories.COURT:
            await read_until(sub, text)
    await asyncio.sleep(0.2)
    # The feed wrote the note to every subscriber's socket itself (each was waiting)
    assert feed.written - written == sum(org != factories.COURT for org, _ in streams)
    return server.statements.count, feed.reads - reads


async def caller_for(sessionmaker, org):
    async with sessionmaker() as session:
        token = await factories.token(session, org)
        return await tokens.authenticate_token(session=session, token=token, now=models.utcnow())


async def test_a_subscriber_that_falls_behind_reads_the_gap_and_loses_nothing(
    sessionmaker, engine, world, window, hall, monkeypatch
):
    # Given a feed that keeps at most two batches for a subscriber, and three hundred
    # subscribers of two slices, one of which reads nothing for a while
    monkeypatch.setattr(feeding, "PENDING", 2)
    broker = MemoryBroker()
    callers = [await caller_for(sessionmaker, org) for org in (factories.HALL, factories.WINDOW)]
    async with sessionmaker() as session:
        start = await starting_point(session=session, caller=callers[0], after=None)
    followers = [
        follow_events(sessionmaker, callers[i % 2], broker, start, poll_interval=POLL)
        for i in range(300)
    ]
    slow = followers[0]
    try:
        first = await submit(window)
        broker.publish_soon(0)
        heads = await asyncio.wait_for(asyncio.gather(*(anext(f) for f in followers)), 60)
        assert {e.petition_id for e in heads} == {int(first["id"])}

        # When five more wake-ups come, each after its own commit
        notes = []
        for n in range(5):
            notes.append(await step(hall, "addNote", id=first["id"], text=f"{n}"))
            async with sessionmaker() as session:
                broker.publish_soon(await stream.newest_event_id(session))
            for follower in followers[1:]:
                await asyncio.wait_for(anext(follower), 60)
            await asyncio.sleep(0.05)

        # Then the slow one, its inbox overflowed, still gets all five, once, in order
        late = [await asyncio.wait_for(anext(slow), 60) for _ in range(5)]
        assert [e.data["text"] for e in late] == ["0", "1", "2", "3", "4"]
        # And the feed read once per wake-up, whatever the number of subscribers
        assert feed_for(broker, sessionmaker).reads <= 6
    finally:
        for follower in followers:
            await follower.aclose()


PERSONAL = """
subscription { petitionEvents { cursor kind petition { id petitioner { idNumber } } } }
"""


async def test_a_slice_renders_an_event_once_but_audits_each_unmasked_read(
    settings, sessionmaker, window, hall, monkeypatch
):
    # Given four of the hall's subscribers asking the usual, and two asking for the
    # petitioner's ID number (which the hall reads unmasked)
    executed, asked = [], []
    own, execute = SharedEventResults._own, SharedEventResults.execute_operation

    async def counted(self, serially):
        executed.append(self.operation.loc.source.body)
        return await own(self, serially)

    def counted_asking(self, serially=None):
        if self.operation.operation is OperationType.SUBSCRIPTION:
            asked.append(self.operation.loc.source.body)
        return execute(self, serially)

    monkeypatch.setattr(SharedEventResults, "_own", counted)
    monkeypatch.setattr(SharedEventResults, "execute_operation", counted_asking)
    with instance(settings, "memory") as server:
        feed = feed_for(server.app.state.services.broker, server.app.state.sessionmaker)
        async with contextlib.AsyncExitStack() as stack:
            window = await stack.enter_async_context(on(server, window))
            plain = [
                await stack.enter_async_context(subscription(server.url, token_of(hall)))
                for _ in range(4)
            ]
            personal = [
                await stack.enter_async_context(subscription(server.url, token_of(hall)))
                for _ in range(2)
            ]
            for sub in plain:
                await sub.subscribe()
            for sub in personal:
                await sub.subscribe(PERSONAL)
            await listening(server, 6)

            # When one appeal is registered (and then another, so that every subscriber
            # has moved on from the first: its audit entry is written then)
            appeal = await submit(window)
            got = [await sub.event() for sub in plain + personal]
            await submit(window)
            for sub in plain + personal:
                await sub.event()

    # Then all six get it
    assert {e["petition"]["id"] for e in got} == {appeal["id"]}
    assert got[0] == got[1] == got[2] == got[3]
    assert (
        got[4]["petition"]["petitioner"]["idNumber"]
        == got[5]["petition"]["petitioner"]["idNumber"]
        != ""
    )
    # And the usual document was executed once per event, by the feed, which wrote its
    # text to the four sockets itself: nothing was executed for any of the four
    usual = [body for body in executed if body != PERSONAL]
    assert len(usual) == 2, executed
    assert len(asked) - asked.count(PERSONAL) == 2, asked
    assert feed.written == 4 * 2
    # And the personal one by each of its two subscribers for each event, and once more
    # by the feed for the first event, whose result it could not share (it showed
    # personal data: sent to nobody, audited for nobody); after that the feed left the
    # document to its subscribers
    assert executed.count(PERSONAL) == 2 * 2 + 1
    assert asked.count(PERSONAL) == 2 * 2 + 1
    # And each of the two unmasked reads of the first appeal has its own audit entry
    mine: list[models.AuditEntry] = []
    for _ in range(50):
        async with sessionmaker() as session:
            entries = (
                await session.scalars(
                    select(models.AuditEntry).where(
                        models.AuditEntry.path == AuditPath.SUBSCRIPTION.value
                    )
                )
            ).all()
        mine = [e for e in entries if int(appeal["id"]) in e.object_ids]
        if len(mine) >= 2:
            break
        await asyncio.sleep(0.1)
    assert len(mine) == 2
