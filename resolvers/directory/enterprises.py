"""Enterprises (用人单位): the credit centre and mediators look them up by credit code."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from resolvers.access.caller import Caller


async def get_enterprise(
    *, session: AsyncSession, caller: Caller, uscc: str
) -> models.Enterprise | None:
    statement = select(models.Enterprise).where(models.Enterprise.uscc == uscc.strip().upper())
    return (await session.scalars(statement)).one_or_none()


async def list_enterprises(
    *, session: AsyncSession, caller: Caller, limit: int = 1000
) -> list[models.Enterprise]:
    """Known enterprises by name: what intake's employer field offers as the clerk types."""
    statement = select(models.Enterprise).order_by(models.Enterprise.name).limit(limit)
    return list((await session.scalars(statement)).all())
