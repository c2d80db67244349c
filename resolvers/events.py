"""The appeal's timeline: one small function writes each event in the caller's
transaction; publishing to subscribers happens after commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import EventKind
from resolvers.caller import Caller


def record_event(
    session: AsyncSession,
    *,
    petition: models.Petition,
    kind: EventKind,
    caller: Caller,
    data: dict[str, Any] | None = None,
    assignment: models.Assignment | None = None,
    occurred_at: datetime | None = None,
) -> models.PetitionEvent:
    """Add an event to the session; it commits (or not) with the change it records."""
    event = models.PetitionEvent(
        petition_id=petition.id,
        assignment_id=assignment.id if assignment is not None else None,
        kind=kind,
        occurred_at=occurred_at or models.utcnow(),
        actor_user_id=caller.user_id,
        actor_client_id=caller.client_id,
        organisation_id=caller.organisation_id,
        data=data or {},
    )
    session.add(event)
    return event
