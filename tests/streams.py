"""A `graphql-transport-ws` client for tests: `async with subscription(server, token) as ws`."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator
from typing import Any

import httpx
from httpx_ws import AsyncWebSocketSession, aconnect_ws

PROTOCOL = "graphql-transport-ws"
_ids = itertools.count(1)

PETITION_EVENTS = """
subscription Follow($after: String, $kinds: [EventKind!]) {
  petitionEvents(after: $after, kinds: $kinds) {
    cursor kind occurredAt data
    organisation { code }
    petition { id number status }
  }
}
"""


class Stream:
    """One WebSocket connection, acknowledged, with helpers to subscribe and read."""

    def __init__(self, ws: AsyncWebSocketSession) -> None:
        self.ws = ws
        self.id = ""

    async def subscribe(self, query: str = PETITION_EVENTS, **variables: Any) -> None:
        self.id = str(next(_ids))
        await self.ws.send_json(
            {
                "id": self.id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables},
            }
        )

    async def message(self, seconds: float = 10) -> dict[str, Any]:
        """The next message other than a ping (answered) or pong."""
        while True:
            message = await self.ws.receive_json(timeout=seconds)
            if message["type"] == "ping":
                await self.ws.send_json({"type": "pong"})
                continue
            if message["type"] != "pong":
                return message

    async def event(self, seconds: float = 10) -> dict[str, Any]:
        """The next delivered event; fails on anything else."""
        message = await self.message(seconds)
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        return message["payload"]["data"]["petitionEvents"]

    async def events_until(self, last: Any, seconds: float = 10) -> list[dict[str, Any]]:
        """Events up to and including the first for which `last(event)` is true."""
        seen = []
        while True:
            seen.append(await self.event(seconds))
            if last(seen[-1]):
                return seen

    async def nothing_for(self, seconds: float) -> bool:
        """True when no message arrives for `seconds`."""
        try:
            message = await self.message(seconds)
        except TimeoutError:
            return True
        raise AssertionError(f"unexpected message: {message}")


@contextlib.asynccontextmanager
async def connect(
    url: str, payload: dict[str, Any] | None = None, subprotocols: list[str] | None = None
) -> AsyncIterator[AsyncWebSocketSession]:
    """A WebSocket on `url`/graphql that has sent `connection_init` (not yet acknowledged)."""
    async with (
        httpx.AsyncClient(base_url=url, timeout=30) as http,
        aconnect_ws(
            url.replace("http", "ws", 1) + "/graphql",
            http,
            subprotocols=subprotocols or [PROTOCOL],
            keepalive_ping_interval_seconds=None,
        ) as ws,
    ):
        await ws.send_json({"type": "connection_init", "payload": payload or {}})
        yield ws


@contextlib.asynccontextmanager
async def subscription(
    url: str, token: str, subprotocols: list[str] | None = None
) -> AsyncIterator[Stream]:
    """An acknowledged connection for `token`."""
    async with connect(url, {"Authorization": f"Bearer {token}"}, subprotocols) as ws:
        ack = await ws.receive_json(timeout=10)
        assert ack["type"] == "connection_ack", ack
        yield Stream(ws)
