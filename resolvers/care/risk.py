"""A person's risk level as the handlers of their appeals see it, and the prompt to screen.

The level is the newest screening's (a crisis record makes it CRISIS until a later
screening says otherwise). It is read for appeals the caller sees (`petition_scope`):
the level travels with the appeal, the score and notes never do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import RiskLevel
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_scope


@dataclass(frozen=True)
class RiskView:
    """What a handler sees of an appeal's risk."""

    level: RiskLevel | None
    flags: int
    screening_suggested: bool


def screening_suggested(*, repeat: bool, collective: bool, flags: int,
                        screened: bool) -> bool:
    """Prompt to screen a person with repeated or collective appeals or a risk flag, who
    has not been screened yet."""
    return not screened and (repeat or collective or flags > 0)


async def risk_by_petition(
    session: AsyncSession, caller: Caller, petition_ids: Sequence[int]
) -> list[RiskView | None]:
    """For each appeal, its risk as `caller` sees it; None where the appeal is not in the
    caller's slice."""
    wanted = set(petition_ids)
    appeals = list(await session.execute(
        petition_scope(select(models.Petition.id, models.Petition.petitioner_id,
                              models.Petition.repeat_count, models.Petition.repeat_of_id,
                              models.Petition.collective), caller)
        .where(models.Petition.id.in_(wanted))))
    people = {row.petitioner_id for row in appeals if row.petitioner_id is not None}
    levels = await _levels(session, people)
    flags = dict((await session.execute(
        select(models.RiskFlag.petition_id, func.count())
        .where(models.RiskFlag.petition_id.in_(wanted))
        .group_by(models.RiskFlag.petition_id))).all())
    views: dict[int, RiskView] = {}
    for row in appeals:
        level = levels.get(row.petitioner_id) if row.petitioner_id else None
        count = int(flags.get(row.id, 0))
        views[row.id] = RiskView(level, count, screening_suggested(
            repeat=bool(row.repeat_count or row.repeat_of_id), collective=row.collective,
            flags=count, screened=level is not None))
    return [views.get(i) for i in petition_ids]


async def _levels(session: AsyncSession, people: set[int]) -> dict[int, RiskLevel]:
    """Each person's current level: the newest screening or crisis record."""
    if not people:
        return {}
    latest: dict[int, tuple[object, RiskLevel]] = {}
    screenings = await session.execute(
        select(models.Screening.petitioner_id, models.Screening.screened_at,
               models.Screening.risk_level)
        .where(models.Screening.petitioner_id.in_(people)))
    crises = await session.execute(
        select(models.CrisisRecord.petitioner_id, models.CrisisRecord.recorded_at)
        .where(models.CrisisRecord.petitioner_id.in_(people)))
    found = [(p, at, level) for p, at, level in screenings]
    found += [(p, at, RiskLevel.CRISIS) for p, at in crises]
    for person, at, level in sorted(found, key=lambda r: (r[0], r[1])):
        latest[person] = (at, level)
    return {person: level for person, (_, level) in latest.items()}
