"""Reading a submitted form: one way to take text, choices, whole numbers and dates
from it, each failing with `BAD_USER_INPUT` naming the field (as the API does)."""

from __future__ import annotations

import enum
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from resolvers.errors import BadUserInput

E = TypeVar("E", bound=enum.Enum)
ASCII_DIGITS = frozenset("0123456789")


def text(form: Any, name: str) -> str:
    """The field's text, stripped; empty when absent or not text (an upload)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def choice(kind: type[E], form: Any, name: str, *, field: str | None = None) -> E:
    """One of the enum's names."""
    value = text(form, name)
    if value not in kind.__members__:
        raise BadUserInput("choose a {field}", field=field or name, params={"field": field or name})
    return kind[value]


def optional_choice(kind: type[E], form: Any, name: str, *, field: str | None = None) -> E | None:
    """One of the enum's names, or None when left empty."""
    return choice(kind, form, name, field=field) if text(form, name) else None


def is_whole_number(value: str, *, digits: int = 9) -> bool:
    """Plain ASCII digits, at most `digits` of them (`²` and `١` are not numbers here)."""
    return 0 < len(value) <= digits and set(value) <= ASCII_DIGITS


def whole_number(
    form: Any,
    name: str,
    *,
    field: str | None = None,
    default: int | None = None,
    low: int = 0,
    high: int = 10**9,
) -> int:
    """A whole number between `low` and `high`; `default` when left empty."""
    raw = text(form, name)
    if not raw and default is not None:
        return default
    if not is_whole_number(raw) or not low <= int(raw) <= high:
        raise BadUserInput(
            "{field} must be between {low} and {high}",
            field=field or name,
            params={"field": field or name, "low": low, "high": high},
        )
    return int(raw)


def expected_version(form: Any) -> int | None:
    """The version the page showed (its `version` field), or None (no check) when absent.
    An odd one ("²", or past any count) is the form's mistake, not "no check"."""
    return whole_number(form, "version") if text(form, "version") else None


def optional_date(form: Any, name: str, *, field: str | None = None) -> date | None:
    """An ISO date (`2026-10-08`), or None when left empty."""
    raw = text(form, name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadUserInput("not a date", field=field or name) from None


def integer(form: Any, name: str, *, field: str | None = None) -> int:
    """A whole number, maybe negative; its range is the resolver's to check."""
    raw = text(form, name)
    if not is_whole_number(raw.removeprefix("-")):
        raise BadUserInput(
            "{field} must be a whole number", field=field or name, params={"field": field or name}
        )
    return int(raw)


def optional_local_time(
    form: Any, name: str, tz: tzinfo, *, field: str | None = None
) -> datetime | None:
    """A `datetime-local` field (`2026-10-08T14:30`) read in the hub's time zone, or None."""
    raw = text(form, name)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise BadUserInput("not a date", field=field or name) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def dates(form: Any, name: str, *, field: str | None = None) -> list[date]:
    """Every non-empty date among the fields named `name` (several date inputs)."""
    days = []
    for raw in form.getlist(name):
        if isinstance(raw, str) and raw.strip():
            try:
                days.append(date.fromisoformat(raw.strip()))
            except ValueError:
                raise BadUserInput("not a date", field=field or name) from None
    return days


def flag(form: Any, name: str) -> bool:
    """A checkbox or hidden field sent as `1`."""
    return text(form, name) == "1"
