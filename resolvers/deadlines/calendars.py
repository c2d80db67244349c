"""The calendar as data: load it, import a year's official schedule, show a year.

`resolvers/deadlines/calendar.py` stays pure; this module moves schedules between the
`calendar_days`/`calendar_years` tables and a `WorkingCalendar`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from db.models import CalendarSource
from resolvers import validation
from resolvers.deadlines.calendar import WorkingCalendar, statutory_holidays
from resolvers.deadlines.recompute import recompute_provisional_deadlines
from resolvers.errors import BadUserInput
from resolvers.services import Services

log = logging.getLogger("petition_hub.calendar")


async def load_calendar(session: AsyncSession) -> WorkingCalendar:
    """The working calendar the `calendar_days` and `calendar_years` tables describe."""
    years = frozenset(
        (
            await session.scalars(
                select(models.CalendarYear.year).where(models.CalendarYear.official)
            )
        ).all()
    )
    rows = (await session.execute(select(models.CalendarDay.day, models.CalendarDay.working))).all()
    overrides = {day: working for day, working in rows if working != (day.weekday() < 5)}
    return WorkingCalendar(overrides=overrides, official_years=years)


@dataclass
class YearSchedule:
    """A year's official schedule as the State Council publishes it."""

    year: int
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: dict[date, str] = field(default_factory=dict)

    def overrides(self) -> list[tuple[date, bool]]:
        return [(d, False) for d in self.holidays] + [(d, True) for d in self.workdays]


def parse_schedule(text: str) -> YearSchedule:
    """Read and check a schedule file (see README, "The calendar"); nothing is stored here."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadUserInput(
            "not JSON: {error}", field="file", params={"error": str(error)}
        ) from None
    except RecursionError:  # "[[[[…" thousands deep: no schedule looks like that
        raise BadUserInput("the file is nested too deeply to be a schedule", field="file") from None
    if not isinstance(raw, dict):
        raise BadUserInput("the file must hold one JSON object")
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2200:
        raise BadUserInput("`year` must be a whole number between 2000 and 2200")
    schedule = YearSchedule(year)
    for index, item in enumerate(_list(raw, "holidays")):
        where = f"holidays[{index}]"
        name = _name(item, where)
        first = _date(item.get("from"), f"{where}.from", year)
        last = _date(item.get("to", item.get("from")), f"{where}.to", year)
        if last < first:
            raise BadUserInput(
                "{where}: `to` ({last}) is before `from` ({first})",
                params={"where": where, "last": last, "first": first},
            )
        day = first
        while day <= last:
            if day in schedule.holidays:
                raise BadUserInput(
                    "{where}: {day} is listed twice as a holiday",
                    params={"where": where, "day": day},
                )
            schedule.holidays[day] = name
            day += timedelta(days=1)
    for index, item in enumerate(_list(raw, "workdays")):
        where = f"workdays[{index}]"
        day = _date(item.get("date"), f"{where}.date", year)
        if day.weekday() < 5:
            raise BadUserInput(
                "{where}: {day} is a weekday; a make-up working day is a weekend",
                params={"where": where, "day": day},
            )
        if day in schedule.holidays:
            raise BadUserInput(
                "{where}: {day} is also listed as a holiday", params={"where": where, "day": day}
            )
        if day in schedule.workdays:
            raise BadUserInput(
                "{where}: {day} is listed twice", params={"where": where, "day": day}
            )
        schedule.workdays[day] = _name(item, where)
    if not schedule.holidays:
        raise BadUserInput("a year's schedule lists its holidays")
    return schedule


def _list(raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise BadUserInput("`{key}` must be a list of objects", params={"key": key})
    return value


def _name(item: dict[str, Any], where: str) -> str:
    name = item.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 32:
        raise BadUserInput(
            "{where}.name: give the holiday's name (1–32 characters)", params={"where": where}
        )
    return validation.storable(name.strip(), f"{where}.name")


def _date(value: Any, where: str, year: int) -> date:
    if not isinstance(value, str):
        raise BadUserInput("{where}: a date is written YYYY-MM-DD", params={"where": where})
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadUserInput(
            "{where}: {value} is not a real date (YYYY-MM-DD)",
            params={"where": where, "value": repr(value)},
        ) from None
    if day.year != year:
        raise BadUserInput(
            "{where}: {day} is not in {year}", params={"where": where, "day": day, "year": year}
        )
    return day


@dataclass
class DayChange:
    day: date
    was_working: bool
    working: bool
    name: str


@dataclass
class ImportResult:
    year: int
    was_official: bool
    changes: list[DayChange]
    recomputed: int


def compare(before: WorkingCalendar, after: WorkingCalendar, year: int) -> list[DayChange]:
    """The days of `year` whose working status differs between two calendars."""
    changes = []
    day = date(year, 1, 1)
    while day.year == year:
        old, new = before.is_working_day(day), after.is_working_day(day)
        if old != new:
            changes.append(DayChange(day, old, new, ""))
        day += timedelta(days=1)
    return changes


async def import_schedule(
    *, session: AsyncSession, services: Services, schedule: YearSchedule, now: datetime
) -> ImportResult:
    """Store a year's official schedule, replacing what was known of it, and recompute
    every open provisional deadline — all in one transaction."""
    await begin_write(session)
    before = await load_calendar(session)
    after = before.with_year(schedule.year, schedule.overrides())
    changes = compare(before, after, schedule.year)
    for change in changes:
        change.name = schedule.holidays.get(change.day) or schedule.workdays.get(change.day, "")
    await session.execute(
        delete(models.CalendarDay).where(
            models.CalendarDay.day >= date(schedule.year, 1, 1),
            models.CalendarDay.day <= date(schedule.year, 12, 31),
        )
    )
    session.add_all(
        [
            models.CalendarDay(day=d, working=False, name=n, source=CalendarSource.IMPORT)
            for d, n in schedule.holidays.items()
        ]
        + [
            models.CalendarDay(day=d, working=True, name=n, source=CalendarSource.IMPORT)
            for d, n in schedule.workdays.items()
        ]
    )
    year_row = await session.get(models.CalendarYear, schedule.year)
    if year_row is None:
        year_row = models.CalendarYear(year=schedule.year, source=CalendarSource.IMPORT)
        session.add(year_row)
    year_row.source, year_row.official, year_row.imported_at = CalendarSource.IMPORT, True, now
    recomputed = await recompute_provisional_deadlines(
        session, before=before, after=after, tz=services.tz, now=now
    )
    await session.commit()
    services.calendar = after
    log.info(
        "calendar imported",
        extra={"year": schedule.year, "changedDays": len(changes), "recomputed": recomputed},
    )
    return ImportResult(schedule.year, before.is_official(date(schedule.year, 1, 1)), changes,
                        recomputed)  # fmt: skip


@dataclass
class YearView:
    year: int
    official: bool
    source: str
    holidays: list[tuple[date, str]]
    workdays: list[tuple[date, str]]


async def show_year(session: AsyncSession, year: int) -> YearView:
    """A year's holidays and make-up working days: official if known, else the estimate."""
    year_row = await session.get(models.CalendarYear, year)
    if year_row is not None and year_row.official:
        rows = (
            await session.scalars(
                select(models.CalendarDay)
                .where(
                    models.CalendarDay.day >= date(year, 1, 1),
                    models.CalendarDay.day <= date(year, 12, 31),
                )
                .order_by(models.CalendarDay.day)
            )
        ).all()
        return YearView(
            year,
            True,
            year_row.source.name.lower(),
            [(r.day, r.name) for r in rows if not r.working],
            [(r.day, r.name) for r in rows if r.working],
        )
    return YearView(year, False, "estimate", sorted(statutory_holidays(year).items()), [])
