"""New timeline events for a page that follows them, read through the caller's slice.

Until the event broker (`resolvers/broker.py`) lands, the pages poll: `events_after`
is the one function that reads what is new, so swapping it for a broker subscription
changes nothing else.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from resolvers.access import petition_filter
from resolvers.caller import Caller


async def latest_event_id(session: AsyncSession) -> int:
    """The newest event's id (0 when there is none): where a page starts following."""
    value = await session.scalar(select(models.PetitionEvent.id).order_by(
        models.PetitionEvent.id.desc()).limit(1))
    return int(value or 0)


async def events_after(
    *,
    session: AsyncSession,
    caller: Caller,
    after: int,
    petition_id: int | None = None,
    limit: int = 100,
) -> list[models.PetitionEvent]:
    """Events with id > `after`, oldest first, on appeals in the caller's slice
    (only `petition_id`'s when given)."""
    e, p = models.PetitionEvent, models.Petition
    statement = (
        select(e)
        .join(p, p.id == e.petition_id)
        .where(e.id > after, petition_filter(caller))
        .order_by(e.id)
        .limit(limit)
    )
    if petition_id is not None:
        statement = statement.where(e.petition_id == petition_id)
    return list((await session.scalars(statement)).all())
