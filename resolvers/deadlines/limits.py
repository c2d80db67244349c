"""Time limits per category and stage, and the deadlines they give an appeal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from db import models
from db.models import Category, DeadlineStart, TimeUnit
from resolvers.deadlines.calendar import Deadline, WorkingCalendar, deadline, end_of_day
from resolvers.services import Services


@dataclass(frozen=True)
class Limit:
    """A time limit: `days` of `unit`, counted from the day of `counts_from`."""

    days: int
    unit: TimeUnit = TimeUnit.WORKING_DAYS
    counts_from: DeadlineStart = DeadlineStart.RECEIPT

    @property
    def text(self) -> str:
        """The limit as the rules write it: `7个工作日`, `60日`."""
        return f"{self.days}个工作日" if self.unit is TimeUnit.WORKING_DAYS else f"{self.days}日"


W, D = TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS
# The built-in handling limits, used only for a category without an active HANDLING
# policy. The seed's limits (咨询 1, 建议 3, 投诉 7 个工作日); the others follow the
# practice of such centres; a formal 信访事项 as 信访工作条例 (2022) art. 35 writes it:
# settled within 60 日 of its acceptance. Policies are data (resolvers/deadlines/policies.py).
DEFAULT_TIME_LIMITS: dict[Category, Limit] = {
    Category.CONSULTATION: Limit(1),
    Category.SUGGESTION: Limit(3),
    Category.COMPLAINT: Limit(7),
    Category.REPORT: Limit(7),
    Category.ASSISTANCE: Limit(3),
    Category.PETITION: Limit(60, D, DeadlineStart.ACCEPTANCE),
}


# The acceptance decisions with a time limit of their own (信访工作条例 2022: whether a
# formal 信访事项 is accepted is decided, and told, within 15 日 of receiving it). The
# demo counts with these; intake with the ACCEPTANCE policies.
DEFAULT_ACCEPTANCE_LIMITS: dict[Category, Limit] = {Category.PETITION: Limit(15, D)}


def time_limit(category: Category) -> Limit:
    """The built-in limit; `time_limit_policies` decides (resolvers/deadlines/policies.py)."""
    return DEFAULT_TIME_LIMITS[category]


def petition_deadline(
    services: Services, received_at: datetime, limit: Limit | Category
) -> Deadline:
    """When an appeal received at `received_at` is due: `limit` counted from that day (a
    category means its built-in default; intake passes the policy's limit)."""
    limit = time_limit(limit) if isinstance(limit, Category) else limit
    return deadline(received_at, limit.days, services.calendar, services.tz, limit.unit)


def handling_deadline(
    petition: models.Petition, calendar: WorkingCalendar, tz: ZoneInfo
) -> Deadline:
    """The appeal's handling deadline counted afresh from its parts: the time limit from
    the day it starts from (receipt until acceptance or assignment starts it), then the
    approved extensions, then the days it stood still while suspended."""
    start = (petition.handling_starts_at or petition.received_at).astimezone(tz).date()
    unit = petition.time_limit_unit
    day, provisional = calendar.count_all(
        start,
        (
            (petition.time_limit_days, unit),
            (petition.extension_days, petition.extension_unit or unit),
            (petition.paused_days, unit),
        ),
    )
    return Deadline(end_of_day(day, tz), provisional)


def acceptance_deadline(
    petition: models.Petition, calendar: WorkingCalendar, tz: ZoneInfo
) -> Deadline | None:
    """When the decision on acceptance (受理告知) is due: its limit from the day of
    receipt; None for an appeal without an acceptance clock."""
    if petition.acceptance_limit_days is None:
        return None
    unit = petition.acceptance_limit_unit or TimeUnit.WORKING_DAYS
    return deadline(petition.received_at, petition.acceptance_limit_days, calendar, tz, unit)
