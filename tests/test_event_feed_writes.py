"""The feed writes a waiting subscription's events to its socket itself (no task of the
subscriber's runs for them); what it cannot write — a socket whose buffer is full, a
result that may not be shared — goes through the subscriber's own task, so that every
event still arrives once and in id order. (Over real WebSockets: test_event_fanout.py.)"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from db import models
from resolvers.access import tokens
from resolvers.events.broker import MemoryBroker
from resolvers.events.reads import Delivery
from resolvers.events.stream import feed_for, follow_deliveries, newest_event_id, starting_point
from tests import factories
from tests.factories import submit
from tests.steps import step

POLL = 60.0  # no poll, no token check inside the test


class Socket:
    """A subscription's socket as the feed sees it (`resolvers.events.feed.Direct`)."""

    def __init__(self, key: int, shareable: bool = True) -> None:
        self.key, self.shareable = key, shareable
        self.full = False  # the transport has paused writing
        self.renders: list[int] = []
        self.written: list[int] = []

    async def render(self, delivery: Delivery) -> str | None:
        self.renders.append(delivery.event.id)
        return str(delivery.event.id) if self.shareable else None

    def write(self, payload: str) -> bool | None:
        if self.full:
            return None
        self.written.append(int(payload))
        return True


async def until(condition: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_waiting_sockets_are_written_by_the_feed_and_the_rest_by_their_tasks(
    sessionmaker, world, window, hall
):
    # Given three subscriptions of the hall: two asking the same document (one shared
    # text per event), one whose results may not be shared
    appeal = await submit(window)
    async with sessionmaker() as session:
        token = await factories.token(session, factories.HALL)
        caller = await tokens.authenticate_token(session=session, token=token, now=models.utcnow())
        start = await starting_point(session=session, caller=caller, after=None)
    broker = MemoryBroker()
    first, second, private = Socket(1), Socket(1), Socket(2, shareable=False)
    yielded: dict[Socket, list[int]] = {first: [], second: [], private: []}

    async def follow(socket: Socket) -> None:
        rows = follow_deliveries(
            sessionmaker, caller, broker, start, poll_interval=POLL, direct=socket
        )
        async for row in rows:
            yielded[socket].append(row.event.id)

    tasks = [asyncio.create_task(follow(socket)) for socket in yielded]
    feed = feed_for(broker, sessionmaker)
    ids: list[int] = []

    async def note(text: str) -> None:
        await step(hall, "addNote", id=appeal["id"], text=text)
        async with sessionmaker() as session:
            ids.append(await newest_event_id(session))
        broker.publish_soon(ids[-1])

    try:

        def waiting() -> list[Any]:
            return [m for g in feed.groups.values() for m in g.members if m.idle]

        await until(lambda: len(waiting()) == 3 and feed.cursor is not None)

        # When two notes are added
        for text in ("一", "二"):
            await note(text)
            await until(lambda: len(yielded[private]) == len(ids))
            await until(lambda: len(first.written) == len(ids) == len(second.written))
        # And then two more, the second socket now full
        second.full = True
        for text in ("三", "四"):
            await note(text)
            await until(lambda: len(yielded[private]) == len(ids))
            await until(lambda: len(first.written) == len(ids) == len(yielded[second]) + 2)

        # Then the feed wrote every event to the first socket itself, its task yielding
        # nothing; each event was rendered once for the two sockets sharing a document
        assert first.written == ids and yielded[first] == []
        assert sorted(first.renders + second.renders) == ids
        # And the full socket got the first two from the feed and the others from its
        # own task, in order, none twice
        assert second.written == ids[:2] and yielded[second] == ids[2:]
        # And the document whose result could not be shared was rendered once, then
        # left to its subscriber's task, which got every event
        assert private.renders == ids[:1] and private.written == []
        assert yielded[private] == ids
        assert feed.written == len(ids) + 2
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
