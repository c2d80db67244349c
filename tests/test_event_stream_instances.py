"""The stream across app instances: fan-out through the real Redis (127.0.0.1:6379) —
two uvicorn servers on one database, a subscriber on one, a write through the other —
polling without Redis, and a stream that outlives its token."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import update

from db import models
from db.config import Settings
from resolvers.access import tokens as auth
from resolvers.events.feed import feed_for
from tests import factories
from tests.conftest import GraphQLClient, LiveServer, serve
from tests.factories import submit
from tests.streams import subscription
from tests.test_event_stream import listening

REDIS_URL = "redis://127.0.0.1:6379/0"
NOTE = "mutation($id: ID!, $text: String!) { addNote(id: $id, text: $text) { id } }"
POLL = 60.0  # far longer than any wake-up may take, however loaded the machine


@contextlib.contextmanager
def instances(settings: Settings, broker_url: str, poll: float) -> Iterator[list[LiveServer]]:
    """Two app instances sharing the test database and one fresh channel."""
    shared = settings.model_copy(
        update={
            "broker_url": broker_url,
            "broker_channel": f"petition-hub:test:{uuid.uuid4().hex}",
            "stream_poll_interval": poll,
        }
    )
    with serve(shared) as first, serve(shared) as second:
        yield [first, second]


async def client(server: LiveServer, token: str, org: str) -> GraphQLClient:
    http = httpx.AsyncClient(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return GraphQLClient(http=http, org=org)


@pytest.fixture
async def tokens(sessionmaker, world) -> dict[str, str]:
    async with sessionmaker() as session:
        return {
            org: await factories.token(session, org) for org in (factories.HALL, factories.WINDOW)
        }


async def test_an_event_written_on_one_instance_reaches_a_subscriber_of_another(settings, tokens):
    with instances(settings, REDIS_URL, POLL) as (reader, writer):
        window = await client(writer, tokens[factories.WINDOW], factories.WINDOW)
        async with subscription(reader.url, tokens[factories.HALL]) as stream:
            await stream.subscribe()
            await listening(reader)

            started = time.monotonic()
            appeal = await submit(window)
            event = await stream.event(seconds=POLL / 2)
            took = time.monotonic() - started

        await window.http.aclose()
    assert (event["kind"], event["petition"]["id"]) == ("SUBMITTED", appeal["id"])
    # (the reader's next poll is a whole interval after its last read, just before the
    # write: anything well under it came by the wake-up)
    assert took < POLL / 3, f"took {took:.2f}s: the wake-up did not cross instances"


async def test_without_redis_subscribers_still_get_events_by_polling(settings, tokens):
    # Given instances whose Redis is unreachable (nothing listens on port 1)
    with instances(settings, "redis://127.0.0.1:1/0", poll=0.5) as (reader, writer):
        window = await client(writer, tokens[factories.WINDOW], factories.WINDOW)
        async with subscription(reader.url, tokens[factories.HALL]) as stream:
            await stream.subscribe()
            await listening(reader)

            # When an appeal is written on the other instance, it is found by the poll
            appeal = await submit(window)
            event = await stream.event(seconds=5)

        await window.http.aclose()
    assert (event["kind"], event["petition"]["id"]) == ("SUBMITTED", appeal["id"])


async def test_a_token_revoked_mid_stream_ends_it(settings, sessionmaker, tokens):
    # Given a subscription on an instance that polls (and re-checks) twice a second
    token = tokens[factories.HALL]
    with instances(settings, "memory://", poll=0.5) as (reader, _):
        async with subscription(reader.url, token) as stream:
            await stream.subscribe()
            await listening(reader)

            # When the token is revoked
            async with sessionmaker() as session:
                await session.execute(
                    update(models.ApiClient)
                    .where(models.ApiClient.token_hash == auth.hash_token(token))
                    .values(revoked_at=models.utcnow())
                )
                await session.commit()

            # Then the stream ends with UNAUTHENTICATED, then `complete`
            ended = await stream.message(seconds=5)
            completed = await stream.message(seconds=5)
    assert ended["type"] == "next"
    assert ended["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert completed == {"id": stream.id, "type": "complete"}


async def test_a_token_revoked_while_events_flow_ends_its_stream(settings, sessionmaker, tokens):
    # Given a subscription on an instance that re-checks twice a second, its events
    # written to its socket by the feed while a writer adds a note every tenth of a second
    token = tokens[factories.HALL]
    with instances(settings, "memory://", poll=0.5) as (server, _):
        window = await client(server, tokens[factories.WINDOW], factories.WINDOW)
        appeal = await submit(window)
        feed = feed_for(server.app.state.services.broker, server.app.state.sessionmaker)
        async with subscription(server.url, token) as stream:
            await stream.subscribe()
            await listening(server)
            stop = asyncio.Event()

            async def write() -> None:
                n = 0
                while not stop.is_set():
                    await window.data(NOTE, {"id": appeal["id"], "text": f"{n}"})
                    n += 1
                    await asyncio.sleep(0.1)

            writer = asyncio.create_task(write())
            try:
                first = await stream.event()
                assert feed.written >= 1  # the feed itself wrote to the socket

                # When the token is revoked
                async with sessionmaker() as session:
                    await session.execute(
                        update(models.ApiClient)
                        .where(models.ApiClient.token_hash == auth.hash_token(token))
                        .values(revoked_at=models.utcnow())
                    )
                    await session.commit()
                revoked = time.monotonic()

                # Then, events still flowing, the stream ends with UNAUTHENTICATED within
                # a few poll intervals, then `complete`
                while (message := await stream.message(seconds=5))["type"] == "next":
                    if "errors" in message["payload"]:
                        break
                    assert time.monotonic() - revoked < 5, "the stream outlived its token"
                completed = await stream.message(seconds=5)
            finally:
                stop.set()
                await writer
        await window.http.aclose()
    assert first["data"]["text"] == "0"
    assert message["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert completed == {"id": stream.id, "type": "complete"}
