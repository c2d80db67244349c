"""A kept statement as the driver itself runs it (PostgreSQL, asyncpg): the SQL text with
its `$n` placeholders, the arguments in their order, and the result columns' conversions.

SQLAlchemy compiles the statement once, here, exactly as its engine would (the same
dialect, bind casts, expanded `IN` lists and bind processors); each request then costs
one `fetchrow` on the connection, with no statement cache lookup, no parameter
construction and no result machinery. Every value stays a bound parameter, so the SQL
text is the same for every value of a query's variables: asyncpg prepares it once per
connection and PostgreSQL keeps its plan. Only the token's hash changes per request.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect

TOKEN_HASH = "token_hash"  # the one parameter given per request (`tokens.token_lookup`)


@dataclass(frozen=True)
class DriverStatement:
    """One statement, ready for `asyncpg.Connection.fetchrow(sql, *arguments)`."""

    sql: str
    arguments: tuple[Any, ...]  # in placeholder order; `TOKEN_HASH`'s slot is filled per call
    token_at: int
    row: Callable[..., Any]  # the row type: the statement's column names as attributes
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]  # (column index, conversion)

    def arguments_for(self, token_hash: str) -> list[Any]:
        arguments = list(self.arguments)
        arguments[self.token_at] = token_hash
        return arguments

    def row_of(self, record: Sequence[Any]) -> Any:
        """A driver's record as SQLAlchemy would have given it (enums, aware times …)."""
        values = list(record)
        for index, convert in self.converters:
            values[index] = convert(values[index])
        return self.row(*values)


def driver_statement(statement: Select, dialect: Dialect) -> DriverStatement:  # type: ignore[type-arg]
    """`statement` (with a `TOKEN_HASH` bind parameter) for `dialect`'s driver, which
    must take numbered placeholders (asyncpg's `$n`)."""
    if dialect.paramstyle != "numeric_dollar":
        raise ValueError(f"{dialect.name} ({dialect.driver}) does not number its parameters")
    compiled = statement.compile(dialect=dialect)
    expanded = compiled.construct_expanded_state({TOKEN_HASH: ""})
    # What the engine's execution context applies before the driver sees a value.
    processors: dict[str, Any] = {**compiled._bind_processors, **expanded.processors}
    names = list(expanded.positiontup or ())
    if TOKEN_HASH in processors:
        raise ValueError("the token's hash would need converting on every call")
    arguments = tuple(
        processors[name](value) if name in processors else value
        for name, value in zip(names, expanded.positional_parameters, strict=True)
    )
    converters = []
    for index, column in enumerate(statement.selected_columns):
        convert = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if convert is not None:
            converters.append((index, convert))
    keys = list(statement.selected_columns.keys())
    return DriverStatement(
        sql=expanded.statement,
        arguments=arguments,
        token_at=names.index(TOKEN_HASH),
        row=namedtuple("Row", keys, rename=True),  # type: ignore[misc]
        converters=tuple(converters),
    )
