"""Who handles an appeal: what is planned for it at receipt (`Plan`), the organisations
each matter goes to and who assists, and the wrong first assignments that come back."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from db.models import Category, Channel, Level, Matter

if TYPE_CHECKING:
    from db.demo.world import Community, Site, World

STREET, WINDOW, ROOM = "STREET", "WINDOW", "ROOM"
ROUTES: dict[Matter, list[tuple[str, int]]] = {
    Matter.LABOUR_WAGES: [
        ("PS-LMC", 40),
        ("PS-DEPT-HR", 30),
        (STREET, 20),
        ("PS-NLB", 6),
        ("PS-ARB", 4),
    ],
    Matter.LABOUR_CONTRACT: [
        ("PS-LMC", 45),
        ("PS-DEPT-HR", 35),
        ("PS-ARB", 8),
        (STREET, 8),
        ("PS-COURT", 4),
    ],
    Matter.HOMESTEAD_LAND: [("PS-DEPT-PLANNING", 45), (STREET, 40), ("PS-NLB", 8), ("PS-COURT", 7)],
    Matter.FAMILY: [("PS-APAN", 50), (WINDOW, 25), ("PS-COURT", 15), ("PS-NLB", 10)],
    Matter.CONSTRUCTION_NUISANCE: [("PS-DEPT-URBAN", 45), ("PS-DEPT-HOUSING", 35), (STREET, 20)],
    Matter.HOUSING: [("PS-DEPT-HOUSING", 65), (STREET, 20), (WINDOW, 10), ("PS-COURT", 5)],
    Matter.ENVIRONMENT: [("PS-DEPT-ENV", 75), (STREET, 15), ("PS-DEPT-URBAN", 10)],
    Matter.TRAFFIC: [("PS-DEPT-TRAFFIC", 80), (STREET, 20)],
    Matter.PUBLIC_SERVICES: [(WINDOW, 55), (STREET, 45)],
    Matter.OTHER: [(WINDOW, 40), (STREET, 35), ("PS-GOV", 10), ("PS-SGC", 10), ("PS-CREDIT", 5)],
}
# assisting organisation and how often it is asked to help
ASSISTS: dict[Matter, tuple[str, float]] = {
    Matter.FAMILY: ("PS-PSY", 0.25),
    Matter.HOMESTEAD_LAND: ("PS-PSY", 0.2),
    Matter.LABOUR_WAGES: ("PS-CREDIT", 0.1),
    Matter.LABOUR_CONTRACT: ("PS-CREDIT", 0.05),
    Matter.CONSTRUCTION_NUISANCE: ("PS-DEPT-ENV", 0.1),
}
WRONG_FIRST = [
    "PS-DEPT-HOUSING",
    "PS-DEPT-URBAN",
    "PS-DEPT-HR",
    "PS-DEPT-PLANNING",
    "PS-DEPT-ENV",
    "PS-LMC",
    "PS-GOV",
]


@dataclass
class Plan:
    rng: random.Random
    world: World
    at: datetime
    category: Category
    matter: Matter
    level: Level
    channel: Channel
    receiver: str
    community: Community
    site: Site | None
    collective: bool
    repeat_of: str | None
    repeat_count: int
    wording: dict[str, str]
    satisfaction: str
    mode: str  # normal, stuck, backlog, cleared
    backlog_owner: str


def street_platform(p: Plan) -> str:
    return f"PS-ST-{p.community.street_pinyin.upper()}"


def _window(p: Plan) -> str:
    return f"PS-CW-{p.community.pinyin.upper()}"


def route(p: Plan, assigner: str) -> str:
    """The lead organisation for the appeal."""
    rng = p.rng
    if p.matter is Matter.LABOUR_WAGES and p.site is not None and p.site.project_name:
        choices = (
            [(ROOM, 45), ("PS-METRO", 40), ("PS-DEPT-HR", 15)]
            if p.site.metro
            else [(ROOM, 70), ("PS-LMC", 15), ("PS-DEPT-HR", 15)]
        )
    elif p.matter is Matter.PUBLIC_SERVICES and p.wording["about"]:
        choices = [("PS-DEPT-EDU" if p.wording["about"] == "school" else "PS-DEPT-HEALTH", 1)]
    else:
        choices = ROUTES[p.matter]
    target = rng.choices([c for c, _ in choices], [w for _, w in choices])[0]
    if target == ROOM:
        target = p.site.room if p.site and p.site.room else "PS-METRO"
    elif target == STREET:
        target = street_platform(p)
    elif target == WINDOW:
        target = _window(p)
    if target == assigner:
        target = _window(p)
    return target
