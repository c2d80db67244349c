"""The event stream as a GraphQL subscription (`graphql-transport-ws`)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from db import models
from resolvers import metrics
from resolvers.events.stream import follow_events, starting_point
from schema.appeals.types import PetitionEvent
from schema.common import Info
from schema.enums import EventKind


@strawberry.type(description="Live streams, each within the caller's slice.")
class Subscription:
    @strawberry.federation.field(
        is_subscription=True,
        requires_scopes=[["events:subscribe"]],
        tags=["partner"],
        description="Every event of the appeals in the caller's slice, in order: first those "
        "after `after` (a replay), then each new one as it is committed. Needs the "
        "`events:subscribe` scope."
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
        events = follow_events(
            context.sessionmaker,
            caller,
            context.services.broker,
            start,
            kinds=kinds,
            poll_interval=context.services.settings.stream_poll_interval,
            recheck=context.reauthenticate,
        )
        return _deliver(info, events)


async def _deliver(
    info: Info, events: AsyncGenerator[models.PetitionEvent, None]
) -> AsyncGenerator[PetitionEvent, None]:
    metrics.OPEN_SUBSCRIPTIONS.inc()
    try:
        async for row in events:
            yield PetitionEvent.from_row(row, info)
            # The event has been resolved and sent: nothing of it stays open or cached.
            await info.context.next_event()
    finally:
        metrics.OPEN_SUBSCRIPTIONS.dec()
        await events.aclose()
