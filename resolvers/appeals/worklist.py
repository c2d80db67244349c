"""Around the staff worklist (whose list read is `resolvers.appeals.reading.list_petitions`):
the petitioner's earlier appeals at intake. (The steps a caller may take on one appeal:
`resolvers.workflow.readiness.offered`.)"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_scope


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
