"""A person's risk level as the handlers of their appeals see it, and the prompt to screen.

The level is the newest screening's (a crisis record makes it CRISIS until a later
screening says otherwise). It is read for appeals the caller sees (`petition_scope`):
the level travels with the appeal, the score and notes never do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

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


def screening_suggested(*, repeat: bool, collective: bool, flags: int, screened: bool) -> bool:
    """Prompt to screen a person with repeated or collective appeals or a risk flag, who
    has not been screened yet."""
    return not screened and (repeat or collective or flags > 0)


async def risk_by_petition(
    session: AsyncSession, caller: Caller, petition_ids: Sequence[int]
) -> list[RiskView | None]:
    """For each appeal, its risk as `caller` sees it; None where the appeal is not in the
    caller's slice. One statement (a page's cost must not grow with its rows)."""
    p, s, c, f = models.Petition, models.Screening, models.CrisisRecord, models.RiskFlag
    n = aliased(models.Screening)
    newest = (
        select(n.id)
        .where(n.petitioner_id == p.petitioner_id)
        .order_by(n.screened_at.desc(), n.id.desc())
        .limit(1)
        .correlate(p)
        .scalar_subquery()
    )
    rows = await session.execute(
        petition_scope(
            select(
                p.id,
                p.repeat_count,
                p.repeat_of_id,
                p.collective,
                select(s.risk_level).where(s.id == newest).scalar_subquery().label("level"),
                select(s.screened_at).where(s.id == newest).scalar_subquery().label("screened_at"),
                select(func.max(c.recorded_at))
                .where(c.petitioner_id == p.petitioner_id)
                .scalar_subquery()
                .label("crisis_at"),
                select(func.count()).where(f.petition_id == p.id).scalar_subquery().label("flags"),
            ),
            caller,
        ).where(p.id.in_(set(petition_ids)))
    )
    views: dict[int, RiskView] = {}
    for row in rows:
        level = current_level(row.level, row.screened_at, row.crisis_at)
        views[row.id] = RiskView(
            level,
            int(row.flags),
            screening_suggested(
                # Only the hall sees every earlier appeal: for anyone else a repeat outside
                # their slice must not show through the prompt (resolvers/appeals/repeats.py).
                repeat=caller.is_hall and bool(row.repeat_count or row.repeat_of_id),
                collective=row.collective,
                flags=int(row.flags),
                screened=level is not None,
            ),
        )
    return [views.get(i) for i in petition_ids]


def current_level(
    screened: RiskLevel | str | None, screened_at: datetime | None, crisis_at: datetime | None
) -> RiskLevel | None:
    """The newest screening's level, unless a crisis was recorded after it. Pure."""
    level = RiskLevel[screened] if isinstance(screened, str) else screened
    if crisis_at is not None and (screened_at is None or _utc(crisis_at) >= _utc(screened_at)):
        return RiskLevel.CRISIS
    return level


def _utc(moment: datetime) -> datetime:
    # A scalar subquery loses the column type: SQLite hands back naive UTC text.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
