"""Subscriptions over WebSocket: `graphql-transport-ws` only, and a cap per token."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from typing import Any

import orjson
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)

from resolvers.access.caller import Caller
from schema.events import SEND_PAYLOAD

RATE_LIMITED = "RATE_LIMITED"


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
    go on. Each operation's task may send a `next` message whose payload another
    subscriber's execution encoded already (`schema.events.SEND_PAYLOAD`): the event
    stream's fan-out writes one text to every socket of a slice."""

    async def run_operation(self, operation: Operation[Any, Any]) -> None:
        tracing = self.view.services.settings.otlp_endpoint  # type: ignore[attr-defined]
        if not tracing:  # tracing wants every event's spans
            SEND_PAYLOAD.set(lambda payload: self.send_payload(operation, payload))
        await super().run_operation(operation)

    async def send_payload(self, operation: Operation[Any, Any], payload: str) -> bool:
        """Send `{"id", "type": "next", "payload"}` with the payload as given; False if the
        operation is over or the socket gone."""
        if operation.completed:
            return False
        frame = f'{{"id":{orjson.dumps(operation.id).decode()},"type":"next","payload":{payload}}}'
        return await self.websocket.send_text(frame)  # type: ignore[attr-defined,no-any-return]

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
