"""The credit centre's decisions: confirm or reject a proposal, record a repair.

Each is a step shaped like `resolvers.disputes.cases.take_case_step`: one transaction
that reads the record within the caller's slice (locked on PostgreSQL), checks
`expected_version`, lets the change check the rule and write its event, bumps the
record's `version` with a guarded UPDATE, and commits — or changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from db.models import CreditEventKind, CreditRecordKind, CreditStatus
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.access.credit_policy import credit_scope, require_credit_officer
from resolvers.credit.history import record_credit_event
from resolvers.disputes.cases import bump_version
from resolvers.errors import BadUserInput, Conflict, not_found
from resolvers.services import Services

MAX_TEXT = 2000


@dataclass(frozen=True)
class CreditRef:
    """Which record a step acts on, and the version the caller last saw (if any)."""

    id: int
    expected_version: int | None = None


@dataclass
class CreditStep:
    """One decision in progress on a locked record."""

    session: AsyncSession
    caller: Caller
    now: datetime
    today: date
    record: models.CreditRecord

    def event(self, kind: CreditEventKind, data: dict[str, object] | None = None) -> None:
        record_credit_event(self.session, self.record, kind, self.caller, self.now, data)


async def take_credit_step(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CreditRef,
    change: Callable[[CreditStep], Awaitable[None]],
) -> models.CreditRecord:
    """Run `change` on the record `ref` names, as the credit centre; see the module doc."""
    require_credit_officer(caller)
    await begin_write(session)
    try:
        record_type = models.CreditRecord
        statement = (
            credit_scope(select(record_type), caller)
            .where(record_type.id == ref.id)
            .with_for_update(of=record_type)
            .execution_options(populate_existing=True)
        )
        record = (await session.scalars(statement)).one_or_none()
        if record is None:
            raise not_found("credit record")
        seen = record.version
        if ref.expected_version is not None and ref.expected_version != seen:
            raise Conflict(
                "the {kind} is at version {seen}, not {expected}: reload it",
                params={"kind": "credit record", "seen": seen, "expected": ref.expected_version},
                version=seen,
            )
        today = now.astimezone(services.tz).date()
        await change(CreditStep(session, caller, now, today, record))
        await session.flush()
        await bump_version(session, record, seen, now)
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    return record


def _decide(step: CreditStep, status: CreditStatus, reason: str | None) -> None:
    record = step.record
    if record.status is not CreditStatus.PROPOSED:
        raise BadUserInput(
            "the credit record is {state}: only a proposal is confirmed or rejected",
            field="id",
            params={"state": record.status.name},
        )
    record.status = status
    record.decided_at, record.decided_by_id = step.now, step.caller.user_id
    record.decision_reason = reason


async def confirm_credit_proposal(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime, ref: CreditRef
) -> models.CreditRecord:
    """确认: the proposal becomes a record in effect and joins the enterprise's profile."""

    async def change(step: CreditStep) -> None:
        _decide(step, CreditStatus.CONFIRMED, None)
        step.event(CreditEventKind.CREDIT_CONFIRMED)

    return await take_credit_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def reject_credit_proposal(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CreditRef,
    reason: str,
) -> models.CreditRecord:
    """驳回: the proposal is not recorded; the reason is required and kept."""
    why = validation.text(reason, "reason", max_length=MAX_TEXT)

    async def change(step: CreditStep) -> None:
        _decide(step, CreditStatus.REJECTED, why)
        step.event(CreditEventKind.CREDIT_REJECTED, {"reason": why})

    return await take_credit_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def debt_settled(session: AsyncSession, record: models.CreditRecord) -> bool:
    """Whether the debt behind a record raised by an outcome is paid: the instalment
    settled, the award or the judgment paid. A record with no such debt: yes."""
    if record.instalment_id is not None:
        instalment = await session.get(models.Instalment, record.instalment_id)
        return instalment is not None and instalment.paid_fen >= instalment.amount_fen
    if record.litigation_case_id is not None:
        lawsuit = await session.get(models.LitigationCase, record.litigation_case_id)
        return lawsuit is not None and lawsuit.judgment_paid_at is not None
    if record.arbitration_case_id is not None:
        award = await session.get(models.ArbitrationCase, record.arbitration_case_id)
        return award is not None and award.award_paid_at is not None
    return True


async def record_credit_repair(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CreditRef,
    reason: str,
) -> models.CreditRecord:
    """信用修复: an adverse record in effect whose debt is paid ends today; the repair is
    a record of its own (kind REPAIR, as public as the original) pointing at it. The
    original keeps its history; returns the repair."""
    why = validation.text(reason, "reason", max_length=MAX_TEXT)
    made: list[models.CreditRecord] = []

    async def change(step: CreditStep) -> None:
        original = step.record
        if original.status is not CreditStatus.CONFIRMED or not original.kind.adverse:
            raise BadUserInput(
                "only a warning, wage-arrears or dishonest-list record in effect is repaired",
                field="id",
            )
        if not await debt_settled(session, original):
            raise BadUserInput("the debt behind the record is not paid yet", field="id")
        repair = models.CreditRecord(
            enterprise_id=original.enterprise_id,
            kind=CreditRecordKind.REPAIR,
            stage=original.stage,
            status=CreditStatus.CONFIRMED,
            public=original.public,
            summary=why,
            petition_id=original.petition_id,
            repairs_id=original.id,
            organisation_id=step.caller.organisation_id,
            recorded_by_id=step.caller.user_id,
            recorded_at=step.now,
            effective_from=step.today,
            decided_at=step.now,
            decided_by_id=step.caller.user_id,
        )
        session.add(repair)
        await session.flush()
        original.status = CreditStatus.REPAIRED
        if original.effective_until is None or original.effective_until > step.today:
            original.effective_until = step.today
        step.event(CreditEventKind.CREDIT_REPAIRED, {"repair": repair.id, "reason": why})
        record_credit_event(
            session, repair, CreditEventKind.CREDIT_RECORDED, step.caller, step.now,
            {"repairs": original.id}, on_timeline=False,
        )  # fmt: skip
        made.append(repair)

    await take_credit_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )
    return made[0]
