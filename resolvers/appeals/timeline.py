"""One appeal's timeline as a caller is shown it, a keyset page at a time, newest first:
the appeal page shows the newest events and loads earlier ones on demand, so what it
reads and renders does not grow with the timeline."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from resolvers.access.caller import Caller
from resolvers.appeals.repeats import disclose_events

# How many events a page of the timeline holds.
TIMELINE_PAGE = 25


@dataclass(frozen=True)
class TimelinePage:
    """The events of one page, newest first, and the cursor of the page before it (the
    id of its oldest event: the next page holds the events below it), None at the start."""

    events: list[models.PetitionEvent]
    earlier: int | None


async def timeline_page(
    session: AsyncSession,
    caller: Caller,
    petition_id: int,
    *,
    before: int | None = None,
    first: int = TIMELINE_PAGE,
) -> TimelinePage:
    """The newest `first` events of an appeal (already known to be in the caller's
    slice) below the event id `before`, as `caller` is shown them
    (`repeats.disclose_events`). One statement (two with a repeat link a partner sees
    differently), found by the (petition_id, id) index."""
    e = models.PetitionEvent
    statement = select(e).where(e.petition_id == petition_id)
    if before is not None:
        statement = statement.where(e.id < before)
    rows = list((await session.scalars(statement.order_by(e.id.desc()).limit(first + 1))).all())
    more = len(rows) > first
    rows = rows[:first]
    shown = await disclose_events(session, caller, rows)
    return TimelinePage(shown, rows[-1].id if more and rows else None)
