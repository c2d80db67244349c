"""Keyset pagination: opaque cursors over (sort key, id), never OFFSET."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from resolvers import validation
from resolvers.errors import BadUserInput

T = TypeVar("T")


def encode_cursor(*parts: Any) -> str:
    text = "|".join(p.isoformat() if isinstance(p, datetime) else str(p) for p in parts)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, field: str = "after") -> list[str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return base64.urlsafe_b64decode(padded.encode()).decode().split("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput("not a cursor this API gave out", field=field) from None


def decode_time_id_cursor(cursor: str, field: str = "after") -> tuple[datetime, int]:
    """(time, id) from a cursor `encode_cursor` made; anything else, a forged one with an
    id past BIGINT or a time in year 1 or 9999 included, is `BAD_USER_INPUT`."""
    parts = decode_cursor(cursor, field)
    try:
        at, ident = parts
        moment = datetime.fromisoformat(at)
        validation.moment(moment, field)
        return moment, validation.digits(ident, field)
    except (ValueError, BadUserInput):
        raise BadUserInput("not a cursor this API gave out", field=field) from None


def page_size(first: int | None, maximum: int, default: int = 20, field: str = "first") -> int:
    size = default if first is None else first
    if not 0 <= size <= maximum:
        raise BadUserInput(
            "{field} must be between {low} and {high}",
            field=field,
            params={"field": field, "low": 0, "high": maximum},
        )
    return size


@dataclass
class Page(Generic[T]):
    """One page of rows with what a Relay connection needs."""

    rows: list[T]
    cursors: list[str]
    has_next_page: bool
