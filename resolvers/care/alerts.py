"""Early warning: a high or crisis risk reaches every organisation handling the person.

The alert is an event on each of the person's open appeals, so it reaches whoever
sees those appeals — on their timelines, on the stream, as the badge on the pages —
through the appeals' own policy. It names the risk level, never a score or a note.

This module reads the person's open appeals for the care centre, which may not see
them all (that is the point: the alert must reach their handlers); it returns nothing
of them to the caller but a count.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import EventKind, PetitionStatus, RiskLevel
from resolvers.access.caller import Caller
from resolvers.events.timeline import record_event


async def raise_alerts(
    session: AsyncSession,
    *,
    caller: Caller,
    petitioner_id: int,
    level: RiskLevel,
    kind: EventKind,
    now: datetime,
    source: str,
) -> int:
    """Write `kind` (RISK_ALERT or CRISIS) with the risk level on each of the person's
    open appeals, in the caller's transaction; how many appeals were alerted."""
    appeals = list(
        await session.scalars(
            select(models.Petition)
            .where(
                models.Petition.petitioner_id == petitioner_id,
                models.Petition.status != PetitionStatus.CLOSED,
            )
            .order_by(models.Petition.id)
        )
    )
    for appeal in appeals:
        record_event(
            session,
            petition=appeal,
            kind=kind,
            caller=caller,
            occurred_at=now,
            data={"riskLevel": level.name, "source": source},
        )
    return len(appeals)
