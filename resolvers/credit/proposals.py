"""Proposals from outcomes, raised exactly once — the watcher's part of credit.

- a missed instalment of a mediation agreement (`Instalment.missed_at`, set by the
  dispute watch) proposes a WAGE_ARREARS record against the employer;
- an award (not taken to court), or a judgment with an amount, left unpaid
  `PAY_WITHIN_DAYS` after it was made proposes a DISHONEST record;
- a commitment signed at mediation is recorded as a COMMITMENT (`record_commitment`,
  in the agreement's own step).

"Exactly once" is the database's promise, as for the deadline alerts: each proposal
carries its source's key (`instalment:7`, `award:3`, `judgment:2`) in a unique column
and is inserted with ON CONFLICT DO NOTHING; its event is written only when that
insert took, in the same transaction. Any number of watchers may run the same pass.

The proposal is the recording organisation's whose outcome raised it (the mediator,
the arbitration institute, the court), so it and the credit centre see it
(`resolvers/access/credit_policy.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from db.models import (
    ArbitrationStatus,
    CreditEventKind,
    CreditRecordKind,
    CreditStatus,
    DisputeStage,
    LitigationStatus,
    PartyRole,
)
from resolvers.access.caller import Caller
from resolvers.credit.history import record_credit_event
from resolvers.errors import BadUserInput
from resolvers.services import Services

BATCH = 200
# How long an award or a judgment may stay unpaid before the dishonest list is proposed
# (an award takes effect 15 days after it is served, then the employer pays).
PAY_WITHIN_DAYS = 30
# Who answers for the debt, first found first: the employer, else who hired the workers.
DEBTOR_ORDER = (PartyRole.EMPLOYER, PartyRole.SUBCONTRACTOR, PartyRole.MAIN_CONTRACTOR)


@dataclass(frozen=True)
class Proposal:
    """One proposal to raise: its source's key, facts and recording organisation."""

    source_key: str
    kind: CreditRecordKind
    organisation_id: int
    petition_id: int
    summary: str
    on: date
    mediation_case_id: int | None = None
    instalment_id: int | None = None
    arbitration_case_id: int | None = None
    litigation_case_id: int | None = None


def _debtor_rank(role: Any) -> ColumnElement[int]:
    return case(*((role == r, i) for i, r in enumerate(DEBTOR_ORDER)), else_=len(DEBTOR_ORDER))


async def _debtors(
    session: AsyncSession, party: Any, owner: Any, owners: Sequence[int]
) -> dict[int, int]:
    """The debtor enterprise of each owner (a mediation case or an appeal), in one read."""
    rows = await session.execute(
        select(owner, party.enterprise_id)
        .where(owner.in_(set(owners)))
        .order_by(owner, _debtor_rank(party.role), party.id)
    )
    found: dict[int, int] = {}
    for key, enterprise_id in rows.all():
        found.setdefault(key, enterprise_id)
    return found


def _unproposed(column: Any, key: Any) -> ColumnElement[bool]:
    return ~exists().where(column == key)


async def _missed_instalments(session: AsyncSession) -> list[tuple[Proposal, int]]:
    i, c, mp = models.Instalment, models.MediationCase, models.MediationParty
    rows = (
        await session.execute(
            select(i, c.number, c.petition_id, c.mediator_org_id)
            .join(c, c.id == i.case_id)
            .where(
                i.missed_at.is_not(None),
                exists().where(mp.case_id == c.id),
                _unproposed(models.CreditRecord.instalment_id, i.id),
            )
            .order_by(i.id)
            .limit(BATCH)
        )
    ).all()
    debtors = await _debtors(session, mp, mp.case_id, [r[0].case_id for r in rows])
    return [
        (
            Proposal(
                source_key=f"instalment:{instalment.id}",
                kind=CreditRecordKind.WAGE_ARREARS,
                organisation_id=mediator,
                petition_id=petition_id,
                summary=f"调解协议{number}第{instalment.seq}期未按期支付"
                f"（应付日{instalment.due_on.isoformat()}）",
                on=instalment.due_on + timedelta(days=1),
                mediation_case_id=instalment.case_id,
                instalment_id=instalment.id,
            ),
            debtors[instalment.case_id],
        )
        for instalment, number, petition_id, mediator in rows
    ]


async def _unpaid_awards(session: AsyncSession, before: datetime) -> list[tuple[Proposal, int]]:
    a, pp = models.ArbitrationCase, models.PetitionParty
    rows = (
        await session.scalars(
            select(a)
            .where(
                a.status == ArbitrationStatus.AWARDED,
                a.award_paid_at.is_(None),
                a.award_fen > 0,
                a.awarded_at < before,
                # an award taken to court is not in effect: the judgment's payment counts
                ~exists().where(models.LitigationCase.arbitration_case_id == a.id),
                exists().where(pp.petition_id == a.petition_id),
                _unproposed(models.CreditRecord.arbitration_case_id, a.id),
            )
            .order_by(a.id)
            .limit(BATCH)
        )
    ).all()
    debtors = await _debtors(session, pp, pp.petition_id, [r.petition_id for r in rows])
    return [
        (
            Proposal(
                source_key=f"award:{award.id}",
                kind=CreditRecordKind.DISHONEST,
                organisation_id=award.arbitration_org_id,
                petition_id=award.petition_id,
                summary=f"仲裁裁决{award.number}逾期未履行",
                on=((award.awarded_at or before) + timedelta(days=PAY_WITHIN_DAYS)).date(),
                mediation_case_id=award.mediation_case_id,
                arbitration_case_id=award.id,
            ),
            debtors[award.petition_id],
        )
        for award in rows
    ]


async def _unpaid_judgments(session: AsyncSession, before: datetime) -> list[tuple[Proposal, int]]:
    lc, pp = models.LitigationCase, models.PetitionParty
    rows = (
        await session.scalars(
            select(lc)
            .where(
                lc.status == LitigationStatus.JUDGED,
                lc.judgment_paid_at.is_(None),
                lc.judgment_fen > 0,
                lc.judged_at < before,
                exists().where(pp.petition_id == lc.petition_id),
                _unproposed(models.CreditRecord.litigation_case_id, lc.id),
            )
            .order_by(lc.id)
            .limit(BATCH)
        )
    ).all()
    debtors = await _debtors(session, pp, pp.petition_id, [r.petition_id for r in rows])
    return [
        (
            Proposal(
                source_key=f"judgment:{lawsuit.id}",
                kind=CreditRecordKind.DISHONEST,
                organisation_id=lawsuit.court_org_id,
                petition_id=lawsuit.petition_id,
                summary=f"判决{lawsuit.case_number or ''}逾期未履行",
                on=((lawsuit.judged_at or before) + timedelta(days=PAY_WITHIN_DAYS)).date(),
                arbitration_case_id=lawsuit.arbitration_case_id,
                litigation_case_id=lawsuit.id,
            ),
            debtors[lawsuit.petition_id],
        )
        for lawsuit in rows
    ]


async def _raise(
    session: AsyncSession, proposal: Proposal, enterprise_id: int, now: datetime
) -> bool:
    """Insert the proposal under its source's key; True only for the watcher whose
    insert took (then its event is written)."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(models.CreditRecord)
        .values(
            enterprise_id=enterprise_id,
            kind=proposal.kind,
            stage=DisputeStage.AFTER,
            status=CreditStatus.PROPOSED,
            public=True,
            summary=proposal.summary,
            petition_id=proposal.petition_id,
            mediation_case_id=proposal.mediation_case_id,
            instalment_id=proposal.instalment_id,
            arbitration_case_id=proposal.arbitration_case_id,
            litigation_case_id=proposal.litigation_case_id,
            source_key=proposal.source_key,
            organisation_id=proposal.organisation_id,
            recorded_at=now,
            effective_from=proposal.on,
            version=1,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["source_key"])
        .returning(models.CreditRecord.id)
    )
    ident = (await session.execute(statement)).scalar_one_or_none()
    if ident is None:
        return False
    record = await session.get(models.CreditRecord, ident)
    assert record is not None  # just inserted
    record_credit_event(
        session, record, CreditEventKind.CREDIT_PROPOSED, None, now,
        {"source": proposal.source_key, "kind": proposal.kind.name},
    )  # fmt: skip
    return True


async def propose_from_outcomes(session: AsyncSession, now: datetime, services: Services) -> int:
    """One batch: raise the proposals due and not yet raised, in one transaction;
    returns how many this watcher raised (0: nothing left, or another took them)."""
    await begin_write(session)
    before = now - timedelta(days=PAY_WITHIN_DAYS)
    due = [
        *await _missed_instalments(session),
        *await _unpaid_awards(session, before),
        *await _unpaid_judgments(session, before),
    ]
    raised = 0
    for proposal, enterprise_id in due:
        raised += await _raise(session, proposal, enterprise_id, now)
    await session.commit()
    return raised


async def record_commitment(
    session: AsyncSession,
    caller: Caller,
    mediation: models.MediationCase,
    now: datetime,
    today: date,
) -> models.CreditRecord:
    """信用承诺 signed at mediation: recorded (in effect) against the debtor named on the
    case, by the mediator, in the agreement's own transaction."""
    debtors = await _debtors(
        session, models.MediationParty, models.MediationParty.case_id, [mediation.id]
    )
    if mediation.id not in debtors:
        raise BadUserInput(
            "a commitment needs the employer named on the appeal first", field="creditCommitment"
        )
    record = models.CreditRecord(
        enterprise_id=debtors[mediation.id],
        kind=CreditRecordKind.COMMITMENT,
        stage=DisputeStage.DURING,
        status=CreditStatus.CONFIRMED,
        public=True,
        summary=f"调解协议{mediation.number}：用人单位签署信用承诺，按期履行",
        petition_id=mediation.petition_id,
        mediation_case_id=mediation.id,
        source_key=f"commitment:{mediation.id}",
        organisation_id=caller.organisation_id,
        recorded_by_id=caller.user_id,
        recorded_at=now,
        effective_from=today,
        decided_at=now,
        decided_by_id=caller.user_id,
    )
    session.add(record)
    await session.flush()
    record_credit_event(
        session, record, CreditEventKind.CREDIT_RECORDED, caller, now,
        {"kind": CreditRecordKind.COMMITMENT.name, "mediation": mediation.number},
    )  # fmt: skip
    return record
