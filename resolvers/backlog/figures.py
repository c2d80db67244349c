"""The backlog figures leaders watch for a period: cases opened, reviews held (and how
many on time), cases settled (销号), and those open with a review or supervision overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from resolvers.access.caller import Caller
from resolvers.access.care_policy import backlog_scope
from resolvers.backlog.cases import standing


@dataclass(frozen=True)
class BacklogFigures:
    opened: int
    reviews: int
    reviewed_on_time: int
    settled: int
    open_now: int
    overdue_now: int


def _day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


async def backlog_figures(
    *, session: AsyncSession, caller: Caller, start: date, end: date, today: date, tz: tzinfo
) -> BacklogFigures:
    """Counts over the backlog cases in the caller's slice for the days `start`..`end`."""
    cases = list(await session.scalars(backlog_scope(select(models.BacklogCase), caller)))
    within = lambda day: start <= day <= end  # noqa: E731
    reviews = [
        r for c in cases for r in c.reviews if within(_day(datetime.fromisoformat(r["at"]), tz))
    ]
    still_open = [c for c in cases if c.closed_at is None]
    return BacklogFigures(
        opened=sum(1 for c in cases if within(_day(c.opened_at, tz))),
        reviews=len(reviews),
        reviewed_on_time=sum(1 for r in reviews if r.get("onTime")),
        settled=sum(1 for c in cases if c.closed_at and within(_day(c.closed_at, tz))),
        open_now=len(still_open),
        overdue_now=sum(
            1
            for c in still_open
            if (s := standing(c, today, _day(c.opened_at, tz))).review_overdue
            or s.supervision_overdue
        ),
    )
