"""What the demo loader (`db.demo`) needs from the domain: deadlines and the keyed hash,
computed exactly as intake computes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from db import models
from resolvers import deadlines
from resolvers.services import Services


@dataclass
class DemoServicesAdapter:
    """`db.demo.load.DemoServices`, from the resolvers' services."""

    services: Services

    @property
    def tz(self) -> ZoneInfo:
        return self.services.tz

    def deadline(self, received_at: datetime, category: models.Category) -> tuple[datetime, bool]:
        due = deadlines.petition_deadline(self.services, received_at, category)
        return due.due_at, due.provisional

    def time_limit(self, category: models.Category) -> int:
        return deadlines.time_limit(category)

    def keyed_hash(self, value: str) -> str:
        return self.services.keyed_hash(value)
