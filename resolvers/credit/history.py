"""A credit record's history: one small function writes each event in the step's
transaction.

Every event goes on the record's own history (`credit_events`). Only a public record
taking effect (recorded, confirmed) or repaired also goes on its appeal's timeline
(CREDIT_RECORDED, CREDIT_REPAIRED): whoever sees the appeal is a partner, and every
partner may read a public record in effect, so the timeline and the event stream
(which follow the appeal's slice) show no one a record the credit policy hides.
Proposals, rejections and restricted records stay on the record's history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import CreditEventKind, CreditStatus, EventKind
from resolvers.access.caller import Caller
from resolvers.disputes.cases import record_case_event

ON_THE_TIMELINE = {
    CreditEventKind.CREDIT_RECORDED: EventKind.CREDIT_RECORDED,
    CreditEventKind.CREDIT_CONFIRMED: EventKind.CREDIT_RECORDED,
    CreditEventKind.CREDIT_REPAIRED: EventKind.CREDIT_REPAIRED,
}


def record_credit_event(
    session: AsyncSession,
    record: models.CreditRecord,
    kind: CreditEventKind,
    caller: Caller | None,
    now: datetime,
    data: dict[str, Any] | None = None,
    *,
    on_timeline: bool = True,
) -> models.CreditEvent:
    """Add the event to the session (`caller` None: the hub itself acted, e.g. the
    watcher raising a proposal); it commits (or not) with the change it records."""
    event = models.CreditEvent(
        record_id=record.id,
        kind=kind,
        occurred_at=now,
        actor_user_id=caller.user_id if caller else None,
        actor_client_id=caller.client_id if caller else None,
        organisation_id=caller.organisation_id if caller else None,
        data=data or {},
    )
    session.add(event)
    timeline = ON_THE_TIMELINE.get(kind)
    shown = record.public and record.status is not CreditStatus.PROPOSED
    if on_timeline and timeline is not None and shown and record.petition_id is not None:
        record_case_event(
            session,
            record.petition_id,
            timeline,
            caller,
            {"creditRecord": record.id, "kind": record.kind.name},
            now,
        )
    return event
