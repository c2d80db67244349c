"""The GraphQL door's edges: one WebSocket protocol, a cap on each token's
subscriptions, and an `extensions.code` on every error envelope, even those refused
before any GraphQL runs."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from httpx_ws import WebSocketDisconnect, WebSocketUpgradeError

from tests import factories
from tests.conftest import serve
from tests.streams import PROTOCOL, connect, subscription

LEGACY = "graphql-ws"  # subscriptions-transport-ws, which CONTRACT.md does not offer


def _token(client) -> str:
    return client.http.headers["Authorization"].removeprefix("Bearer ")


async def test_a_client_offering_both_protocols_gets_graphql_transport_ws(server, hall):
    async with subscription(server.url, _token(hall), [LEGACY, PROTOCOL]) as stream:
        assert stream.ws.subprotocol == PROTOCOL
        await stream.ws.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": "{ me { organisation { code } } }"},
            }
        )
        answer = await stream.message()
    assert answer["type"] == "next"
    assert answer["payload"]["data"]["me"]["organisation"]["code"] == factories.HALL


@pytest.mark.parametrize("offered", [[LEGACY], []], ids=["legacy only", "none"])
async def test_the_legacy_protocol_is_refused_at_the_handshake(server, hall, offered):
    with pytest.raises(WebSocketUpgradeError) as refused:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            from httpx_ws import aconnect_ws

            async with aconnect_ws(
                server.url.replace("http", "ws", 1) + "/graphql", http, subprotocols=offered or None
            ):
                pass
    assert refused.value.response.status_code == 403


async def test_a_bad_token_offering_both_protocols_is_closed_4403(server):
    async with connect(
        server.url, {"Authorization": "Bearer phub_forged"}, [LEGACY, PROTOCOL]
    ) as ws:
        with pytest.raises(WebSocketDisconnect) as refused:
            await ws.receive_json(timeout=10)
    assert refused.value.code == 4403


async def test_a_token_holds_at_most_its_cap_of_subscriptions(settings, sessionmaker, world):
    # Given a hub allowing two subscriptions per token, and one token on two sockets
    capped = settings.model_copy(update={"max_subscriptions_per_token": 2})
    with serve(capped) as live:
        async with sessionmaker() as session:
            token = await factories.token(session, factories.LMC)
            other = await factories.token(session, factories.LMC)
        async with (
            subscription(live.url, token) as first,
            subscription(live.url, token) as second,
            subscription(live.url, other) as third,
        ):
            await first.subscribe()
            await second.subscribe()

            # When the token asks for a third
            await second.subscribe()
            refused = await second.message()

            # Then it is refused with a code; another token is not
            assert refused["type"] == "error"
            assert refused["payload"][0]["extensions"] == {"code": "RATE_LIMITED", "limit": 2}
            await third.subscribe()
            assert await third.nothing_for(0.3)

            # And ending one frees its slot
            await first.ws.send_json({"id": first.id, "type": "complete"})
            await asyncio.sleep(0.2)
            await second.subscribe()
            assert await second.nothing_for(0.3)


async def test_a_malformed_subscribe_gives_its_slot_back(settings, sessionmaker, world):
    # Given a hub allowing one subscription per token
    capped = settings.model_copy(update={"max_subscriptions_per_token": 1})
    with serve(capped) as live:
        async with sessionmaker() as session:
            token = await factories.token(session, factories.LMC)

        # When the token sends a subscribe without a query (the socket is closed)
        async with subscription(live.url, token) as broken:
            await broken.ws.send_json({"id": "1", "type": "subscribe", "payload": {}})
            with pytest.raises(WebSocketDisconnect) as closed:
                await broken.ws.receive_json(timeout=10)
            assert closed.value.code == 4400

        # Then its one slot is free again
        async with subscription(live.url, token) as stream:
            await stream.subscribe()
            assert await stream.nothing_for(0.3)


@pytest.mark.parametrize(
    ("content", "body"),
    [
        ("application/json", b'{"query": "{ me { name } "'),  # malformed JSON
        ("application/json", b'[{"query": "{ me { name } }"}, {"query": "{ me { name } }"}]'),
        ("application/json", b'{"query": ""}'),
        ("application/json", b"{}"),
        ("application/json", b'"{ me { name } }"'),
        ("text/plain", b"{ me { name } }"),
    ],
    ids=["malformed JSON", "batch", "empty query", "no query", "not an object", "content type"],
)
async def test_every_refused_request_carries_a_code(hall, content, body):
    response = await hall.http.post("/graphql", content=body, headers={"Content-Type": content})

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    errors = response.json()["errors"]
    assert errors and all(e["extensions"]["code"] == "BAD_USER_INPUT" for e in errors)


async def test_a_mutation_over_get_carries_a_code(hall):
    response = await hall.http.get("/graphql", params={"query": "mutation { __typename }"})

    assert response.status_code in (400, 405)
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
