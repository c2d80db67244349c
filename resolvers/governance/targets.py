"""Targets for the leaders' rates, shown beside each rate on the screen; the hall's
administrators set them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from resolvers.access.caller import Caller
from resolvers.admin.staff import sets_district_rules
from resolvers.errors import BadUserInput, Forbidden

RATES = ("completion_rate", "on_time_rate", "resolution_rate", "satisfaction_rate")


async def list_targets(session: AsyncSession) -> dict[str, float]:
    """Every rate's target (0–1), by the rate's name."""
    rows = await session.scalars(select(models.FigureTarget))
    return {row.key: float(row.value) for row in rows}


async def set_target(
    *, session: AsyncSession, caller: Caller, key: str, value: float, now: datetime
) -> dict[str, float]:
    """Set one rate's target; only the hall's administrators may."""
    if not sets_district_rules(caller):
        raise Forbidden("only the appeals hall's administrators set targets")
    if key not in RATES:
        raise BadUserInput("choose a {field}", field="key", params={"field": "key"})
    if not 0 <= value <= 1:
        raise BadUserInput(
            "{field} must be between {low} and {high}",
            field="value",
            params={"field": "value", "low": 0, "high": 1},
        )
    await begin_write(session)
    row = await session.get(models.FigureTarget, key)
    if row is None:
        session.add(models.FigureTarget(key=key, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now
    await session.commit()
    return await list_targets(session)
