"""Around the staff worklist (whose list read is `resolvers.appeals.reading.list_petitions`):
the petitioner's earlier appeals at intake; the actions a caller may take on one appeal."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from resolvers.access.authority import may
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_scope
from resolvers.workflow.steps import caller_standing
from resolvers.workflow.transitions import Action, allowed_actions


async def earlier_appeals(
    *, session: AsyncSession, caller: Caller, id_hash: str, limit: int = 10
) -> list[models.Petition]:
    """The appeals of the petitioner with this keyed ID hash, newest first, in the slice."""
    statement = (
        petition_scope(select(models.Petition), caller)
        .join(models.Petitioner, models.Petitioner.id == models.Petition.petitioner_id)
        .where(models.Petitioner.id_hash == id_hash)
        .order_by(models.Petition.received_at.desc(), models.Petition.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(statement)).all())


async def available_actions(
    *,
    session: AsyncSession,
    caller: Caller,
    petition: models.Petition,
    assignments: list[models.Assignment],
) -> list[Action]:
    """The steps `caller` may take now: legal from the appeal's status, and allowed by
    `resolvers.access.authority` for the caller's standing and roles. A page shows only these."""
    if "petitions:write" not in caller.scopes:
        return []
    standing = await caller_standing(session, caller, petition, assignments)
    return [action for action in allowed_actions(petition.status) if may(caller, action, standing)]
