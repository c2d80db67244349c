"""The directory of organisations. Every partner may read it: routing needs it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import OrganisationKind, RegionKind
from resolvers.access.caller import Caller


async def list_organisations(
    *, session: AsyncSession, caller: Caller, kinds: Sequence[OrganisationKind] | None = None
) -> list[models.Organisation]:
    statement = select(models.Organisation).where(models.Organisation.active.is_(True))
    if kinds:
        statement = statement.where(models.Organisation.kind.in_(kinds))
    return list((await session.scalars(statement.order_by(models.Organisation.code))).all())


async def get_organisation(
    *, session: AsyncSession, caller: Caller, code: str | None = None, id: int | None = None
) -> models.Organisation | None:
    statement = select(models.Organisation)
    if code is not None:
        statement = statement.where(models.Organisation.code == code)
    elif id is not None:
        statement = statement.where(models.Organisation.id == id)
    else:
        return None
    return (await session.scalars(statement)).one_or_none()


async def list_communities(
    *, session: AsyncSession, kind: RegionKind = RegionKind.COMMUNITY
) -> list[models.Region]:
    """The district's communities (or streets), by code: what a form picks from."""
    statement = select(models.Region).where(models.Region.kind == kind)
    return list((await session.scalars(statement.order_by(models.Region.code))).all())


async def communities_by_street(
    *, session: AsyncSession
) -> list[tuple[models.Region, list[models.Region]]]:
    """The district's streets, each with its communities, by code: one statement."""
    statement = select(models.Region).where(
        models.Region.kind.in_([RegionKind.STREET, RegionKind.COMMUNITY])
    )
    regions = list((await session.scalars(statement.order_by(models.Region.code))).all())
    streets: dict[int | None, tuple[models.Region, list[models.Region]]] = {
        r.id: (r, []) for r in regions if r.kind is RegionKind.STREET
    }
    for region in regions:
        if region.kind is RegionKind.COMMUNITY and region.parent_id in streets:
            streets[region.parent_id][1].append(region)
    return list(streets.values())
