"""The event stream as a GraphQL subscription (`graphql-transport-ws`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextvars import ContextVar
from inspect import isawaitable
from typing import Annotated, Any

import orjson
import strawberry
from graphql import ExecutionResult
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from resolvers import metrics
from resolvers.events.stream import Delivery, follow_deliveries, starting_point
from schema.appeals.types import PetitionEvent
from schema.common import Info
from schema.context import Context
from schema.enums import EventKind


@strawberry.type(description="Live streams, each within the caller's slice.")
class Subscription:
    @strawberry.federation.field(
        is_subscription=True,
        requires_scopes=[["events:subscribe"]],
        tags=["partner"],
        description="Every event of the appeals in the caller's slice, in order: first those "
        "after `after` (a replay), then each new one as it is committed. Needs the "
        "`events:subscribe` scope.",
    )
    async def petition_events(
        self,
        info: Info,
        after: Annotated[
            str | None,
            strawberry.argument(
                description="Resume after this event's `cursor`; omitted, only events "
                "committed from now on."
            ),
        ] = None,
        kinds: Annotated[
            list[EventKind] | None, strawberry.argument(description="Only these kinds.")
        ] = None,
    ) -> AsyncGenerator[PetitionEvent, None]:
        context = info.context
        caller = context.caller
        async with context.database() as session:
            start = await starting_point(session=session, caller=caller, after=after)
        await context.next_event()  # hold no session while waiting
        events = follow_deliveries(
            context.sessionmaker,
            caller,
            context.services.broker,
            start,
            kinds=kinds,
            poll_interval=context.services.settings.stream_poll_interval,
            recheck=context.reauthenticate,
        )
        return _deliver(info, events)


# The transport's way to send one operation's `next` message whose payload is already
# encoded (web/websocket.py sets it for each operation's task); False once the socket
# is gone. Unset (another transport, tracing on): every event goes through graphql-core.
SEND_PAYLOAD: ContextVar[Callable[[str], Awaitable[bool]] | None] = ContextVar(
    "send_payload", default=None
)


def result_key(body: str, variables: Any, caller: Any) -> tuple[Any, ...]:
    """Which subscribers of a slice may share an event's result: the same document and
    variables, asked by the same organisation with the same roles and scopes."""
    # graphql-core 3.3 keeps the coerced values beside their sources
    coerced: dict[str, Any] = getattr(variables, "coerced", variables) or {}
    return (
        body,
        repr(sorted(coerced.items())),
        caller.organisation_id,
        caller.roles,
        caller.scopes,
    )


async def _deliver(
    info: Info, events: AsyncGenerator[Delivery, None]
) -> AsyncGenerator[PetitionEvent, None]:
    metrics.OPEN_SUBSCRIPTIONS.inc()
    send = SEND_PAYLOAD.get()
    raw = info._raw_info
    caller = info.context.maybe_caller
    location = raw.operation.loc
    key = None
    if send is not None and location is not None and caller is not None:
        key = result_key(location.source.body, raw.variable_values, caller)
    try:
        async for row in events:
            if key is not None and send is not None:
                # Another subscriber of the slice asked the same of this event: its
                # result was encoded once, and the same text goes to this socket too,
                # without executing anything for this subscriber.
                entry = row.rendered.get(key)
                if entry is not None and not entry.done():
                    await asyncio.shield(entry)  # the first subscriber is executing it
                if entry is not None and entry.result() is not None:
                    if not await send(row.rendered[FRAME, key]):
                        return
                    continue
            # The stream read the appeal (through the slice) and the acting organisation
            # with the event, once for every subscriber of the slice: the usual fields
            # resolve from these, without a read per subscriber.
            preloaded: dict[tuple[str, int], Any] = {("petition", row.petition.id): row.petition}
            if row.organisation is not None:
                preloaded["organisation", row.organisation.id] = row.organisation
            info.context.preloaded = preloaded
            event = PetitionEvent.from_row(row.event, info)
            event.shared_results = row.rendered
            yield event
            # The event has been resolved and sent: nothing of it stays open or cached.
            await info.context.next_event()
    finally:
        metrics.OPEN_SUBSCRIPTIONS.dec()
        await events.aclose()


FRAME = "frame"  # beside a shared result: its `next` payload as JSON text


class SharedEventResults(StrawberryGraphQLCoreExecutionContext):
    """Executes a stream event once for all the subscribers of a slice that ask the same.

    The event feed hands every subscriber of a slice the same `Delivery`; the first of
    them to execute a document (with the same variables, organisation, roles and
    scopes) leaves its result there, and the others send that result instead of
    resolving every field again. A result with errors, or one that showed personal
    data (each subscriber's read is audited), is not shared: each executes its own.
    """

    def execute_operation(self, serially: bool | None = None) -> Any:
        shared = getattr(self.root_value, "shared_results", None)
        context = self.context_value
        location = self.operation.loc
        if (
            shared is None
            or location is None
            or not isinstance(context, Context)
            or context.maybe_caller is None
        ):
            return super().execute_operation(serially)
        key = result_key(location.source.body, self.variable_values, context.maybe_caller)
        entry = shared.get(key)
        if entry is None:
            shared[key] = entry = asyncio.get_running_loop().create_future()
            return self._lead(entry, context, serially, shared, key)
        if entry.done() and entry.result() is not None:
            return entry.result()  # the usual case, without a coroutine
        return self._follow(entry, serially)

    async def _own(self, serially: bool | None) -> ExecutionResult:
        result = super().execute_operation(serially)
        if isawaitable(result):
            result = await result
        assert isinstance(result, ExecutionResult)
        return result

    async def _lead(
        self,
        entry: asyncio.Future[ExecutionResult | None],
        context: Context,
        serially: bool | None,
        shared: dict[Any, Any] | None = None,
        key: tuple[Any, ...] = (),
    ) -> ExecutionResult:
        try:
            result = await self._own(serially)
        except BaseException:
            entry.set_result(None)
            raise
        shareable = not result.errors and not context.showed_personal_data
        if shareable and shared is not None:
            # The `next` message's payload, encoded once for every subscriber of the slice.
            shared[FRAME, key] = orjson.dumps({"data": result.data}).decode()
        entry.set_result(result if shareable else None)
        return result

    async def _follow(
        self, entry: Awaitable[ExecutionResult | None], serially: bool | None
    ) -> ExecutionResult:
        result = await asyncio.shield(entry)
        return result if result is not None else await self._own(serially)
