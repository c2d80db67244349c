"""Risk flags a handler records on an appeal (prediction and early warning): a threat
of self-harm, blocking offices, extreme words. A step of the appeal's workflow."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import EventKind, RiskFlagKind
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_filter
from resolvers.services import Services
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action


async def flag_risk(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    kind: RiskFlagKind,
    note: str = "",
) -> models.Petition:
    """Record a risk seen on the appeal (anyone whose slice holds it, as for a note);
    the timeline gets RISK_FLAGGED, and the appeal then prompts a screening."""
    note = validation.text(note, "note", required=False, max_length=1000)

    async def change(step: Step) -> None:
        flag(step, kind, note)

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


def flag(step: Step, kind: RiskFlagKind, note: str) -> None:
    """The flag itself, inside a step (`flag_risk`, intake)."""
    step.move(Action.ADD_NOTE)
    step.session.add(
        models.RiskFlag(
            petition_id=step.petition.id,
            kind=kind,
            note=note,
            organisation_id=step.caller.organisation_id,
            flagged_by_id=step.caller.user_id,
            flagged_at=step.now,
        )
    )
    step.event(EventKind.RISK_FLAGGED, {"kind": kind.name, "note": note})


async def risk_flags(
    *, session: AsyncSession, caller: Caller, petition_id: int
) -> list[models.RiskFlag]:
    """An appeal's risk flags, oldest first; none when it is outside the caller's slice."""
    flag = models.RiskFlag
    return list(
        await session.scalars(
            select(flag)
            .join(models.Petition, models.Petition.id == flag.petition_id)
            .where(flag.petition_id == petition_id, petition_filter(caller))
            .order_by(flag.flagged_at, flag.id)
        )
    )
