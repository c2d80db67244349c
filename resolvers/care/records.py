"""The care centre's records: screenings, sessions (home visits and refusals too),
counselling plans and crisis records. Each is one transaction with its events.

A record is about the person behind an appeal the centre sees (it was referred to the
centre): `petition_id` names the appeal, the record keeps the person. Screening a
person HIGH or CRISIS, or recording a crisis, alerts every open appeal of theirs
(`alerts.raise_alerts`) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from db.models import CareSessionKind, EventKind, RiskLevel
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.access.care_policy import require_care_centre
from resolvers.access.policy import petition_scope
from resolvers.care.alerts import raise_alerts
from resolvers.errors import BadUserInput, not_found
from resolvers.events.timeline import record_event

T = TypeVar("T")
MAX_NOTES = 4000


async def _care_step(
    *,
    session: AsyncSession,
    caller: Caller,
    petition_id: int,
    change: Callable[[models.Petition], Awaitable[T]],
) -> T:
    """Run `change` for the person behind the appeal `petition_id` as one transaction.

    The appeal must be in the care centre's slice (else NOT_FOUND, as for no appeal)
    and have a petitioner."""
    require_care_centre(caller)
    await begin_write(session)
    try:
        petition = (
            await session.scalars(
                petition_scope(select(models.Petition), caller).where(
                    models.Petition.id == petition_id
                )
            )
        ).one_or_none()
        if petition is None:
            raise not_found("petition")
        if petition.petitioner_id is None:
            raise BadUserInput("the appeal names no petitioner", field="petitionId")
        result = await change(petition)
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    return result


def _when(value: datetime | None, now: datetime, field: str) -> datetime:
    """A time given for a record made afterwards: with its offset, never in the future."""
    if value is None:
        return now
    if value.tzinfo is None:
        raise BadUserInput("{field} needs a time zone offset", field=field, params={"field": field})
    if value > now:
        raise BadUserInput("{field} cannot be in the future", field=field, params={"field": field})
    return value


@dataclass(frozen=True)
class ScreeningInput:
    instrument: str
    score: int
    risk_level: RiskLevel
    notes: str = ""
    screened_at: datetime | None = None


async def record_screening(
    *,
    session: AsyncSession,
    caller: Caller,
    now: datetime,
    petition_id: int,
    data: ScreeningInput,
) -> models.Screening:
    """Record a screening. The appeal's timeline gets SCREENED with the risk level only;
    HIGH or CRISIS raise RISK_ALERT on each of the person's open appeals."""
    instrument = validation.text(data.instrument, "instrument", max_length=64)
    score = validation.whole_number(data.score, "score", low=0, high=1000)
    notes = validation.text(data.notes, "notes", required=False, max_length=MAX_NOTES)
    at = _when(data.screened_at, now, "screenedAt")

    async def change(petition: models.Petition) -> models.Screening:
        assert petition.petitioner_id is not None
        screening = models.Screening(
            petitioner_id=petition.petitioner_id,
            petition_id=petition.id,
            instrument=instrument,
            score=score,
            risk_level=data.risk_level,
            notes=notes,
            organisation_id=caller.organisation_id,
            screened_by_id=caller.user_id,
            screened_at=at,
        )
        session.add(screening)
        await session.flush()
        record_event(
            session,
            petition=petition,
            kind=EventKind.SCREENED,
            caller=caller,
            occurred_at=now,
            data={"riskLevel": data.risk_level.name},
        )
        if data.risk_level.alarming:
            await raise_alerts(
                session,
                caller=caller,
                petitioner_id=petition.petitioner_id,
                level=data.risk_level,
                kind=EventKind.RISK_ALERT,
                now=now,
                source="SCREENING",
            )
        return screening

    return await _care_step(session=session, caller=caller, petition_id=petition_id, change=change)


@dataclass(frozen=True)
class SessionInput:
    kind: CareSessionKind
    counsellor: str
    minutes: int = 0
    refused: bool = False
    participants: Sequence[str] = ()
    notes: str = ""
    next_step: str = ""
    held_at: datetime | None = None


async def record_care_session(
    *,
    session: AsyncSession,
    caller: Caller,
    now: datetime,
    petition_id: int,
    data: SessionInput,
) -> models.CareSession:
    """Record a session: on site, a home visit (走访; `refused` for 拒访) or a hotline call.
    Sessions stay in the care centre: no event on the appeal."""
    counsellor = validation.text(data.counsellor, "counsellor", max_length=64)
    minutes = validation.whole_number(data.minutes, "minutes", low=0, high=24 * 60)
    if data.refused and data.kind is not CareSessionKind.HOME_VISIT:
        raise BadUserInput("only a home visit can be refused", field="refused")
    participants = [
        validation.text(p, f"participants.{i}", max_length=32)
        for i, p in enumerate(data.participants)
    ]
    if len(participants) > 20:
        raise BadUserInput(
            "{field} may have at most {count} entries",
            field="participants",
            params={"field": "participants", "count": 20},
        )
    notes = validation.text(data.notes, "notes", required=False, max_length=MAX_NOTES)
    next_step = validation.text(data.next_step, "nextStep", required=False, max_length=1000)
    at = _when(data.held_at, now, "heldAt")

    async def change(petition: models.Petition) -> models.CareSession:
        assert petition.petitioner_id is not None
        row = models.CareSession(
            petitioner_id=petition.petitioner_id,
            kind=data.kind,
            refused=data.refused,
            counsellor=counsellor,
            minutes=0 if data.refused else minutes,
            participants=participants,
            notes=notes,
            next_step=next_step,
            organisation_id=caller.organisation_id,
            held_at=at,
        )
        session.add(row)
        await session.flush()
        return row

    return await _care_step(session=session, caller=caller, petition_id=petition_id, change=change)


async def record_counselling_plan(
    *,
    session: AsyncSession,
    caller: Caller,
    now: datetime,
    petition_id: int,
    goals: str,
    review_dates: Sequence[date],
) -> models.CounsellingPlan:
    """A counselling plan with its goals and the dates it is reviewed on."""
    goals = validation.text(goals, "goals", max_length=MAX_NOTES)
    if not review_dates or len(review_dates) > 24:
        raise BadUserInput(
            "{field} needs between {low} and {high} dates",
            field="reviewDates",
            params={"field": "reviewDates", "low": 1, "high": 24},
        )

    async def change(petition: models.Petition) -> models.CounsellingPlan:
        assert petition.petitioner_id is not None
        plan = models.CounsellingPlan(
            petitioner_id=petition.petitioner_id,
            goals=goals,
            review_dates=[d.isoformat() for d in sorted(set(review_dates))],
            organisation_id=caller.organisation_id,
            created_at=now,
        )
        session.add(plan)
        await session.flush()
        return plan

    return await _care_step(session=session, caller=caller, petition_id=petition_id, change=change)


async def record_crisis(
    *,
    session: AsyncSession,
    caller: Caller,
    now: datetime,
    petition_id: int,
    notes: str,
) -> models.CrisisRecord:
    """危机干预: an urgent record; CRISIS at once on each of the person's open appeals
    (the hall sees them all), without the notes."""
    notes = validation.text(notes, "notes", max_length=MAX_NOTES)

    async def change(petition: models.Petition) -> models.CrisisRecord:
        assert petition.petitioner_id is not None
        record = models.CrisisRecord(
            petitioner_id=petition.petitioner_id,
            notes=notes,
            organisation_id=caller.organisation_id,
            recorded_at=now,
        )
        session.add(record)
        await session.flush()
        await raise_alerts(
            session,
            caller=caller,
            petitioner_id=petition.petitioner_id,
            level=RiskLevel.CRISIS,
            kind=EventKind.CRISIS,
            now=now,
            source="CRISIS",
        )
        return record

    return await _care_step(session=session, caller=caller, petition_id=petition_id, change=change)
