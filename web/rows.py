"""Appeals as the pages show them: with their organisations, community, lead and deadline
badge, all batch-loaded (one statement per kind of thing, whatever the page size)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import AssignmentRole, AssignmentStatus
from resolvers import loaders
from resolvers.access.caller import Caller
from resolvers.access.policy import ACTIVE_ASSIGNMENT
from resolvers.appeals.repeats import RepeatView
from resolvers.deadlines import standing
from resolvers.services import Services

LED = (*ACTIVE_ASSIGNMENT, AssignmentStatus.COMPLETED)


@dataclass
class Row:
    petition: models.Petition
    received_by: models.Organisation | None
    community: models.Region | None
    lead: models.Organisation | None
    badge: standing.Badge
    repeat: RepeatView


async def rows_for(
    session: AsyncSession,
    caller: Caller,
    petitions: Sequence[models.Petition],
    services: Services,
    now: datetime,
) -> list[Row]:
    """Rows for a page of appeals, in three batch loads (four with repeats)."""
    ids = [p.id for p in petitions]
    repeats = await loaders.repeats_by_petition(session, caller, petitions)
    assignments = await loaders.assignments_by_petition(session, ids)
    leads: list[int | None] = []
    for listed in assignments:
        # The organisation leading it now, else the one that led it to its answer: an
        # answered appeal still shows whose it was.
        led = [a for a in listed if a.role is AssignmentRole.LEAD and a.status in LED]
        leads.append(led[-1].organisation_id if led else None)
    org_ids = [p.received_by_id for p in petitions] + [i for i in leads if i is not None]
    organisations = {o.id: o for o in await loaders.organisations_by_id(session, org_ids) if o}
    community_ids = [p.community_id for p in petitions if p.community_id is not None]
    regions = {r.id: r for r in await loaders.regions_by_id(session, community_ids) if r}
    return [
        Row(
            petition=p,
            received_by=organisations.get(p.received_by_id),
            community=regions.get(p.community_id) if p.community_id else None,
            lead=organisations.get(lead) if lead else None,
            badge=standing.badge(p, services, now),
            repeat=repeat,
        )
        for p, lead, repeat in zip(petitions, leads, repeats, strict=True)
    ]
