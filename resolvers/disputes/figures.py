"""The chain's figures for a period: stage counts and outcomes (agreements, amounts
recovered, agreements confirmed by the court), over the caller's slice — the hall and
leaders the whole district (counts and sums only leave)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import ConfirmationStatus, MediationStatus, Role
from resolvers.access.caller import Caller
from resolvers.access.disputes import (
    arbitration_filter,
    dispute_stats_filter,
    litigation_filter,
)
from resolvers.disputes.money import to_yuan
from resolvers.services import Services


@dataclass
class DisputeFigures:
    mediations_opened: int
    by_status: dict[MediationStatus, int]
    agreed_amount: Decimal
    tiers_escalated: int
    confirmations_asked: int
    confirmed_by_court: int
    recovered_by_agreement: Decimal
    arbitrations_filed: int
    awards_made: int
    awards_paid: int
    awarded_amount: Decimal
    recovered_by_award: Decimal
    lawsuits_filed: int
    judgments: int


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count().filter(condition)


def _fen(value: int | None) -> Decimal:
    return to_yuan(value or 0) or Decimal("0.00")


async def dispute_figures(
    *, session: AsyncSession, caller: Caller, services: Services, start: date, end: date
) -> DisputeFigures:
    """Mediations opened in the period and what became of them; arbitration and
    litigation filed, awarded, judged in the period; money paid in the period."""
    caller.require_scope("petitions:read")
    lo = datetime.combine(start, time.min, tzinfo=services.tz)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=services.tz)
    everything = caller.is_hall or Role.LEADER in caller.roles
    m = models.MediationCase
    opened = and_(m.opened_at >= lo, m.opened_at < hi)
    row = (
        await session.execute(
            select(
                func.count(),
                *(_count(m.status == s) for s in MediationStatus),
                func.sum(m.agreement_amount_fen).filter(m.status == MediationStatus.AGREED),
                _count(m.confirmation_status.is_not(None)),
                _count(m.confirmation_status == ConfirmationStatus.CONFIRMED),
            )
            .select_from(m)
            .where(opened, dispute_stats_filter(caller))
        )
    ).one()
    count, *statuses, agreed, asked, confirmed = row
    t = models.MediationTier
    escalated = await session.scalar(
        select(func.count())
        .select_from(t)
        .join(m, m.id == t.case_id)
        .where(t.escalated, t.ended_at >= lo, t.ended_at < hi, dispute_stats_filter(caller))
    )
    p = models.Payment
    recovered = await session.scalar(
        select(func.sum(p.amount_fen))
        .select_from(p)
        .join(m, m.id == p.case_id)
        .where(p.paid_on >= start, p.paid_on <= end, dispute_stats_filter(caller))
    )
    a = models.ArbitrationCase
    in_arbitration = true() if everything else arbitration_filter(caller)
    filed, awarded, paid, award_sum, paid_sum = (
        await session.execute(
            select(
                _count(and_(a.filed_at >= lo, a.filed_at < hi)),
                _count(and_(a.awarded_at >= lo, a.awarded_at < hi)),
                _count(and_(a.award_paid_at >= lo, a.award_paid_at < hi)),
                func.sum(a.award_fen).filter(and_(a.awarded_at >= lo, a.awarded_at < hi)),
                func.sum(a.award_fen).filter(and_(a.award_paid_at >= lo, a.award_paid_at < hi)),
            )
            .select_from(a)
            .where(in_arbitration)
        )
    ).one()
    c = models.LitigationCase
    in_court = true() if everything else litigation_filter(caller)
    sued, judged = (
        await session.execute(
            select(
                _count(and_(c.filed_at >= lo, c.filed_at < hi)),
                _count(and_(c.judged_at >= lo, c.judged_at < hi)),
            )
            .select_from(c)
            .where(in_court)
        )
    ).one()
    return DisputeFigures(
        mediations_opened=count,
        by_status=dict(zip(MediationStatus, statuses, strict=True)),
        agreed_amount=_fen(agreed),
        tiers_escalated=escalated or 0,
        confirmations_asked=asked,
        confirmed_by_court=confirmed,
        recovered_by_agreement=_fen(recovered),
        arbitrations_filed=filed,
        awards_made=awarded,
        awards_paid=paid,
        awarded_amount=_fen(award_sum),
        recovered_by_award=_fen(paid_sum),
        lawsuits_filed=sued,
        judgments=judged,
    )
