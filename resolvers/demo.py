"""What the demo loader (`db.demo`) needs from the domain: deadlines and the keyed hash,
computed exactly as intake computes them (with the built-in time limits)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from db import models
from resolvers.deadlines import limits as time_limits
from resolvers.deadlines.calendar import end_of_day
from resolvers.services import Services


@dataclass
class DemoServicesAdapter:
    """`db.demo.load.DemoServices`, from the resolvers' services."""

    services: Services

    @property
    def tz(self) -> ZoneInfo:
        return self.services.tz

    def deadline(self, start: datetime, category: models.Category) -> tuple[datetime, bool]:
        due = time_limits.petition_deadline(self.services, start, category)
        return due.due_at, due.provisional

    def acceptance_deadline(
        self, received_at: datetime, category: models.Category
    ) -> tuple[datetime, bool] | None:
        limit = time_limits.DEFAULT_ACCEPTANCE_LIMITS.get(category)
        if limit is None:
            return None
        due = time_limits.petition_deadline(self.services, received_at, limit)
        return due.due_at, due.provisional

    def limits(self, category: models.Category) -> dict[str, Any]:
        handling = time_limits.time_limit(category)
        acceptance = time_limits.DEFAULT_ACCEPTANCE_LIMITS.get(category)
        return {
            "time_limit_days": handling.days,
            "time_limit_unit": handling.unit,
            "time_limit_from": handling.counts_from,
            "acceptance_limit_days": acceptance.days if acceptance else None,
            "acceptance_limit_unit": acceptance.unit if acceptance else None,
        }

    def keyed_hash(self, value: str) -> str:
        return self.services.keyed_hash(value)

    def shift_deadline(
        self, due_at: datetime, days: int, category: models.Category
    ) -> tuple[datetime, bool]:
        day = due_at.astimezone(self.tz).date()
        unit = time_limits.time_limit(category).unit
        moved, provisional = self.services.calendar.count(day, days, unit)
        return end_of_day(moved, self.tz), provisional

    def days_left(self, at: datetime, due_at: datetime, category: models.Category) -> int:
        return self.services.calendar.between(
            at.astimezone(self.tz).date(),
            due_at.astimezone(self.tz).date(),
            time_limits.time_limit(category).unit,
        )
