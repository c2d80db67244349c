"""Mediation cases (调解案件): opened from an appeal, sessions, the outcome with its
instalments and payments, and judicial confirmation (司法确认) by the court station."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import (
    ConfirmationStatus,
    Escalation,
    EventKind,
    MediationKind,
    MediationStatus,
    MetroTier,
    OrganisationKind,
    PolicyStage,
    SessionPlace,
)
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.appeals.numbers import next_value
from resolvers.credit.proposals import record_commitment
from resolvers.disputes import rules
from resolvers.disputes.cases import (
    CONFIRMING_COURT,
    MEDIATOR,
    CaseRef,
    CaseStep,
    take_case_step,
)
from resolvers.disputes.directory import active_organisation, hand_over, stage_limit
from resolvers.disputes.money import to_fen
from resolvers.errors import BadUserInput
from resolvers.services import Services
from resolvers.workflow import readiness
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action

MAX_TEXT = 5000
MAX_ATTENDEES = 200
COURTS = frozenset({OrganisationKind.COURT_STATION})


@dataclass(frozen=True)
class InstalmentPlan:
    """One instalment of an agreement: the day it falls due and how much (yuan)."""

    due_on: date
    amount: Decimal


async def open_mediation(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    kind: MediationKind,
    mediator_code: str,
    mediator_name: str | None = None,
    worker_count: int | None = None,
    amount_claimed: Decimal | None = None,
    tiered: bool = False,
) -> models.MediationCase:
    """调解立案: open a mediation of the appeal with a mediator, who becomes its lead.

    `tiered`: a metro site dispute, tried first at the site tier (the site's mediation
    room or station), then by the watcher's escalation at the metro centre and the
    district regulators, each within its tier's time limit.
    """
    name = validation.text(mediator_name, "mediatorName", required=False, max_length=64)
    claimed = to_fen(amount_claimed, "amountClaimed")
    if worker_count is not None:
        validation.whole_number(worker_count, "workerCount", low=0, high=100_000)
    opened: list[models.MediationCase] = []

    async def change(step: Step) -> None:
        # by the receiver only while no one handles it, and no mediation under way
        await readiness.take(step, Action.OPEN_MEDIATION)
        kinds = rules.SITE_TIER if tiered else rules.MEDIATORS
        mediator = await active_organisation(session, mediator_code, "mediatorCode", kinds)
        year = step.local_day(step.now).year
        number = f"PS-TJ-{year}-{await next_value(session, f'PS-TJ-{year}'):05d}"
        limit = await stage_limit(session, PolicyStage.MEDIATION)
        due_at, provisional = step.deadline_after(step.now, limit.days, limit.unit)
        case = models.MediationCase(
            number=number,
            petition_id=step.petition.id,
            kind=kind,
            status=MediationStatus.OPEN,
            mediator_org_id=mediator.id,
            mediator_name=name,
            referring_org_id=step.caller.organisation_id,
            project_id=step.petition.project_id,
            worker_count=worker_count if worker_count is not None else step.petition.people_count,
            amount_claimed_fen=claimed,
            opened_at=step.now,
            due_at=due_at,
            deadline_provisional=provisional,
            tier=MetroTier.SITE if tiered else None,
        )
        session.add(case)
        await session.flush()
        for party in await session.scalars(
            select(models.PetitionParty).where(models.PetitionParty.petition_id == step.petition.id)
        ):
            session.add(
                models.MediationParty(
                    case_id=case.id, enterprise_id=party.enterprise_id, role=party.role
                )
            )
        lead_due, lead_provisional = due_at, provisional
        if tiered:
            site = await stage_limit(session, PolicyStage.METRO_SITE)
            lead_due, lead_provisional = step.deadline_after(step.now, site.days, site.unit)
            session.add(
                models.MediationTier(
                    case_id=case.id,
                    tier=MetroTier.SITE,
                    organisation_id=mediator.id,
                    started_at=step.now,
                    due_at=lead_due,
                    deadline_provisional=lead_provisional,
                )
            )
        assignment = hand_over(step, mediator, Escalation.MEDIATION, lead_due, lead_provisional)
        await session.flush()
        step.event(
            EventKind.MEDIATION_OPENED,
            {
                "case": number,
                "kind": kind.name,
                "mediator": mediator.code,
                "tier": MetroTier.SITE.name if tiered else None,
                "dueAt": lead_due.isoformat(),
            },
            assignment,
        )
        opened.append(case)

    await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )
    return opened[0]


def _mediator(step: CaseStep[models.MediationCase]) -> None:
    step.require(MEDIATOR)


async def record_session(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    held_at: datetime,
    place_kind: SessionPlace,
    place: str | None = None,
    attendees: list[str] | None = None,
    minutes: str | None = None,
) -> models.MediationCase:
    """调解会: record a session — when, where, who attended, the minutes."""
    if held_at.tzinfo is None:
        raise BadUserInput("heldAt needs a time zone offset", field="heldAt")
    where = validation.text(place, "place", required=False, max_length=200)
    notes = validation.text(minutes, "minutes", required=False, max_length=MAX_TEXT)
    people = [validation.text(a, "attendees", max_length=64) for a in attendees or []]
    if len(people) > MAX_ATTENDEES:
        raise BadUserInput(
            "at most {count} attendees", field="attendees", params={"count": MAX_ATTENDEES}
        )

    async def change(step: CaseStep[models.MediationCase]) -> None:
        _mediator(step)
        case = step.case
        rules.check_may_hold_session(case.status)
        if not case.opened_at - timedelta(days=1) <= held_at <= step.now + timedelta(hours=1):
            raise BadUserInput(
                "a session is recorded once held, after the case opened", field="heldAt"
            )
        session.add(
            models.MediationSession(
                case_id=case.id, held_at=held_at, place_kind=place_kind, place=where,
                attendees=people, minutes=notes, organisation_id=step.caller.organisation_id,
                recorded_at=step.now,
            )
        )  # fmt: skip
        step.event(
            EventKind.MEDIATION_SESSION,
            {"case": case.number, "place": place_kind.name, "heldAt": held_at.isoformat()},
        )

    return await take_case_step(
        session=session, caller=caller, services=services, now=now,
        kind=models.MediationCase, ref=ref, change=change,
    )  # fmt: skip


async def conclude_mediation(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    outcome: MediationStatus,
    reason: str | None = None,
    agreement_amount: Decimal | None = None,
    terms: str | None = None,
    instalments: list[InstalmentPlan] | None = None,
    credit_commitment: bool = False,
) -> models.MediationCase:
    """调解结案: an agreement (amount, terms, instalments), no agreement, withdrawn, or
    refused — each but an agreement with its reason. An agreement may come with the
    employer's signed credit commitment (信用承诺), recorded on its credit profile."""
    if outcome is MediationStatus.OPEN:
        raise BadUserInput("an outcome ends the mediation: not OPEN", field="outcome")
    agreed = outcome is MediationStatus.AGREED
    why = validation.text(reason, "reason", required=not agreed, max_length=MAX_TEXT)
    words = validation.text(terms, "terms", required=False, max_length=MAX_TEXT)
    amount = to_fen(agreement_amount, "agreementAmount")
    plan = [(i.due_on, to_fen(i.amount, "instalments", positive=True) or 0)
            for i in instalments or []]  # fmt: skip
    if not agreed and (plan or amount is not None):
        raise BadUserInput("only an agreement has an amount and instalments", field="outcome")
    if credit_commitment and not agreed:
        raise BadUserInput("only an agreement comes with a credit commitment", field="outcome")

    async def change(step: CaseStep[models.MediationCase]) -> None:
        _mediator(step)
        case = step.case
        rules.check_may_conclude(case.status)
        rules.check_instalments(plan, amount, step.local_day(case.opened_at))
        case.status = outcome
        case.concluded_at = step.now
        case.outcome_reason = why or None
        if agreed:
            case.agreement_amount_fen = amount
            case.agreement_terms = words or None
            for seq, (due_on, fen) in enumerate(plan, start=1):
                session.add(
                    models.Instalment(case_id=case.id, seq=seq, due_on=due_on, amount_fen=fen)
                )
        tier = await session.scalar(
            select(models.MediationTier).where(
                models.MediationTier.case_id == case.id, models.MediationTier.ended_at.is_(None)
            )
        )
        if tier is not None:
            tier.ended_at = step.now
        if credit_commitment:
            await record_commitment(session, step.caller, case, step.now, step.local_day(step.now))
        step.event(
            EventKind.MEDIATION_CONCLUDED,
            {"case": case.number, "outcome": outcome.name, "instalments": len(plan),
             "reason": why or None},
        )  # fmt: skip

    return await take_case_step(
        session=session, caller=caller, services=services, now=now,
        kind=models.MediationCase, ref=ref, change=change,
    )  # fmt: skip


async def record_payment(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    instalment: int,
    amount: Decimal,
    paid_on: date,
) -> models.MediationCase:
    """履行: record a payment against an instalment of the agreement."""
    fen = to_fen(amount, "amount", positive=True) or 0

    async def change(step: CaseStep[models.MediationCase]) -> None:
        _mediator(step)
        case = step.case
        rules.check_may_record_payment(case.status)
        row = await session.scalar(
            select(models.Instalment).where(
                models.Instalment.case_id == case.id, models.Instalment.seq == instalment
            )
        )
        if row is None:
            raise BadUserInput("the agreement has no such instalment", field="instalment")
        if fen > row.amount_fen - row.paid_fen:
            raise BadUserInput("more than the instalment still owes", field="amount")
        if not step.local_day(case.opened_at) <= paid_on <= step.local_day(step.now):
            raise BadUserInput(
                "a payment is recorded once made, after the case opened", field="paidOn"
            )
        session.add(
            models.Payment(instalment_id=row.id, case_id=case.id, amount_fen=fen,
                           paid_on=paid_on, organisation_id=step.caller.organisation_id,
                           recorded_at=step.now)
        )  # fmt: skip
        row.paid_fen += fen
        if row.paid_fen == row.amount_fen:
            row.paid_on = paid_on
        step.event(
            EventKind.PAYMENT_RECORDED,
            {"case": case.number, "instalment": instalment, "paidOn": paid_on.isoformat(),
             "settled": row.paid_fen == row.amount_fen},
        )  # fmt: skip

    return await take_case_step(
        session=session, caller=caller, services=services, now=now,
        kind=models.MediationCase, ref=ref, change=change,
    )  # fmt: skip


async def request_confirmation(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    court_code: str,
) -> models.MediationCase:
    """申请司法确认: ask the court station to confirm the agreement; from then on the
    station sees the case."""

    async def change(step: CaseStep[models.MediationCase]) -> None:
        _mediator(step)
        case = step.case
        rules.check_may_request_confirmation(case.status, case.confirmation_status)
        court = await active_organisation(session, court_code, "courtCode", COURTS)
        case.confirmation_status = ConfirmationStatus.REQUESTED
        case.confirmation_court_id = court.id
        case.confirmation_requested_at = step.now
        case.confirmation_decided_at = None
        case.confirmation_note = None
        step.event(EventKind.CONFIRMATION_ASKED, {"case": case.number, "court": court.code})

    return await take_case_step(
        session=session, caller=caller, services=services, now=now,
        kind=models.MediationCase, ref=ref, change=change,
    )  # fmt: skip


async def decide_confirmation(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    confirmed: bool,
    note: str | None = None,
) -> models.MediationCase:
    """司法确认: the court station confirms the agreement (enforceable) or refuses, saying why."""
    text = validation.text(note, "note", required=not confirmed, max_length=MAX_TEXT)

    async def change(step: CaseStep[models.MediationCase]) -> None:
        case = step.case
        step.require(CONFIRMING_COURT)
        rules.check_may_decide_confirmation(case.confirmation_status)
        case.confirmation_status = (
            ConfirmationStatus.CONFIRMED if confirmed else ConfirmationStatus.REFUSED
        )
        case.confirmation_decided_at = step.now
        case.confirmation_note = text or None
        step.event(EventKind.CONFIRMATION_DECIDED, {"case": case.number, "confirmed": confirmed})

    return await take_case_step(
        session=session, caller=caller, services=services, now=now,
        kind=models.MediationCase, ref=ref, change=change,
    )  # fmt: skip
