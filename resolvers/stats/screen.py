"""The data screen (可视化数据大屏): the leaders' figures on one page, for the caller.

Every rate and count comes from `figures.petition_stats` — the same function behind
`Query.stats` — over the same slice (`access.stats_filter`: the hall and leaders see the
district, everyone else its own); the trend is one grouped count over the same filter.
The lists of appeals (overdue, due soon, backlog) name appeals, so they are read
through the appeals' own slice (`access.petition_scope`), like the worklist.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_scope, stats_filter
from resolvers.deadlines import standing
from resolvers.governance.profiles import list_profiles
from resolvers.governance.targets import list_targets
from resolvers.services import Services
from resolvers.stats.figures import GroupBy, Stats, StatsRow, petition_stats

LIST_SIZE = 10
TREND_WEEKS = 26
TREND_MONTHS = 12


@dataclass(frozen=True)
class Place:
    """A street or community beside its appeals: per 10,000 residents and overdue."""

    code: str
    name: str
    street: str
    received: int
    overdue: int
    population: int | None
    per_10k: float | None


@dataclass
class Screen:
    today: date
    today_received: int
    year: Stats
    by_street: list[StatsRow]
    by_category: list[StatsRow]
    by_matter: list[StatsRow]
    communities: list[Place]
    weekly: list[tuple[date, int]]
    monthly: list[tuple[date, int]]
    overdue: list[models.Petition]
    due_soon: list[models.Petition]
    backlog: list[models.Petition]
    targets: dict[str, float]


async def screen_figures(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime
) -> Screen:
    """Everything the data screen shows, for `caller`, as of `now`."""
    today = now.astimezone(services.tz).date()
    first_of_year = today.replace(month=1, day=1)

    async def stats(start: date, group_by: GroupBy) -> Stats:
        return await petition_stats(
            session=session,
            caller=caller,
            services=services,
            start=start,
            end=today,
            group_by=group_by,
            now=now,
        )

    year = await stats(first_of_year, GroupBy.STREET)
    today_stats = await stats(today, GroupBy.CATEGORY)
    by_community = await stats(first_of_year, GroupBy.COMMUNITY)
    return Screen(
        today=today,
        today_received=today_stats.total.received,
        year=year,
        by_street=year.rows,
        by_category=(await stats(first_of_year, GroupBy.CATEGORY)).rows,
        by_matter=(await stats(first_of_year, GroupBy.MATTER)).rows,
        communities=await _places(session, by_community.rows),
        weekly=await _trend(session, caller, services, today, weekly=True),
        monthly=await _trend(session, caller, services, today, weekly=False),
        overdue=await _listed(session, caller, standing.overdue(now), models.Petition.due_at),
        due_soon=await _listed(
            session, caller, standing.due_soon(now, services), models.Petition.due_at
        ),
        backlog=await _listed(
            session, caller, models.Petition.backlog.is_(True), models.Petition.received_at
        ),
        targets=await list_targets(session),
    )


async def _places(session: AsyncSession, rows: list[StatsRow]) -> list[Place]:
    """Communities with their street and population (the governance data, else the
    region's own figure), appeals per 10,000 residents."""
    street = models.Region.__table__.alias("street")
    regions = {
        code: (name, street_name, population, region_id)
        for code, name, street_name, population, region_id in (
            await session.execute(
                select(
                    models.Region.code,
                    models.Region.name,
                    street.c.name,
                    models.Region.population,
                    models.Region.id,
                )
                .join(street, street.c.id == models.Region.parent_id)
                .where(models.Region.kind == models.RegionKind.COMMUNITY)
            )
        ).all()
    }
    profiles = await list_profiles(session)
    places = []
    for row in rows:
        if row.key not in regions:
            continue
        name, street_name, population, region_id = regions[row.key]
        profile = profiles.get(region_id)
        people = profile.population if profile else population
        places.append(
            Place(
                code=row.key,
                name=name,
                street=street_name,
                received=row.received,
                overdue=row.overdue,
                population=people,
                per_10k=round(row.received * 10_000 / people, 1) if people else None,
            )
        )
    places.sort(key=lambda p: (p.street, p.code))
    return places


async def _trend(
    session: AsyncSession, caller: Caller, services: Services, today: date, *, weekly: bool
) -> list[tuple[date, int]]:
    """Appeals received per week (Mondays) or month (firsts), oldest first, zeros kept."""
    if weekly:
        start = today - timedelta(days=today.weekday(), weeks=TREND_WEEKS - 1)
    else:
        month = today.month - TREND_MONTHS + 1
        start = date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    lo = datetime.combine(start, time.min, tzinfo=services.tz)
    p = models.Petition
    day = _local_day(session, p.received_at, services)
    counts: Counter[date] = Counter()
    for value, n in (
        await session.execute(
            select(day, func.count()).where(stats_filter(caller), p.received_at >= lo).group_by(day)
        )
    ).all():
        local = value if isinstance(value, date) else date.fromisoformat(str(value))
        counts[local - timedelta(days=local.weekday()) if weekly else local.replace(day=1)] += n
    buckets = []
    bucket = start
    while bucket <= today:
        buckets.append((bucket, counts.get(bucket, 0)))
        bucket = (
            bucket + timedelta(weeks=1)
            if weekly
            else (bucket.replace(day=28) + timedelta(days=4)).replace(day=1)
        )
    return buckets


def _local_day(session: AsyncSession, column: Any, services: Services) -> Any:
    """The local calendar day of a timestamp column, in SQL (grouped by the database)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(services.settings.timezone, column))
    offset = datetime.now(services.tz).utcoffset() or timedelta()
    return func.date(column, f"{int(offset.total_seconds() // 3600):+d} hours")


async def _listed(
    session: AsyncSession, caller: Caller, condition: ColumnElement[bool], order: Any
) -> list[models.Petition]:
    statement = (
        petition_scope(select(models.Petition), caller)
        .where(condition)
        .order_by(order)
        .limit(LIST_SIZE)
    )
    return list((await session.scalars(statement)).all())
