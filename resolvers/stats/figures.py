"""The figures leaders watch, for the caller's slice, aggregated in the database.

Every count is computed in the database over `access.stats_filter(caller)`, in one
pass grouped in SQL; the rates are divisions of those counts (README, "Figures").
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    SQLColumnExpression,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db import models
from db.models import Level, PetitionStatus, Satisfaction
from resolvers.access import policy
from resolvers.access.caller import Caller
from resolvers.access.policy import figures_cover_district, stats_filter
from resolvers.appeals.repeats import repeat_filter
from resolvers.deadlines import standing
from resolvers.errors import BadUserInput
from resolvers.services import Services

MAX_PERIOD = timedelta(days=3 * 366)
PYRAMID = (Level.COMMUNITY, Level.STREET, Level.DISTRICT, Level.CITY)


class GroupBy(enum.Enum):
    ORGANISATION = "receiving organisation"
    STREET = "street of the community concerned"
    COMMUNITY = "community concerned"
    CATEGORY = "category"
    MATTER = "matter"


COUNTS = (
    "received",
    "repeats",
    "closed",
    "closed_on_time",
    "resolved",
    "feedback",
    "satisfied",
    "due",
    "completed",
    "open",
    "due_soon",
    "overdue",
    "backlog",
    "received_community",
    "received_street",
    "received_district",
    "received_city",
)


@dataclass
class StatsRow:
    key: str
    label: str
    received: int = 0
    repeats: int = 0
    closed: int = 0
    closed_on_time: int = 0
    resolved: int = 0
    feedback: int = 0
    satisfied: int = 0
    due: int = 0
    completed: int = 0
    open: int = 0
    due_soon: int = 0
    overdue: int = 0
    backlog: int = 0
    received_community: int = 0
    received_street: int = 0
    received_district: int = 0
    received_city: int = 0

    @property
    def completion_rate(self) -> float | None:
        return _rate(self.completed, self.due)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.closed_on_time, self.closed)

    @property
    def resolution_rate(self) -> float | None:
        return _rate(self.resolved, self.closed)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.feedback)

    @property
    def repeat_rate(self) -> float | None:
        return _rate(self.repeats, self.received)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


@dataclass
class Stats:
    start: date
    end: date
    rows: list[StatsRow]
    total: StatsRow
    pyramid: list[tuple[Level, int]] = field(default_factory=list)

    @property
    def inverted(self) -> bool:
        """走访金字塔 inverted: some level received more appeals than the level below it."""
        counts = [n for _, n in self.pyramid]
        return any(upper > lower for lower, upper in itertools.pairwise(counts))


@dataclass(frozen=True)
class Figure:
    """A count: the appeals meeting `condition` and that of every figure it lies within."""

    name: str
    condition: ColumnElement[bool]
    within: tuple[Figure | OneOf, ...] = ()


@dataclass(frozen=True)
class OneOf:
    """Figures no appeal counts in two of (one level of receipt): one test until a match."""

    figures: tuple[Figure, ...]


def _profile(figures: tuple[Figure | OneOf, ...], bits: dict[str, int]) -> ColumnElement[int]:
    """One small integer per appeal, a bit for each figure it counts in: a figure's
    condition is evaluated once per appeal, and those within it only where it holds."""
    terms: list[ColumnElement[int]] = []
    for item in figures:
        choices = item.figures if isinstance(item, OneOf) else (item,)
        whens = []
        for figure in choices:
            bit = bits[figure.name] = 1 << len(bits)
            then: ColumnElement[int] = literal_column(str(bit))
            if figure.within:
                then = then + _profile(figure.within, bits)
            whens.append((figure.condition, then))
        terms.append(case(*whens, else_=literal_column("0")))
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


async def petition_stats(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    start: date,
    end: date,
    group_by: GroupBy,
    now: datetime,
    street: str | None = None,
) -> Stats:
    """The figures for appeals in the caller's slice over the days `start`..`end`
    (inclusive, local time), one row per group, plus the total and the visit pyramid;
    with `street`, only appeals concerning that street's communities (a drill-down).

    One pass over the period's appeals: each is reduced to its group and its profile
    (`_profile`), the database counts the appeals per (group, profile) — a few hundred
    rows — and every figure is a sum over those rows (bench/RESULTS.md, "stats")."""
    policy.require_reading_appeals(caller)
    for day, name in ((start, "period.from"), (end, "period.to")):
        if not 1900 <= day.year <= 2200:
            raise BadUserInput("a period lies between 1900 and 2200", field=name)
    if end < start:
        raise BadUserInput("the period ends before it starts", field="period.to")
    if end - start > MAX_PERIOD:
        raise BadUserInput("a period is at most three years", field="period.to")
    tz = services.tz
    lo = datetime.combine(start, time.min, tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    p = models.Petition
    whole = figures_cover_district(caller)

    def within(column: SQLColumnExpression[Any]) -> ColumnElement[bool]:
        return and_(column >= lo, column < hi)

    closed = p.status == PetitionStatus.CLOSED
    satisfied = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)
    given = (*satisfied, Satisfaction.DISSATISFIED)
    figures = (
        Figure("received", within(p.received_at), (
            Figure("repeats", repeat_filter(caller, whole_district=whole)),
            # the visit pyramid, in the same pass
            OneOf(tuple(Figure(f"received_{lv.name.lower()}", p.level == lv) for lv in PYRAMID)),
            Figure("open", ~closed, (
                OneOf((
                    Figure("due_soon", standing.due_soon(now, services)),
                    Figure("overdue", standing.overdue(now)),
                )),
                Figure("backlog", p.backlog.is_(True)),
            )),
        )),
        Figure("closed", and_(closed, within(p.closed_at)), (
            Figure("closed_on_time", p.closed_at <= p.due_at),
            Figure("resolved", p.resolved.is_(True)),
            Figure("feedback", p.satisfaction.in_(given), (
                Figure("satisfied", p.satisfaction.in_(satisfied)),
            )),
        )),
        Figure("due", within(p.due_at), (
            Figure("completed", and_(closed, p.closed_at < hi)),
        )),
    )  # fmt: skip
    bits: dict[str, int] = {}
    profile = _profile(figures, bits)
    in_period = and_(
        stats_filter(caller),
        or_(within(p.received_at), within(p.closed_at), within(p.due_at)),
    )
    if street is not None:
        parent = select(models.Region.id).where(models.Region.code == street).scalar_subquery()
        in_period = and_(
            in_period,
            p.community_id.in_(select(models.Region.id).where(models.Region.parent_id == parent)),
        )
    # Count by a plain column and the profile first (cheap integer keys), then name the
    # groups: the joins to organisations and regions touch a few hundred rows, not millions.
    base = _base_column(group_by)
    per_appeal: Any = select(base.label("gid"), profile.label("profile")).where(in_period)
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:
        # PostgreSQL would merge this query into the next and estimate the groups from the
        # profile's columns (as many as the appeals: then it sorts them all, in one
        # process); OFFSET '0' (a constant, so the scan stays parallel) keeps it apart and
        # the estimate at a few hundred groups: each worker counts its share by group.
        per_appeal = per_appeal.offset(literal_column("'0'", Integer))
    appeals = per_appeal.subquery()
    inner = (
        select(appeals.c.gid, appeals.c.profile, func.count().label("n"))
        .group_by(appeals.c.gid, appeals.c.profile)
        .subquery("by_group")
    )
    key, label, joins = _grouping(group_by, inner.c.gid)
    statement: Any = select(  # SQLAlchemy 2.1 infers Never for labelled aggregates
        key.label("key"),
        label.label("label"),
        *(
            func.coalesce(
                func.sum(inner.c.n).filter(
                    inner.c.profile.op("&")(literal_column(str(bits[n]))) != 0
                ),
                0,
            ).label(n)
            for n in COUNTS
        ),
    ).select_from(inner)
    for target, on in joins:
        statement = statement.outerjoin(target, on)
    statement = statement.group_by(key, label)
    rows = [
        StatsRow(key=_key(r.key), label=_label(r.label), **{n: int(getattr(r, n)) for n in COUNTS})
        for r in (await session.execute(statement)).all()
    ]
    rows.sort(key=lambda r: (-r.received, r.key))
    total = StatsRow(key="TOTAL", label="合计")
    for row in rows:
        for name in COUNTS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    pyramid = [(lv, getattr(total, f"received_{lv.name.lower()}")) for lv in PYRAMID]
    return Stats(start, end, rows, total, pyramid)


def _label(value: object) -> str:
    if value is None:
        return "未指定"
    return value.value if isinstance(value, enum.Enum) else str(value)


def _key(value: object) -> str:
    if value is None:
        return "NONE"
    if isinstance(value, enum.Enum):
        return value.name
    return str(value)


def _base_column(group_by: GroupBy) -> SQLColumnExpression[Any]:
    p = models.Petition
    return {
        GroupBy.CATEGORY: p.category,
        GroupBy.MATTER: p.matter,
        GroupBy.ORGANISATION: p.received_by_id,
    }.get(group_by, p.community_id)


def _grouping(
    group_by: GroupBy, gid: SQLColumnExpression[Any]
) -> tuple[SQLColumnExpression[Any], SQLColumnExpression[Any], list[tuple[Any, Any]]]:
    """The group's key and name over the pre-aggregated rows, and the joins they need."""
    if group_by in (GroupBy.CATEGORY, GroupBy.MATTER):
        return gid, gid, []
    if group_by is GroupBy.ORGANISATION:
        org = models.Organisation
        return org.code, org.name, [(org, org.id == gid)]
    community = aliased(models.Region)
    if group_by is GroupBy.COMMUNITY:
        return community.code, community.name, [(community, community.id == gid)]
    street = aliased(models.Region)
    return (
        street.code,
        street.name,
        [(community, community.id == gid), (street, street.id == community.parent_id)],
    )
