"""What the demo loader (`db.demo`) needs from the domain: deadlines and the keyed hash,
computed exactly as intake computes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from db import models
from resolvers.deadlines import limits
from resolvers.deadlines.calendar import end_of_day
from resolvers.services import Services


@dataclass
class DemoServicesAdapter:
    """`db.demo.load.DemoServices`, from the resolvers' services."""

    services: Services

    @property
    def tz(self) -> ZoneInfo:
        return self.services.tz

    def deadline(self, received_at: datetime, category: models.Category) -> tuple[datetime, bool]:
        due = limits.petition_deadline(self.services, received_at, category)
        return due.due_at, due.provisional

    def time_limit(self, category: models.Category) -> int:
        return limits.time_limit(category)

    def keyed_hash(self, value: str) -> str:
        return self.services.keyed_hash(value)

    def shift_deadline(self, due_at: datetime, working_days: int) -> tuple[datetime, bool]:
        day = due_at.astimezone(self.tz).date()
        moved, provisional = self.services.calendar.working_days_after(day, working_days)
        return end_of_day(moved, self.tz), provisional

    def working_days_left(self, at: datetime, due_at: datetime) -> int:
        return self.services.calendar.working_days_between(
            at.astimezone(self.tz).date(), due_at.astimezone(self.tz).date()
        )
