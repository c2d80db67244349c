"""Human-readable appeal numbers, `PS-2026-004211`, from a counter in the same transaction."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from db import models

NUMBER_PREFIX = "PS"


async def next_value(session: AsyncSession, name: str) -> int:
    """Increment and return the counter `name` (atomic on both databases)."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    sequence = models.NumberSequence
    statement = (
        insert(sequence)
        .values(name=name, value=1)
        .on_conflict_do_update(index_elements=["name"], set_={"value": sequence.value + 1})
        .returning(sequence.value)
    )
    return (await session.execute(statement)).scalar_one()


async def next_petition_number(session: AsyncSession, year: int) -> str:
    prefix = f"{NUMBER_PREFIX}-{year}"
    return f"{prefix}-{await next_value(session, prefix):06d}"
