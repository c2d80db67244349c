"""The mix of a year's appeals: how many of each kind, where, when. Tune here."""

from __future__ import annotations

import random
from bisect import bisect_left
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from db.models import Category, Channel, Level, Matter, SiteKind

FIRST_DAY = date(2025, 12, 1)
LAST_DAY = date(2026, 11, 25)
REPEAT_WINDOW = timedelta(days=365)
LEVEL_RANK = {Level.COMMUNITY: 0, Level.STREET: 1, Level.DISTRICT: 2, Level.CITY: 3}
UP = {
    Level.COMMUNITY: Level.STREET,
    Level.STREET: Level.DISTRICT,
    Level.DISTRICT: Level.CITY,
    Level.CITY: Level.CITY,
}

CATEGORIES = (list(Category), [45, 12, 35, 3, 3.5, 1.5])
MATTERS = [
    Matter.LABOUR_WAGES,
    Matter.LABOUR_CONTRACT,
    Matter.CONSTRUCTION_NUISANCE,
    Matter.HOUSING,
    Matter.HOMESTEAD_LAND,
    Matter.FAMILY,
    Matter.ENVIRONMENT,
    Matter.TRAFFIC,
    Matter.PUBLIC_SERVICES,
    Matter.OTHER,
]
MATTER_WEIGHTS = [18, 12, 12, 10, 6, 7, 9, 8, 11, 7]
LEVELS = ([Level.COMMUNITY, Level.STREET, Level.DISTRICT, Level.CITY], [52, 30, 15, 3])
CHANNELS: dict[Level, tuple[list[Channel], list[int]]] = {
    Level.COMMUNITY: (
        [Channel.WALK_IN, Channel.HOTLINE, Channel.ONLINE, Channel.LETTER],
        [70, 15, 11, 4],
    ),
    Level.STREET: (
        [Channel.WALK_IN, Channel.HOTLINE, Channel.ONLINE, Channel.LETTER],
        [55, 20, 18, 7],
    ),
    Level.DISTRICT: (
        [Channel.WALK_IN, Channel.HOTLINE, Channel.ONLINE, Channel.LETTER],
        [45, 25, 20, 10],
    ),
    Level.CITY: ([Channel.ONLINE, Channel.HOTLINE], [55, 45]),
}
# How likely an appeal received at community level comes in at a site station.
AT_SITE = {
    Matter.LABOUR_WAGES: 0.35,
    Matter.LABOUR_CONTRACT: 0.2,
    Matter.CONSTRUCTION_NUISANCE: 0.15,
    Matter.PUBLIC_SERVICES: 0.15,
    Matter.HOUSING: 0.1,
}
SITES_FOR = {
    Matter.LABOUR_WAGES: (SiteKind.CONSTRUCTION_SITE,),
    Matter.LABOUR_CONTRACT: (SiteKind.CONSTRUCTION_SITE, SiteKind.ENTERPRISE_PARK),
    Matter.CONSTRUCTION_NUISANCE: (SiteKind.CONSTRUCTION_SITE, SiteKind.RESIDENTIAL_ESTATE),
    Matter.PUBLIC_SERVICES: (SiteKind.SCHOOL, SiteKind.HOSPITAL),
    Matter.HOUSING: (SiteKind.RESIDENTIAL_ESTATE,),
}
SATISFACTION = (
    ["SATISFIED", "BASICALLY_SATISFIED", "DISSATISFIED", "REFUSED", "UNREACHABLE"],
    [82, 13, 2.5, 1.5, 1],
)
COLLECTIVE_MATTERS = (
    [Matter.LABOUR_WAGES, Matter.HOMESTEAD_LAND, Matter.CONSTRUCTION_NUISANCE, Matter.HOUSING],
    [60, 15, 15, 10],
)
BACKLOG_MATTERS = (
    [
        Matter.HOMESTEAD_LAND,
        Matter.LABOUR_WAGES,
        Matter.HOUSING,
        Matter.FAMILY,
        Matter.CONSTRUCTION_NUISANCE,
    ],
    [35, 25, 20, 10, 10],
)
P_REPEAT, P_REUSE = 0.07, 0.25  # an earlier appeal's person and matter; a person again


def weighted(rng: random.Random, pair: tuple[list, list]) -> Any:  # type: ignore[type-arg]
    return rng.choices(pair[0], pair[1])[0]


def open_at(closed_at: datetime | None, at: datetime) -> bool:
    return closed_at is None or closed_at > at


def receipt_times(rng: random.Random, count: int, tz: ZoneInfo) -> list[datetime]:
    """When the appeals came in: mostly office hours on weekdays, sorted."""
    days: list[date] = []
    weights: list[float] = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        weight = (1.0, 1.0, 1.0, 1.0, 0.95, 0.3, 0.2)[day.weekday()]
        if day.month == 1 or (day.month == 2 and day.day < 12):
            weight *= 1.2  # wage arrears before the Spring Festival
        if date(2026, 2, 15) <= day <= date(2026, 2, 23) or date(2026, 10, 1) <= day <= date(
            2026, 10, 7
        ):
            weight *= 0.3
        days.append(day)
        weights.append(weight)
        day += timedelta(days=1)
    cumulative = list(accumulate(weights))
    times = []
    for _ in range(count):
        chosen = days[bisect_left(cumulative, rng.random() * cumulative[-1])]
        if chosen.weekday() < 5 and rng.random() < 0.9:
            seconds = rng.uniform(8.5 * 3600, 17.75 * 3600)
        else:
            seconds = rng.uniform(7 * 3600, 23 * 3600)
        if chosen == LAST_DAY:  # the demo's "now" is six in the evening of the last day
            seconds = rng.uniform(8.5 * 3600, 17.5 * 3600)
        times.append(datetime.combine(chosen, time(0), tzinfo=tz) + timedelta(seconds=seconds))
    times.sort()
    return [t.replace(microsecond=0) for t in times]
