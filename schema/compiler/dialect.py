"""JSON built in the database, written once per dialect: PostgreSQL (`json_build_object`,
`json_agg`) and SQLite (`json_object`, `json_group_array`).

Every value comes out exactly as the resolvers' answer would serialise it: ids as
strings, booleans as booleans, timestamps as ISO 8601 in the hub's time zone with the
offset (`2026-11-26T23:59:59+08:00`, microseconds only when there are any), cursors as
`resolvers.pagination.encode_cursor` writes them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, String, case, cast, func, literal, literal_column
from sqlalchemy.dialects.postgresql import aggregate_order_by

MAX_PAIRS = 50  # json_build_object takes at most 100 arguments


def fixed_offset(tz: ZoneInfo) -> timedelta | None:
    """The zone's UTC offset if it has had one offset since 1992 (Asia/Shanghai has);
    None for a zone with summer time, which the compiled path leaves to the resolvers."""
    offsets = {
        datetime(year, month, 15, tzinfo=tz).utcoffset()
        for year in (1992, 2026)
        for month in (1, 7)
    }
    return offsets.pop() if len(offsets) == 1 else None


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


class Dialect:
    """The JSON and text functions of one database."""

    def __init__(self, name: str, offset: timedelta) -> None:
        self.postgresql = name == "postgresql"
        self.offset = offset
        self.offset_text = _offset_text(offset)

    def obj(self, pairs: list[tuple[str, Any]]) -> ColumnElement[Any]:
        args: list[Any] = []
        for key, value in pairs:
            args += [literal(key, String), value]
        if self.postgresql:
            return func.json_build_object(*args)
        return func.json_object(*args)

    def nested(self, value: Any) -> ColumnElement[Any]:
        """A JSON value produced by a subquery, embedded as JSON (SQLite forgets that a
        subquery's text is JSON)."""
        return value if self.postgresql else func.json(value)

    def array(self, item: Any, order: list[Any]) -> ColumnElement[Any]:
        """The aggregate of `item` over the rows of the FROM, in `order` (on SQLite the
        FROM is already ordered), `[]` when there are none."""
        if self.postgresql:
            return func.coalesce(
                func.json_agg(aggregate_order_by(item, *order)), literal_column("'[]'::json")
            )
        return func.json_group_array(func.json(item))

    def boolean(self, column: Any) -> ColumnElement[Any]:
        if self.postgresql:
            return column  # type: ignore[no-any-return]
        return func.json(
            case((column.is_(None), "null"), (column == literal(True), "true"), else_="false")
        )

    def json_column(self, column: Any) -> ColumnElement[Any]:
        return column if self.postgresql else func.json(column)  # type: ignore[no-any-return]

    def ident(self, column: Any) -> ColumnElement[Any]:
        return cast(column, String)

    def local_time(self, column: Any) -> ColumnElement[Any]:
        """A timestamp in the hub's zone, as `datetime.isoformat()` writes it."""
        if self.postgresql:
            seconds = func.to_char(
                column.op("AT TIME ZONE")(self._pg_zone()), literal('YYYY-MM-DD"T"HH24:MI:SS')
            )
            return seconds.concat(self._pg_fraction(column)).concat(self.offset_text)
        minutes = int(self.offset.total_seconds() // 60)
        seconds = func.replace(
            func.datetime(func.substr(column, 1, 19), f"{minutes:+d} minutes"), " ", "T"
        )
        return seconds.concat(self._sqlite_fraction(column)).concat(self.offset_text)

    def utc_time(self, column: Any) -> ColumnElement[Any]:
        """A timestamp in UTC as `datetime.isoformat()` writes it (the cursors' form)."""
        if self.postgresql:
            seconds = func.to_char(
                column.op("AT TIME ZONE")(literal("UTC")), literal('YYYY-MM-DD"T"HH24:MI:SS')
            )
            return seconds.concat(self._pg_fraction(column)).concat("+00:00")
        seconds = func.replace(func.substr(column, 1, 19), " ", "T")
        return seconds.concat(self._sqlite_fraction(column)).concat("+00:00")

    def b64url(self, text: Any) -> ColumnElement[Any]:
        if self.postgresql:
            encoded = func.encode(func.convert_to(text, literal("UTF8")), literal("base64"))
            return func.rtrim(func.translate(encoded, literal("+/\n"), literal("-_")), "=")
        return func.hub_b64url(text)

    def _pg_zone(self) -> Any:
        # A fixed offset as a POSIX zone: 'UTC+8' means 8 hours *west*, hence the sign flip.
        hours = self.offset.total_seconds() / 3600
        return literal(f"UTC{-hours:+g}")

    def _pg_fraction(self, column: Any) -> ColumnElement[Any]:
        return case(
            (func.date_trunc("second", column) == column, literal("")),
            else_=func.to_char(column.op("AT TIME ZONE")(literal("UTC")), literal(".US")),
        )

    def _sqlite_fraction(self, column: Any) -> ColumnElement[Any]:
        fraction = func.substr(column, 21, 6)
        return case(
            (func.coalesce(fraction, "") == "", literal("")),
            (fraction == "000000", literal("")),
            else_=literal(".").concat(fraction),
        )
