"""Human-readable appeal numbers, `PS-2026-004211`, from a counter in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, String, cast, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from db import models

NUMBER_PREFIX = "PS"
DIGITS = 6


def increment(dialect: str, name: str | ColumnElement[str], after: Any = None) -> Any:
    """The statement that increments the counter `name` and returns its new value (atomic
    on both databases: `ON CONFLICT DO UPDATE` works on the latest row, whatever the
    statement's snapshot). `after`: a one-row FROM the increment must wait for (the
    writer lock's common table expression, `resolvers/appeals/registering.py`)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    sequence = models.NumberSequence
    if after is None:
        statement = insert(sequence).values(name=name, value=1)
    else:
        value = literal(name, String) if isinstance(name, str) else name
        source = select(value, literal(1, Integer)).select_from(after)
        statement = insert(sequence).from_select(["name", "value"], source, include_defaults=False)
    return statement.on_conflict_do_update(
        index_elements=["name"], set_={"value": sequence.value + 1}
    ).returning(sequence.value)


async def next_value(session: AsyncSession, name: str) -> int:
    """Increment and return the counter `name` (atomic on both databases)."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    return (await session.execute(increment(dialect, name))).scalar_one()


def petition_prefix(year: int) -> str:
    """The counter, and the numbers' beginning, of the appeals received in `year`."""
    return f"{NUMBER_PREFIX}-{year}"


def petition_number(prefix: str, value: int) -> str:
    return f"{prefix}-{value:0{DIGITS}d}"


def petition_number_sql(
    beginning: ColumnElement[str], value: ColumnElement[int]
) -> ColumnElement[str]:
    """`petition_number` in SQL, for a number made in the statement that draws it:
    `beginning` is the prefix and its dash (`PS-2026-`)."""
    digits = cast(value, String)
    return beginning + func.lpad(digits, func.greatest(DIGITS, func.length(digits)), "0")


async def next_petition_number(session: AsyncSession, year: int) -> str:
    prefix = petition_prefix(year)
    return petition_number(prefix, await next_value(session, prefix))
