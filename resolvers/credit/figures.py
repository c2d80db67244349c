"""Credit figures for a period: proposals raised, records taking effect, rejected and
repaired, by kind and by the street of the enterprise's region — over the caller's
credit slice; the hall and leaders the whole district (counts only leave)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, case, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db import models
from db.models import CreditEventKind, CreditRecordKind, CreditStatus, RegionKind
from resolvers.access.caller import Caller
from resolvers.access.credit_policy import credit_filter, require_reading_credit
from resolvers.access.policy import figures_cover_district
from resolvers.services import Services

TOOK_EFFECT = (CreditEventKind.CREDIT_CONFIRMED, CreditEventKind.CREDIT_RECORDED)


@dataclass(frozen=True)
class CreditFigureRow:
    kind: CreditRecordKind
    street_id: int | None  # None: the enterprise's region is not known
    proposed: int
    confirmed: int
    rejected: int
    repaired: int


@dataclass(frozen=True)
class CreditFigures:
    rows: list[CreditFigureRow]
    awaiting_decision: int  # proposals waiting for the centre now


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count().filter(condition)


async def credit_figures(
    *, session: AsyncSession, caller: Caller, services: Services, start: date, end: date
) -> CreditFigures:
    """The period's credit events counted by the record's kind and the street."""
    require_reading_credit(caller)
    lo = datetime.combine(start, time.min, tzinfo=services.tz)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=services.tz)
    r, e = models.CreditRecord, models.CreditEvent
    region, parent = aliased(models.Region), aliased(models.Region)
    street = case(
        (region.kind == RegionKind.STREET, region.id),
        (parent.kind == RegionKind.STREET, parent.id),
        else_=None,
    )
    seen = true() if figures_cover_district(caller) else credit_filter(caller)
    rows = await session.execute(
        select(
            r.kind,
            street,
            _count(e.kind == CreditEventKind.CREDIT_PROPOSED),
            _count(e.kind.in_(TOOK_EFFECT)),
            _count(e.kind == CreditEventKind.CREDIT_REJECTED),
            _count(e.kind == CreditEventKind.CREDIT_REPAIRED),
        )
        .select_from(e)
        .join(r, r.id == e.record_id)
        .join(models.Enterprise, models.Enterprise.id == r.enterprise_id)
        .outerjoin(region, region.id == models.Enterprise.region_id)
        .outerjoin(parent, parent.id == region.parent_id)
        # a repair counts once, as its original's CREDIT_REPAIRED
        .where(e.occurred_at >= lo, e.occurred_at < hi, r.kind != CreditRecordKind.REPAIR, seen)
        .group_by(r.kind, street)
    )
    awaiting = await session.scalar(
        select(func.count()).select_from(r).where(r.status == CreditStatus.PROPOSED, seen)
    )
    found = [CreditFigureRow(*row) for row in rows.all()]
    found.sort(key=lambda row: (row.kind.name, row.street_id or 0))
    return CreditFigures(found, int(awaiting or 0))
