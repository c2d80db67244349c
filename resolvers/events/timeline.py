"""The appeal's timeline: one small function writes each event in the caller's
transaction; publishing to subscribers happens after commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import EventKind
from resolvers.access.caller import Caller


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


def record_system_event(
    session: AsyncSession,
    *,
    petition_id: int,
    kind: EventKind,
    occurred_at: datetime,
    data: dict[str, Any] | None = None,
    assignment_id: int | None = None,
) -> models.PetitionEvent:
    """Add an event the hub itself causes (the deadline watcher, a calendar import):
    no person, integration or organisation acted."""
    event = models.PetitionEvent(
        petition_id=petition_id,
        assignment_id=assignment_id,
        kind=kind,
        occurred_at=occurred_at,
        data=data or {},
    )
    session.add(event)
    return event
