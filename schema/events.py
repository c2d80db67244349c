"""The event stream as a GraphQL subscription (`graphql-transport-ws`)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from inspect import isawaitable
from typing import Annotated, Any, Protocol

import orjson
import strawberry
from graphql import ExecutionResult, OperationType
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
            direct=SliceDelivery.of(info),
        )
        return _deliver(info, events)


class Outlet(Protocol):
    """The transport's way to send one operation's `next` message whose payload is
    already encoded (web/websocket.py gives one to each operation's task)."""

    async def send(self, payload: str) -> bool:
        """Send it, waiting for the socket if need be; False once it is gone."""
        ...

    def write(self, payload: str) -> bool | None:
        """Write it now: True written, False gone, None the socket cannot take it now."""
        ...


# Unset (another transport, tracing on): every event goes through graphql-core.
OUTLET: ContextVar[Outlet | None] = ContextVar("outlet", default=None)
# The executor that is starting a subscription, while its source stream is made.
STARTING: ContextVar[SharedEventResults | None] = ContextVar("starting", default=None)


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


def _shared_key(info: Info) -> tuple[Any, ...] | None:
    raw = info._raw_info
    caller = info.context.maybe_caller
    location = raw.operation.loc
    if location is None or caller is None:
        return None
    return result_key(location.source.body, raw.variable_values, caller)


def _preload(context: Context, row: Delivery) -> None:
    # The stream read the appeal (through the slice) and the acting organisation with
    # the event, once for every subscriber of the slice: the usual fields resolve from
    # these, without a read per subscriber.
    preloaded: dict[tuple[str, int], Any] = {("petition", row.petition.id): row.petition}
    if row.organisation is not None:
        preloaded["organisation", row.organisation.id] = row.organisation
    context.preloaded = preloaded


_NUMBERS: dict[tuple[Any, ...], int] = {}
_NUMBERED = itertools.count(1)


@dataclass(eq=False)
class SliceDelivery:
    """A subscription as the event feed sees it (`resolvers.events.feed.Direct`): the
    feed renders each event once per key with this, and writes the text to the socket."""

    shared: tuple[Any, ...]  # `result_key`
    info: Info
    executor: SharedEventResults
    outlet: Outlet
    key: int = 0  # the same number for equal `shared` keys (cheap to compare)
    write: Callable[[str], bool | None] = field(init=False)  # `Outlet.write`

    @classmethod
    def of(cls, info: Info) -> SliceDelivery | None:
        outlet, executor, shared = OUTLET.get(), STARTING.get(), _shared_key(info)
        if outlet is None or executor is None or shared is None:
            return None
        key = _NUMBERS.get(shared)
        if key is None:
            if len(_NUMBERS) >= 10_000:  # forget the long-gone documents
                _NUMBERS.clear()
            key = _NUMBERS[shared] = next(_NUMBERED)
        return cls(shared, info, executor, outlet, key)

    def __post_init__(self) -> None:
        self.write = self.outlet.write  # the feed calls it for every event: no layer here

    async def render(self, row: Delivery) -> str | None:
        """Execute the document for the event as the subscription's own task would, in
        a context of its own; the result's text when it may be shared."""
        context = self.info.context.fork()
        _preload(context, row)
        event = PetitionEvent.from_row(row.event, self.info)
        event.shared_results = row.rendered
        executor = self.executor.build_per_event_executor(event)
        executor.context_value = context
        try:
            result = executor.execute_operation(False)
            if isawaitable(result):
                await result
        finally:
            # A result that showed personal data is sent to nobody (each subscriber
            # executes and is audited for its own): nothing was disclosed here.
            context.__dict__.pop("disclosures", None)
            await context.close()
        payload = row.rendered.get((FRAME, self.shared))
        return payload if isinstance(payload, str) else None


async def _deliver(
    info: Info, events: AsyncGenerator[Delivery, None]
) -> AsyncGenerator[PetitionEvent, None]:
    metrics.OPEN_SUBSCRIPTIONS.inc()
    outlet = OUTLET.get()
    key = _shared_key(info) if outlet is not None else None
    try:
        async for row in events:
            if key is not None and outlet is not None:
                # Another subscriber of the slice asked the same of this event: its
                # result was encoded once, and the same text goes to this socket too,
                # without executing anything for this subscriber.
                entry = row.rendered.get(key)
                if entry is not None and not entry.done():
                    await asyncio.shield(entry)  # the first subscriber is executing it
                if entry is not None and entry.result() is not None:
                    if not await outlet.send(row.rendered[FRAME, key]):
                        return
                    continue
            _preload(info.context, row)
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

    def build_resolve_info(
        self, field_def: Any, field_nodes: Any, parent_type: Any, path: Any
    ) -> Any:
        if (
            path.prev is None
            and self.root_value is None
            and self.operation.operation is OperationType.SUBSCRIPTION
        ):
            STARTING.set(self)  # the subscription's own resolver is about to run
        return super().build_resolve_info(field_def, field_nodes, parent_type, path)

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
