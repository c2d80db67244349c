"""`Subscription.petitionEvents` over a real WebSocket (graphql-transport-ws): replay,
live delivery, kinds, the slice, refusals, and no wake-up for a rolled-back step."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from httpx_ws import WebSocketDisconnect

import resolvers.workflow.steps
from resolvers.pagination import decode_cursor, encode_cursor
from tests import factories
from tests.factories import submit
from tests.steps import document, step
from tests.streams import connect, subscription

CURSORS = """
query Cursors($id: ID!) { petition(id: $id) { events { cursor kind } } }
"""


def token_of(client: Any) -> str:
    return client.http.headers["authorization"].split()[1]


async def cursors(client: Any, petition_id: str) -> list[dict[str, str]]:
    return (await client.data(CURSORS, {"id": petition_id}))["petition"]["events"]


async def listening(server: Any, count: int = 1) -> None:
    """Wait until the server has `count` subscribers past their start (so that what is
    written next is theirs to receive)."""
    broker = server.app.state.services.broker
    deadline = time.monotonic() + 10
    while broker.listening < count:
        assert time.monotonic() < deadline, "the subscription did not start"
        await asyncio.sleep(0.01)


async def test_replay_from_a_cursor_returns_exactly_the_later_events_in_order(server, window, hall):
    # Given an appeal with three events
    appeal = await submit(window)
    await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "addNote", id=appeal["id"], text="已电话联系")
    first, *later = await cursors(hall, appeal["id"])

    # When the hall subscribes after the first
    async with subscription(server.url, token_of(hall)) as stream:
        await stream.subscribe(after=first["cursor"])
        replayed = [await stream.event(), await stream.event()]

        # Then it gets the two later ones, in order, and nothing else
        assert [(e["cursor"], e["kind"]) for e in replayed] == [
            (e["cursor"], e["kind"]) for e in later
        ]
        assert [e["kind"] for e in replayed] == ["ACCEPTED", "NOTE_ADDED"]
        assert replayed[1]["data"]["text"] == "已电话联系"
        assert replayed[0]["organisation"]["code"] == factories.HALL
        assert replayed[0]["petition"]["number"] == appeal["number"]
        assert await stream.nothing_for(0.5)

        # And resuming from the last one gives what came after it, live
        await step(hall, "addNote", id=appeal["id"], text="再次联系")
        live = await stream.event()
        assert (live["kind"], live["data"]["text"]) == ("NOTE_ADDED", "再次联系")


async def test_a_new_appeal_is_delivered_live_and_promptly(server, window, hall):
    # Given a subscription from now on
    async with subscription(server.url, token_of(hall)) as stream:
        await stream.subscribe()
        await listening(server)

        # When the window registers an appeal
        started = time.monotonic()
        appeal = await submit(window)
        event = await stream.event()
        took = time.monotonic() - started

        # Then its SUBMITTED event arrives, woken by the commit rather than the poll
        assert event["kind"] == "SUBMITTED"
        assert event["petition"] == {
            "id": appeal["id"],
            "number": appeal["number"],
            "status": "RECEIVED",
        }
        assert event["organisation"]["code"] == factories.WINDOW
        assert took < server.app.state.settings.stream_poll_interval / 2


async def test_kinds_filter_keeps_only_the_kinds_asked_for(server, window, hall):
    async with subscription(server.url, token_of(hall)) as stream:
        await stream.subscribe(kinds=["ACCEPTED"])
        await listening(server)

        appeal = await submit(window)
        await step(hall, "addNote", id=appeal["id"], text="先备注")
        await step(hall, "acceptPetition", id=appeal["id"])

        event = await stream.event()
        assert (event["kind"], event["petition"]["id"]) == ("ACCEPTED", appeal["id"])
        assert await stream.nothing_for(0.3)


async def test_a_partner_receives_only_the_events_of_appeals_in_its_slice(
    server, window, hall, labour_committee, court
):
    # Given the labour committee and the court following from now on
    async with (
        subscription(server.url, token_of(labour_committee)) as lmc_stream,
        subscription(server.url, token_of(court)) as court_stream,
    ):
        await lmc_stream.subscribe()
        await court_stream.subscribe()
        await listening(server, 2)

        # When one appeal is given to the committee and another is not
        theirs = await submit(window)
        other = await submit(window)
        await step(hall, "acceptPetition", id=other["id"])
        await step(hall, "acceptPetition", id=theirs["id"])
        await step(
            hall, "assignPetition", id=theirs["id"], organisationCode=factories.LMC, role="LEAD"
        )
        await step(hall, "addNote", id=other["id"], text="不给调解委员会")
        await step(hall, "addNote", id=theirs["id"], text="最后一条")

        # Then the committee gets the events of its appeal from the assignment on,
        # and none of the other appeal's
        got = await lmc_stream.events_until(lambda e: e["kind"] == "NOTE_ADDED")
        assert {e["petition"]["id"] for e in got} == {theirs["id"]}
        assert [e["kind"] for e in got] == ["ASSIGNED", "NOTE_ADDED"]
        assert await lmc_stream.nothing_for(0.3)
        # And the court, whose slice holds neither, gets nothing at all
        assert await court_stream.nothing_for(0.3)

    # And replaying from before, the committee now sees its appeal's whole history
    # (ever assigned), still nothing of the other
    submitted = (await cursors(hall, theirs["id"]))[0]
    async with subscription(server.url, token_of(hall)) as hall_stream:
        await hall_stream.subscribe(after=submitted["cursor"])
        everything = await hall_stream.events_until(lambda e: e["data"].get("text") == "最后一条")
    assert {e["petition"]["id"] for e in everything} == {theirs["id"], other["id"]}


async def test_a_cursor_outside_the_slice_or_forged_is_bad_input(server, window, court, hall):
    appeal = await submit(window)
    hidden = (await cursors(hall, appeal["id"]))[0]["cursor"]
    async with subscription(server.url, token_of(court)) as stream:
        for after in (hidden, "not-a-cursor", encode_cursor(10**12), encode_cursor("x", 1)):
            await stream.subscribe(after=after)
            message = await stream.message()
            assert message["type"] == "error", message
            assert message["id"] == stream.id
            [error] = message["payload"]
            assert error["extensions"]["code"] == "BAD_USER_INPUT"
            assert error["message"] == "not a cursor this API gave out"


async def test_a_token_without_events_subscribe_is_forbidden(server, client_for):
    reader = await client_for(factories.HALL, ("petitions:read",))
    async with subscription(server.url, token_of(reader)) as stream:
        await stream.subscribe()
        message = await stream.message()
    assert message["type"] == "error", message
    assert message["payload"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    "payload",
    [{"Authorization": "Bearer phub_forged"}, {"Authorization": 42}, {}],
    ids=["bad token", "not a string", "no token"],
)
async def test_a_connection_without_a_valid_token_is_refused(server, payload):
    async with connect(server.url, payload) as ws:
        with pytest.raises(WebSocketDisconnect) as refused:
            await ws.receive_json(timeout=10)
    assert refused.value.code == 4403


async def test_a_rolled_back_step_publishes_nothing(server, window, hall, monkeypatch):
    # Given an appeal, a subscriber and a spy on what the server publishes
    appeal = await submit(window)
    broker = server.app.state.services.broker
    published: list[int] = []
    real_publish = broker.publish_soon

    def spy(event_id: int) -> None:
        published.append(event_id)
        real_publish(event_id)

    monkeypatch.setattr(broker, "publish_soon", spy)
    async with subscription(server.url, token_of(hall)) as stream:
        await stream.subscribe()
        await listening(server)

        # When a step fails after its event was written (flushed), before commit
        async def conflict(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("lost the race")

        with monkeypatch.context() as patched:
            patched.setattr(resolvers.workflow.steps, "_bump_version", conflict)
            variables = {"id": appeal["id"], "text": "不会保存"}
            body = await hall.post(document("addNote", variables), variables)
        assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"

        # Then nothing was published and nothing arrives
        assert published == []
        assert await stream.nothing_for(0.5)

        # And the next committed step is the first thing the subscriber sees
        await step(hall, "addNote", id=appeal["id"], text="保存了")
        event = await stream.event()
        assert event["data"]["text"] == "保存了"
        assert [encode_cursor(i) for i in published] == [event["cursor"]]


async def test_concurrent_writers_lose_nothing_and_keep_id_order(server, window, hall):
    # Given a subscriber resuming after a known event
    fence = await submit(window)
    after = (await cursors(hall, fence["id"]))[0]["cursor"]
    async with subscription(server.url, token_of(hall)) as stream:
        await stream.subscribe(after=after, kinds=["SUBMITTED"])

        # When twenty appeals are registered at once
        appeals = await asyncio.gather(*(submit(window) for _ in range(20)))

        # Then each SUBMITTED event arrives exactly once, in cursor (id) order
        got = [await stream.event() for _ in appeals]
        assert sorted(e["petition"]["id"] for e in got) == sorted(a["id"] for a in appeals)
        ids = [int(decode_cursor(e["cursor"])[0]) for e in got]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        assert await stream.nothing_for(0.3)


async def test_each_event_shows_the_appeal_as_it_is_when_delivered(server, window, hall):
    async with subscription(server.url, token_of(hall)) as stream:
        await stream.subscribe()
        await listening(server)

        appeal = await submit(window)
        submitted = await stream.event()
        await step(hall, "acceptPetition", id=appeal["id"])
        accepted = await stream.event()

    # Nothing of the first event's resolution was kept for the second
    assert submitted["petition"]["status"] == "RECEIVED"
    assert (accepted["kind"], accepted["petition"]["status"]) == ("ACCEPTED", "ACCEPTED")
