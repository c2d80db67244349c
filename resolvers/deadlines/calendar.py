"""The working-day calendar (工作日) and deadline arithmetic, in 工作日 and in 日. Pure: no
database.

Two rules count a time limit, both leaving out the day it starts from (期间开始之日不计算在内):
工作日 counts only working days; 日 counts calendar days, and when the last one is not a
working day the period ends on the next working day (民法典 第二百零一条, 第二百零三条).

The official schedule is what the State Council publishes each year: statutory
holidays, the days bridged to them, and make-up working weekends (调休). Where a
year's schedule is known, it decides; beyond it, a day is estimated from the
holidays fixed by law (their lunar dates and the Qingming solar term computed),
and anything computed from an estimate is *provisional*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from lunar_python import Lunar, Solar

from db.models.enums import TimeUnit

MAX_DAYS = 3650  # the longest time limit, in either unit


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[date, str]:
    """The rest days fixed by law (全国年节及纪念日放假办法, 2025 revision) for `year`.

    Only the holidays themselves: the yearly arrangement that bridges them to
    weekends and moves working days is not law and cannot be computed.
    """
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    spring = _solar(Lunar.fromYmd(year, 1, 1).getSolar())
    for offset in range(-1, 3):  # 除夕 and 正月初一 to 初三
        days[spring + timedelta(days=offset)] = "春节"
    qingming = Solar.fromYmd(year, 4, 4).getLunar().getJieQiTable()["清明"]
    days[_solar(qingming)] = "清明节"
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = "劳动节"
    days[_solar(Lunar.fromYmd(year, 5, 5).getSolar())] = "端午节"
    days[_solar(Lunar.fromYmd(year, 8, 15).getSolar())] = "中秋节"
    for day in (1, 2, 3):
        days[date(year, 10, day)] = "国庆节"
    return days


def _solar(solar: Solar) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days.

    `overrides` holds the official exceptions to "Monday to Friday" (a weekday
    that is a holiday → False, a make-up Saturday → True) for the `official_years`.
    """

    overrides: Mapping[date, bool] = field(default_factory=dict)
    official_years: frozenset[int] = frozenset()

    @classmethod
    def from_chinesecalendar(cls) -> WorkingCalendar:
        """The schedule the `chinesecalendar` package ships (2004 to its last year)."""
        from chinese_calendar import constants

        overrides: dict[date, bool] = {}
        for day in constants.holidays:
            if day.weekday() < 5:
                overrides[day] = False
        for day in constants.workdays:
            overrides[day] = True
        years = frozenset(
            range(
                min(d.year for d in constants.holidays), max(d.year for d in constants.holidays) + 1
            )
        )
        return cls(overrides=overrides, official_years=years)

    def with_year(self, year: int, overrides: Iterable[tuple[date, bool]]) -> WorkingCalendar:
        """A calendar that also knows `year`'s official schedule."""
        merged = {d: w for d, w in self.overrides.items() if d.year != year}
        merged.update((d, w) for d, w in overrides if d.year == year)
        return WorkingCalendar(overrides=merged, official_years=self.official_years | {year})

    def is_official(self, day: date) -> bool:
        return day.year in self.official_years

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year not in self.official_years and day in statutory_holidays(day.year):
            return False
        return day.weekday() < 5

    def working_days_after(self, start: date, n: int) -> tuple[date, bool]:
        """The Nth working day after `start` (`start` itself not counted), and whether
        any day on the way was estimated rather than official."""
        if not 0 <= n <= MAX_DAYS:
            raise ValueError(f"working days must be between 0 and {MAX_DAYS}")
        day, counted = start, 0
        provisional = not self.is_official(start) if n == 0 else False
        while counted < n:
            day += timedelta(days=1)
            provisional = provisional or not self.is_official(day)
            if self.is_working_day(day):
                counted += 1
        return day, provisional

    def days_after(self, start: date, n: int) -> tuple[date, bool]:
        """The last day of a period of `n` 日 from `start` (民法典 art. 201, 203): `start`
        is not counted; if the Nth day is not a working day, the period ends on the next
        working day. Provisional when the working status of that Nth day, or of a day
        passed on the way to the next working day, is estimated."""
        if not 0 <= n <= MAX_DAYS:
            raise ValueError(f"days must be between 0 and {MAX_DAYS}")
        day = start + timedelta(days=n)
        provisional = not self.is_official(day)
        while not self.is_working_day(day):
            day += timedelta(days=1)
            provisional = provisional or not self.is_official(day)
        return day, provisional

    def count(self, start: date, n: int, unit: TimeUnit) -> tuple[date, bool]:
        """The last day of a time limit of `n` `unit`s from `start` (not counted)."""
        if unit is TimeUnit.CALENDAR_DAYS:
            return self.days_after(start, n)
        return self.working_days_after(start, n)

    def count_all(self, start: date, parts: Iterable[tuple[int, TimeUnit]]) -> tuple[date, bool]:
        """Count each (n, unit) from where the one before ended: a time limit, then its
        extension, then the days it stood still. Parts of 0 after the first add nothing."""
        day, provisional, first = start, False, True
        for n, unit in parts:
            if n or first:
                day, more = self.count(day, n, unit)
                provisional = provisional or more
            first = False
        return day, provisional

    def between(self, start: date, end: date, unit: TimeUnit) -> int:
        """How many `unit`s lie after `start` up to and including `end` (negative when
        `end` is earlier): what is left of a time limit on `start`."""
        if unit is TimeUnit.CALENDAR_DAYS:
            return (end - start).days
        return self.working_days_between(start, end)

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after `start` up to and including `end`
        (negative when `end` is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for k in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=k))
        )


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    provisional: bool


def deadline(
    received_at: datetime,
    days: int,
    calendar: WorkingCalendar,
    tz: ZoneInfo,
    unit: TimeUnit = TimeUnit.WORKING_DAYS,
) -> Deadline:
    """The end (24:00 local) of a time limit of `days` `unit`s from the local day of
    `received_at`: the Nth working day after it, or for 日 the Nth day after it moved to
    the next working day when it is not one.

    期间开始之日不计算在内: the starting day is not counted, whatever its time or
    whether it is itself a working day.
    """
    local_day = received_at.astimezone(tz).date()
    due_day, provisional = calendar.count(local_day, days, unit)
    return Deadline(end_of_day(due_day, tz), provisional)


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The last second of `day` in the hub's time zone."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)
