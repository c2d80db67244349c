"""Arbitration (劳动人事争议仲裁) and litigation (诉讼): the stages after mediation."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import (
    ArbitrationStatus,
    Escalation,
    EventKind,
    LitigationStatus,
    OrganisationKind,
    PolicyStage,
)
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.appeals.numbers import next_value
from resolvers.disputes import reading, rules
from resolvers.disputes.cases import COURT, INSTITUTE, CaseRef, CaseStep, take_case_step
from resolvers.disputes.directory import active_organisation, hand_over, stage_limit
from resolvers.disputes.money import to_fen
from resolvers.errors import BadUserInput
from resolvers.services import Services
from resolvers.workflow import readiness
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action

MAX_TEXT = 5000
ARBITRATORS = frozenset({OrganisationKind.LABOUR_ARBITRATION})
COURTS = frozenset({OrganisationKind.COURT_STATION})


async def open_arbitration(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    arbitration_code: str,
    claim: Decimal | str | None = None,
) -> models.ArbitrationCase:
    """仲裁立案: after mediation (调解前置), the arbitration institute takes the dispute and
    becomes the appeal's lead."""
    claim_fen = to_fen(claim, "claim")
    opened: list[models.ArbitrationCase] = []

    async def change(step: Step) -> None:
        # the chain's order: mediation first, one arbitration (readiness, as the page asks)
        await readiness.take(step, Action.OPEN_ARBITRATION)
        institute = await active_organisation(
            session, arbitration_code, "arbitrationCode", ARBITRATORS
        )
        mediations = await reading.mediation_facts(session, step.petition.id)
        basis = mediations[
            rules.arbitration_basis(step.petition.matter, [f for _, f in mediations])
        ][0]
        year = step.local_day(step.now).year
        number = f"坪劳人仲案〔{year}〕{await next_value(session, f'PS-ZC-{year}')}号"
        limit = await stage_limit(session, PolicyStage.ARBITRATION)
        due_at, provisional = step.deadline_after(step.now, limit.days, limit.unit)
        case = models.ArbitrationCase(
            number=number,
            petition_id=step.petition.id,
            mediation_case_id=basis.id,
            arbitration_org_id=institute.id,
            referring_org_id=step.caller.organisation_id,
            status=ArbitrationStatus.FILED,
            claim_fen=claim_fen if claim_fen is not None else basis.amount_claimed_fen,
            filed_at=step.now,
            due_at=due_at,
            deadline_provisional=provisional,
        )
        session.add(case)
        assignment = hand_over(step, institute, Escalation.ARBITRATION, due_at, provisional)
        await session.flush()
        step.event(
            EventKind.ARBITRATION_OPENED,
            {"case": number, "mediation": basis.number, "organisation": institute.code,
             "dueAt": due_at.isoformat()},
            assignment,
        )  # fmt: skip
        opened.append(case)

    await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )
    return opened[0]


async def schedule_hearing(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    hearing_at: datetime,
    place: str,
) -> models.ArbitrationCase:
    """开庭排期: set (or move) the hearing."""
    if hearing_at.tzinfo is None:
        raise BadUserInput("hearingAt needs a time zone offset", field="hearingAt")
    where = validation.text(place, "place", max_length=200)

    async def change(step: CaseStep[models.ArbitrationCase]) -> None:
        step.require(INSTITUTE)
        case = step.case
        rules.check_hearing(case.status)
        if not case.filed_at <= hearing_at <= step.now + timedelta(days=366):
            raise BadUserInput("the hearing falls after filing, within a year", field="hearingAt")
        case.hearing_at, case.hearing_place = hearing_at, where
        case.status = ArbitrationStatus.HEARING_SCHEDULED
        step.event(
            EventKind.HEARING_SCHEDULED,
            {"case": case.number, "hearingAt": hearing_at.isoformat(), "place": where},
        )

    return await take_case_step(
        session=session, caller=caller, services=services, now=now,
        kind=models.ArbitrationCase, ref=ref, change=change,
    )  # fmt: skip


async def record_award(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    amount: Decimal,
    summary: str,
) -> models.ArbitrationCase:
    """仲裁裁决: the award, with the amount the employer must pay."""
    fen = to_fen(amount, "amount")
    text = validation.text(summary, "summary", max_length=MAX_TEXT)

    async def change(step: CaseStep[models.ArbitrationCase]) -> None:
        step.require(INSTITUTE)
        case = step.case
        rules.check_award(case.status)
        case.status = ArbitrationStatus.AWARDED
        case.awarded_at, case.award_fen, case.award_summary = step.now, fen, text
        step.event(EventKind.AWARD_MADE, {"case": case.number})

    return await take_case_step(
        session=session, caller=caller, services=services, now=now,
        kind=models.ArbitrationCase, ref=ref, change=change,
    )  # fmt: skip


async def record_award_paid(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime, ref: CaseRef
) -> models.ArbitrationCase:
    """裁决履行: the employer paid what the award says."""

    async def change(step: CaseStep[models.ArbitrationCase]) -> None:
        step.require(INSTITUTE)
        case = step.case
        rules.check_award_paid(case.status, case.award_paid_at is not None)
        case.award_paid_at = step.now
        step.event(EventKind.AWARD_PAID, {"case": case.number})

    return await take_case_step(
        session=session, caller=caller, services=services, now=now,
        kind=models.ArbitrationCase, ref=ref, change=change,
    )  # fmt: skip


async def open_litigation(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    court_code: str,
) -> models.LitigationCase:
    """诉讼立案: the dispute goes to court (a labour one after the award); the court station
    becomes the appeal's lead."""
    opened: list[models.LitigationCase] = []

    async def change(step: Step) -> None:
        # the chain's order: a labour dispute after the award, no lawsuit pending (readiness)
        await readiness.take(step, Action.OPEN_LITIGATION)
        court = await active_organisation(session, court_code, "courtCode", COURTS)
        arbitrations = list(
            await session.scalars(
                select(models.ArbitrationCase)
                .where(models.ArbitrationCase.petition_id == step.petition.id)
                .order_by(models.ArbitrationCase.id)
            )
        )
        index = rules.litigation_basis(step.petition.matter, [a.status for a in arbitrations])
        mediation = await session.scalar(
            select(models.MediationCase.id)
            .where(models.MediationCase.petition_id == step.petition.id)
            .order_by(models.MediationCase.id.desc())
            .limit(1)
        )
        arbitration = arbitrations[index] if index is not None else None
        case = models.LitigationCase(
            petition_id=step.petition.id,
            arbitration_case_id=arbitration.id if arbitration else None,
            mediation_case_id=mediation,
            court_org_id=court.id,
            referring_org_id=step.caller.organisation_id,
            status=LitigationStatus.FILED,
            filed_at=step.now,
        )
        session.add(case)
        due_at, provisional = step.deadline_after(
            step.now, step.petition.time_limit_days, step.petition.time_limit_unit
        )
        assignment = hand_over(step, court, Escalation.LITIGATION, due_at, provisional)
        await session.flush()
        step.event(
            EventKind.LITIGATION_OPENED,
            {"litigation": case.id, "court": court.code,
             "arbitration": arbitration.number if arbitration else None},
            assignment,
        )  # fmt: skip
        opened.append(case)

    await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )
    return opened[0]


async def record_judgment(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    case_number: str,
    summary: str,
    amount: Decimal | None = None,
) -> models.LitigationCase:
    """判决: the court's case number, e.g. `(2026)粤0310民初1234号`, and its judgment."""
    number = validation.text(case_number, "caseNumber", max_length=48)
    text = validation.text(summary, "summary", max_length=MAX_TEXT)
    fen = to_fen(amount, "amount")

    async def change(step: CaseStep[models.LitigationCase]) -> None:
        case = step.case
        step.require(COURT)
        rules.check_judgment(case.status)
        taken = await session.scalar(
            select(models.LitigationCase.id).where(
                models.LitigationCase.case_number == number, models.LitigationCase.id != case.id
            )
        )
        if taken is not None:
            raise BadUserInput("another lawsuit has that case number", field="caseNumber")
        case.case_number, case.judgment_summary, case.judgment_fen = number, text, fen
        case.status, case.judged_at = LitigationStatus.JUDGED, step.now
        step.event(EventKind.JUDGMENT_GIVEN, {"litigation": case.id, "caseNumber": number})

    return await take_case_step(
        session=session, caller=caller, services=services, now=now,
        kind=models.LitigationCase, ref=ref, change=change,
    )  # fmt: skip


async def record_judgment_paid(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime, ref: CaseRef
) -> models.LitigationCase:
    """判决履行: the employer paid what the judgment orders (a judgment left unpaid is
    proposed for the dishonest list, `resolvers/credit/proposals.py`)."""

    async def change(step: CaseStep[models.LitigationCase]) -> None:
        case = step.case
        step.require(COURT)
        paid = case.judgment_paid_at is not None
        rules.check_judgment_paid(case.status, case.judgment_fen, paid)
        case.judgment_paid_at = step.now
        step.event(EventKind.JUDGMENT_PAID, {"litigation": case.id})

    return await take_case_step(
        session=session, caller=caller, services=services, now=now,
        kind=models.LitigationCase, ref=ref, change=change,
    )  # fmt: skip
