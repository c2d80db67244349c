"""What the domain functions need besides a session and a caller, built once per app."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from db.config import Settings
from resolvers.deadlines.calendar import WorkingCalendar
from resolvers.events.broker import Broker, MemoryBroker


@dataclass
class Services:
    """The hub's configured collaborators: calendar, time zone, keys, limits, the broker."""

    settings: Settings
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar.from_chinesecalendar)
    broker: Broker = field(default_factory=MemoryBroker)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def keyed_hash(self, value: str) -> str:
        """A keyed hash that matches equal values without revealing them."""
        key = hashlib.sha256(b"petition-hub/id-hash/" + self.settings.secret_key.encode()).digest()
        return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
