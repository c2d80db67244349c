"""Subscriptions over WebSocket: `graphql-transport-ws` only, a cap per token, and the
event stream's outlet to each operation's socket."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)

from resolvers.access.caller import Caller
from schema.events import OUTLET

RATE_LIMITED = "RATE_LIMITED"
SERVER_SEND = "petition_hub.server_send"


class KeepServerSend:
    """ASGI middleware, outermost: keeps a WebSocket's `send` as the server gave it in
    the scope, so that the event feed can write a ready frame to the socket
    (`frame_writer`) without going through every middleware's wrapper."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[SERVER_SEND] = send
        await self.app(scope, receive, send)


def frame_writer(scope: Scope) -> Callable[[str], bool | None] | None:
    """A function that writes a text frame to the socket at once, or says it cannot:
    True written, False the socket is gone, None its buffer is full (the transport
    has paused writing). Only for uvicorn's WebSocket protocols, whose `send` waits
    for nothing but that; None for any other server (each frame is then sent from
    the operation's own task)."""
    send = scope.get(SERVER_SEND)
    protocol: Any = getattr(send, "__self__", None)
    writable = getattr(protocol, "writable", None)
    if not isinstance(writable, asyncio.Event) or not type(protocol).__module__.startswith(
        "uvicorn.protocols.websockets."
    ):
        return None
    assert send is not None

    def write(text: str) -> bool | None:
        if protocol.disconnected or protocol.close_sent:
            return False
        if not writable.is_set():
            return None
        sending = send({"type": "websocket.send", "text": text})
        try:
            sending.send(None)  # runs to its end: the socket is writable
        except StopIteration:
            return True
        except Exception:  # closed meanwhile (uvicorn's ClientDisconnected)
            return False
        sending.close()  # it would have waited, before writing anything
        return None

    return write


class OperationOutlet:
    """One operation's `next` messages with a payload already encoded: the frame is the
    payload between the operation's own prefix and a brace."""

    def __init__(self, handler: HubTransportWS, operation: Operation[Any, Any]) -> None:
        self.handler = handler
        self.operation = operation
        self.operations = handler.operations  # the connection's operations still on
        self.prefix = f'{{"id":{orjson.dumps(operation.id).decode()},"type":"next","payload":'
        self.writer = frame_writer(handler.websocket.ws.scope)  # type: ignore[attr-defined]

    def current(self) -> bool:
        """The operation is still on (the client has not completed it, nor we)."""
        operation = self.operation
        return not operation.completed and self.operations.get(operation.id) is operation

    async def send(self, payload: str) -> bool:
        if not self.current():
            return False
        return await self.handler.websocket.send_text(self.prefix + payload + "}")  # type: ignore[attr-defined,no-any-return]

    def write(self, payload: str) -> bool | None:
        # (once per subscriber and event: `current` inlined)
        operation = self.operation
        if operation.completed or self.operations.get(operation.id) is not operation:
            return False
        writer = self.writer
        return None if writer is None else writer(self.prefix + payload + "}")


def holder(caller: Caller | None) -> Hashable | None:
    """Whose slots an operation takes: the API token's, or the staff member's."""
    if caller is None:
        return None
    if caller.client_id is not None:
        return ("token", caller.client_id)
    return ("user", caller.user_id, caller.organisation_id)


class SubscriptionSlots:
    """How many operations each token has open over WebSocket, in this process.

    Every connection of a token counts against the same cap; with several workers
    each process keeps its own count, so the cap holds per worker.
    """

    def __init__(self, per_token: int) -> None:
        self.per_token = per_token
        self.taken: Counter[Hashable] = Counter()

    def take(self, key: Hashable) -> bool:
        if self.taken[key] >= self.per_token:
            return False
        self.taken[key] += 1
        return True

    def give_back(self, key: Hashable) -> None:
        self.taken[key] -= 1
        if self.taken[key] <= 0:
            del self.taken[key]


class HubTransportWS(BaseGraphQLTransportWSHandler[Any, Any]):
    """strawberry's `graphql-transport-ws` handler, with the per-token cap: one
    operation more answers an `error` message coded `RATE_LIMITED`, and the others
    go on. Each operation gets an outlet (`schema.events.OUTLET`) for `next` messages
    whose payload was encoded once for its slice: the event feed writes that text to
    every waiting socket of the slice itself."""

    async def run_operation(self, operation: Operation[Any, Any]) -> None:
        tracing = self.view.services.settings.otlp_endpoint  # type: ignore[attr-defined]
        if not tracing:  # tracing wants every event's spans
            OUTLET.set(OperationOutlet(self, operation))
        await super().run_operation(operation)

    async def handle_subscribe(self, message: Any) -> None:
        slots: SubscriptionSlots = self.view.subscription_slots  # type: ignore[attr-defined]
        key = holder(getattr(self.context, "maybe_caller", None))
        if not self.connection_acknowledged or key is None or message["id"] in self.operations:
            # strawberry closes the socket (4401 unauthorised, 4409 duplicate id)
            await super().handle_subscribe(message)
            return
        if not slots.take(key):
            await self.send_message(
                {
                    "id": message["id"],
                    "type": "error",
                    "payload": [
                        {
                            "message": f"subscription limit reached: at most {slots.per_token} "
                            "operations at once per token",
                            "extensions": {"code": RATE_LIMITED, "limit": slots.per_token},
                        }
                    ],
                }
            )
            return
        try:
            await super().handle_subscribe(message)
        finally:
            # A malformed message (no query) closes the socket from inside: the slot
            # goes back unless an operation now holds it, until that operation ends.
            operation = self.operations.get(message["id"])
            if operation is None or operation.task is None:
                slots.give_back(key)
            else:
                operation.task.add_done_callback(lambda _: slots.give_back(key))
