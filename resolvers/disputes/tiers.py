"""The metro centre's tiers (分级调解), and instalments missed — the watcher's part.

A metro site dispute is tried at the site tier, then at the metro group's centre,
then by the district's regulators, each within its tier's working-day limit
(`time_limit_policies`, stages METRO_*). When a tier's limit passes with the case
still open, the watcher ends it and starts the next: the next tier's organisation
becomes the mediator and the appeal's lead, so it sees both. "Once" is a guarded
UPDATE (`ended_at IS NULL`), so any number of watchers may run the same pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from db.models import (
    AssignmentRole,
    AssignmentStatus,
    EventKind,
    MediationStatus,
    MetroTier,
    OrganisationKind,
)
from resolvers.access.policy import ACTIVE_ASSIGNMENT
from resolvers.deadlines.calendar import deadline
from resolvers.disputes.cases import record_case_event
from resolvers.disputes.directory import stage_limit
from resolvers.disputes.rules import NEXT_TIER, TIER_STAGES
from resolvers.services import Services

BATCH = 200


@dataclass
class DisputeWatch:
    tiers_escalated: int = 0
    instalments_missed: int = 0


async def next_tier_organisation(
    session: AsyncSession, tier: MetroTier, current: models.Organisation
) -> models.Organisation | None:
    """Who tries `tier`: the metro centre above the site (its parent, else the district's
    centre); the regulator the centre reports to (its parent)."""
    if tier is MetroTier.CENTRE:
        if current.parent_id is not None:
            parent = await session.get(models.Organisation, current.parent_id)
            if parent is not None and parent.kind is OrganisationKind.METRO_DISPUTE_CENTRE:
                return parent
        return await session.scalar(
            select(models.Organisation)
            .where(
                models.Organisation.kind == OrganisationKind.METRO_DISPUTE_CENTRE,
                models.Organisation.active.is_(True),
            )
            .order_by(models.Organisation.id)
            .limit(1)
        )
    if current.parent_id is None:
        return None
    return await session.get(models.Organisation, current.parent_id)


async def run_dispute_watch(
    session: AsyncSession, now: datetime, services: Services
) -> DisputeWatch:
    """One pass: escalate every expired tier, flag every missed instalment, once each."""
    result = DisputeWatch()
    await begin_write(session)
    try:
        result.tiers_escalated = await _escalate_tiers(session, now, services)
        result.instalments_missed = await _flag_missed(session, now, services)
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    return result


async def _escalate_tiers(session: AsyncSession, now: datetime, services: Services) -> int:
    tier, case = models.MediationTier, models.MediationCase
    expired = (
        await session.execute(
            select(tier, case)
            .join(case, case.id == tier.case_id)
            .where(
                tier.ended_at.is_(None),
                tier.due_at < now,
                tier.tier.in_(list(NEXT_TIER)),
                case.status == MediationStatus.OPEN,
            )
            .order_by(tier.due_at, tier.id)
            .limit(BATCH)
        )
    ).all()
    escalated = 0
    for row, mediation in expired:
        current = await session.get(models.Organisation, row.organisation_id)
        assert current is not None  # a foreign key
        next_tier = NEXT_TIER[row.tier]
        target = await next_tier_organisation(session, next_tier, current)
        if target is None:
            continue  # no one above: the tier stays with its limit passed
        claimed = await session.execute(
            update(tier)
            .where(tier.id == row.id, tier.ended_at.is_(None))
            .values(ended_at=now, escalated=True)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another watcher took it
        limit = await stage_limit(session, TIER_STAGES[next_tier])
        due = deadline(now, limit.days, services.calendar, services.tz, limit.unit)
        session.add(
            models.MediationTier(
                case_id=mediation.id, tier=next_tier, organisation_id=target.id,
                started_at=now, due_at=due.due_at, deadline_provisional=due.provisional,
            )
        )  # fmt: skip
        await session.execute(
            update(case)
            .where(case.id == mediation.id)
            .values(tier=next_tier, mediator_org_id=target.id, version=case.version + 1,
                    updated_at=now)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        assignment = await _hand_to_tier(session, mediation.petition_id, target, now, due.due_at)
        record_case_event(
            session, mediation.petition_id, EventKind.TIER_ESCALATED, None,
            {"case": mediation.number, "from": row.tier.name, "to": next_tier.name,
             "organisation": target.code, "dueAt": due.due_at.isoformat()},
            now,
        )  # fmt: skip
        assert assignment is not None
        escalated += 1
    return escalated


async def _hand_to_tier(
    session: AsyncSession,
    petition_id: int,
    target: models.Organisation,
    now: datetime,
    due_at: datetime,
) -> models.Assignment:
    """The next tier becomes the appeal's lead; the appeal's version moves on."""
    a = models.Assignment
    await session.execute(
        update(a)
        .where(a.petition_id == petition_id, a.status.in_(ACTIVE_ASSIGNMENT))
        .values(status=AssignmentStatus.WITHDRAWN)
        .execution_options(synchronize_session=False)
    )
    assignment = a(
        petition_id=petition_id, organisation_id=target.id, role=AssignmentRole.LEAD,
        status=AssignmentStatus.PENDING, assigned_at=now, due_at=due_at,
        instructions="分级调解升级",
    )  # fmt: skip
    session.add(assignment)
    p = models.Petition
    await session.execute(
        update(p)
        .where(p.id == petition_id)
        .values(version=p.version + 1, escalated_to_id=target.id, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return assignment


async def _flag_missed(session: AsyncSession, now: datetime, services: Services) -> int:
    today = now.astimezone(services.tz).date()
    i, case = models.Instalment, models.MediationCase
    due = (
        await session.execute(
            select(i, case.number, case.petition_id)
            .join(case, case.id == i.case_id)
            .where(
                i.missed_at.is_(None),
                i.due_on < today,
                i.paid_fen < i.amount_fen,
                case.status == MediationStatus.AGREED,
            )
            .order_by(i.due_on, i.id)
            .limit(BATCH)
        )
    ).all()
    missed = 0
    for instalment, number, petition_id in due:
        claimed = await session.execute(
            update(i)
            .where(i.id == instalment.id, i.missed_at.is_(None))
            .values(missed_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        record_case_event(
            session, petition_id, EventKind.INSTALMENT_MISSED, None,
            {"case": number, "instalment": instalment.seq,
             "dueOn": instalment.due_on.isoformat()},
            now,
        )  # fmt: skip
        missed += 1
    return missed
