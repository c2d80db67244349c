"""Time limits per category, in working days, and the deadlines they give."""

from __future__ import annotations

from datetime import datetime

from db.models import Category
from resolvers.deadlines.calendar import Deadline, deadline
from resolvers.services import Services

# The seed's limits (咨询 1, 建议 3, 投诉 7 working days); the others follow the
# practice of such centres. They are defaults: policies are data.
DEFAULT_TIME_LIMITS: dict[Category, int] = {
    Category.CONSULTATION: 1,
    Category.SUGGESTION: 3,
    Category.COMPLAINT: 7,
    Category.REPORT: 7,
    Category.ASSISTANCE: 3,
    Category.PETITION: 60,  # 信访工作条例 (2022): handled within 60 days
}


def time_limit(category: Category) -> int:
    """The built-in limit; `time_limit_policies` decides (resolvers/deadlines/policies.py)."""
    return DEFAULT_TIME_LIMITS[category]


def petition_deadline(services: Services, received_at: datetime, limit: int | Category) -> Deadline:
    """When an appeal received at `received_at` is due: `limit` working days later (a
    category means its built-in default; intake passes the policy's number)."""
    working_days = time_limit(limit) if isinstance(limit, Category) else limit
    return deadline(received_at, working_days, services.calendar, services.tz)
