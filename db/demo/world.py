"""The demo's world as the generators see it: communities, sites, petitioners, the loaded
places and services (World), and the rows they produce (Output)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from db.demo.mix import LAST_DAY
from db.demo.places.sites import SiteSpec
from db.models import Category


@dataclass(frozen=True)
class Community:
    region_id: int
    name: str
    pinyin: str
    street_pinyin: str
    street: str
    population: int


@dataclass(frozen=True)
class Site:
    spec: SiteSpec
    project_name: str | None
    metro: bool
    room: str | None  # mediation room code
    companies: tuple[str, ...]  # the project's firms, main contractor first


@dataclass
class Person:
    """A petitioner as the generator remembers them."""

    id: int
    community: Community
    contact: dict[str, Any] = field(default_factory=dict)  # name, phone, address


@dataclass
class World:
    """What the generator needs from the loaded places and from the services."""

    tz: ZoneInfo
    org_ids: dict[str, int]
    actors: dict[str, int]  # organisation code -> the staff user who acts for it
    communities: list[Community]
    sites: list[Site]
    companies: list[str]
    building_companies: list[str]
    property_companies: list[str]
    due: Callable[[datetime, Category], tuple[datetime, bool]]
    acceptance_due: Callable[[datetime, Category], tuple[datetime, bool] | None]
    limits: Callable[[Category], dict[str, Any]]
    keyed_hash: Callable[[str], str]
    shift_deadline: Callable[[datetime, int, Category], tuple[datetime, bool]]
    days_left: Callable[[datetime, datetime, Category], int]
    end: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.end = datetime.combine(LAST_DAY, time(18, 0), tzinfo=self.tz)


@dataclass
class Output:
    petitioners: list[dict[str, Any]] = field(default_factory=list)
    petitions: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    repeats: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple[datetime, int, int, dict[str, Any]]] = field(default_factory=list)
    sequences: dict[str, int] = field(default_factory=dict)
