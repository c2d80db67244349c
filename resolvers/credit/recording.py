"""Recording a credit record by hand.

The credit centre records any kind but a repair (`steps.record_credit_repair`), in
effect at once: its warnings, commendations, a commitment signed before a dispute.
Another partner records within its own work: about an enterprise that is a party to
an appeal in its slice, and as a proposal, which the centre confirms or rejects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from db.models import CreditEventKind, CreditRecordKind, CreditStatus, DisputeStage, Role
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.access.credit_policy import WRITE_CREDIT, is_credit_centre, require_credit_officer
from resolvers.access.policy import petition_scope
from resolvers.credit.history import record_credit_event
from resolvers.errors import BadUserInput, Forbidden
from resolvers.services import Services

MAX_TEXT = 2000
PARTNER_ROLES = frozenset({Role.HANDLER, Role.MEDIATOR, Role.LEADER})


@dataclass(frozen=True)
class CreditInput:
    """What a hand-made record says."""

    uscc: str
    kind: CreditRecordKind
    summary: str
    public: bool = True
    stage: DisputeStage | None = None
    petition_id: int | None = None
    effective_from: date | None = None
    effective_until: date | None = None


def require_recorder(caller: Caller) -> None:
    """Refuse `record_credit_record` to anyone but the centre's officers and the partners'
    handlers, mediators and leaders (or tokens with `credit:write`); the pages ask it too,
    to offer the form."""
    caller.require_scope(WRITE_CREDIT)
    if is_credit_centre(caller):
        require_credit_officer(caller)
    elif caller.user_id is not None and not PARTNER_ROLES & caller.roles:
        raise Forbidden(
            "a staff member needs one of the roles {roles} for this step",
            params={"roles": ", ".join(sorted(r.name for r in PARTNER_ROLES))},
        )


async def _source_appeal(
    session: AsyncSession, caller: Caller, petition_id: int | None, enterprise_id: int
) -> models.Petition | None:
    """The appeal a record comes from, in the caller's slice; a partner's record needs
    one that names the enterprise."""
    if petition_id is None:
        if not is_credit_centre(caller):
            raise BadUserInput(
                "a partner records credit from an appeal it handles", field="petition"
            )
        return None
    appeal = await session.scalar(
        petition_scope(select(models.Petition), caller).where(models.Petition.id == petition_id)
    )
    if appeal is None:
        raise BadUserInput("no such appeal in your slice", field="petition")
    if not is_credit_centre(caller):
        party = await session.scalar(
            select(models.PetitionParty.id).where(
                models.PetitionParty.petition_id == appeal.id,
                models.PetitionParty.enterprise_id == enterprise_id,
            )
        )
        if party is None:
            raise BadUserInput("the appeal does not name this enterprise", field="uscc")
    return appeal


async def record_credit_record(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime, data: CreditInput
) -> models.CreditRecord:
    """Record (the credit centre) or propose (another partner) a credit record."""
    require_recorder(caller)
    if data.kind is CreditRecordKind.REPAIR:
        raise BadUserInput("a repair is recorded against the record it repairs", field="kind")
    code = validation.credit_code(data.uscc, "uscc")
    summary = validation.text(data.summary, "summary", max_length=MAX_TEXT)
    today = now.astimezone(services.tz).date()
    start = validation.day(data.effective_from, "effectiveFrom") or today
    until = validation.day(data.effective_until, "effectiveUntil")
    if until is not None and until < start:
        raise BadUserInput("a record ends after it starts", field="effectiveUntil")
    await begin_write(session)
    try:
        enterprise = await session.scalar(
            select(models.Enterprise).where(models.Enterprise.uscc == code)
        )
        if enterprise is None:
            raise BadUserInput("no enterprise with that credit code", field="uscc")
        appeal = await _source_appeal(session, caller, data.petition_id, enterprise.id)
        stage = data.stage or (
            DisputeStage.BEFORE
            if appeal is None
            else DisputeStage.DURING
            if appeal.status.is_open
            else DisputeStage.AFTER
        )
        centre = is_credit_centre(caller)
        record = models.CreditRecord(
            enterprise_id=enterprise.id,
            kind=data.kind,
            stage=stage,
            status=CreditStatus.CONFIRMED if centre else CreditStatus.PROPOSED,
            public=data.public,
            summary=summary,
            petition_id=appeal.id if appeal else None,
            organisation_id=caller.organisation_id,
            recorded_by_id=caller.user_id,
            recorded_at=now,
            effective_from=start,
            effective_until=until,
            decided_at=now if centre else None,
            decided_by_id=caller.user_id if centre else None,
        )
        session.add(record)
        await session.flush()
        kind = CreditEventKind.CREDIT_RECORDED if centre else CreditEventKind.CREDIT_PROPOSED
        record_credit_event(session, record, kind, caller, now, {"kind": data.kind.name})
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    return record
