"""Checks on what callers send, each failing with `BAD_USER_INPUT` naming the field."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from resolvers.errors import BadUserInput

# The span of time the hub stores and counts working days over: anything outside it is
# a typing mistake or a probe, and near year 1 or 9999 time-zone arithmetic overflows.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
MAX_ID = 2**63 - 1  # the largest id (BIGINT) and the largest number a form may give
NUL = "\x00"
UNSTORABLE_NUL = "text may not contain NUL characters (U+0000)"
UNSTORABLE_SURROGATE = "text may not contain unpaired surrogates (U+D800–U+DFFF)"

# Mainland mobile numbers, and landlines with an area code (and optional extension).
PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|\d{7,8})$")


def text(
    value: str | None, field: str, *, required: bool = True, max_length: int, min_length: int = 1
) -> str:
    """A trimmed string within its length limits."""
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise BadUserInput("{field} is required", field=field, params={"field": field})
        return ""
    if len(cleaned) < min_length:
        raise BadUserInput(
            "{field} needs at least {count} characters",
            field=field,
            params={"field": field, "count": min_length},
        )
    if len(cleaned) > max_length:
        raise BadUserInput(
            "{field} may have at most {count} characters",
            field=field,
            params={"field": field, "count": max_length},
        )
    return cleaned


def resident_id(value: str | None, field: str) -> str | None:
    """A resident ID number (GB 11643, 18 characters with its check digit), or None."""
    if value is None or not value.strip():
        return None
    try:
        number = ric.validate(value.strip().upper())
    except stdnum_errors.InvalidChecksum:
        raise BadUserInput("the resident ID number's check digit is wrong", field=field) from None
    except stdnum_errors.ValidationError:
        raise BadUserInput("not a valid resident ID number", field=field) from None
    if len(number) != 18:
        raise BadUserInput("a resident ID number has 18 characters", field=field)
    return number


def credit_code(value: str | None, field: str) -> str:
    """A unified social credit code (GB 32100, 18 characters with its check character)."""
    try:
        return uscc.validate((value or "").strip().upper())
    except stdnum_errors.InvalidChecksum:
        raise BadUserInput("the credit code's check character is wrong", field=field) from None
    except stdnum_errors.ValidationError:
        raise BadUserInput("not a valid unified social credit code", field=field) from None


def phone(value: str | None, field: str) -> str | None:
    """A mainland mobile or landline number, or None."""
    if value is None or not value.strip():
        return None
    cleaned = re.sub(r"[\s()]", "", value.strip())
    cleaned = cleaned.removeprefix("+86")
    if not PHONE.match(cleaned):
        raise BadUserInput("not a valid phone number", field=field)
    return cleaned


def whole_number(value: int, field: str, *, low: int, high: int) -> int:
    if not low <= value <= high:
        raise BadUserInput(
            "{field} must be between {low} and {high}",
            field=field,
            params={"field": field, "low": low, "high": high},
        )
    return value


def whole(raw: str | None, *, high: int = MAX_ID) -> int | None:
    """A whole number written in ASCII digits, at most `high`; else None. `str.isdigit()`
    alone also passes "²" and "٣", which `int()` refuses or reads as something else."""
    cleaned = (raw or "").strip()
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 19:
        return None
    number = int(cleaned)
    return number if number <= high else None


def digits(raw: str | None, field: str, *, high: int = MAX_ID) -> int:
    """`whole`, or `BAD_USER_INPUT` naming the field."""
    number = whole(raw, high=high)
    if number is None:
        raise BadUserInput("{field} must be a whole number", field=field, params={"field": field})
    return number


def moment(value: datetime | None, field: str) -> datetime | None:
    """A point in time between 1900 and 2200 (the hub's span), or None."""
    if value is None:
        return None
    try:
        inside = (
            EARLIEST <= value.astimezone(UTC) < LATEST
            if value.tzinfo is not None
            else EARLIEST.replace(tzinfo=None) <= value < LATEST.replace(tzinfo=None)
        )
    except OverflowError:  # year 1 east of Greenwich, year 9999 west of it
        inside = False
    if not inside:
        raise BadUserInput("a time lies between 1900 and 2200", field=field)
    return value


def day(value: date | None, field: str) -> date | None:
    """A date between 1900 and 2200, or None."""
    if value is not None and not EARLIEST.date() <= value < LATEST.date():
        raise BadUserInput("a date lies between 1900 and 2200", field=field)
    return value


def unstorable(value: str) -> str | None:
    """Why no database can store `value` (PostgreSQL refuses NUL; neither takes an
    unpaired surrogate, which is not UTF-8), or None if it can."""
    if NUL in value:
        return UNSTORABLE_NUL
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return UNSTORABLE_SURROGATE
    return None


def storable(value: str, field: str) -> str:
    """`value`, if a database can store it; else `BAD_USER_INPUT` naming the field."""
    reason = unstorable(value)
    if reason == UNSTORABLE_NUL:
        raise BadUserInput(UNSTORABLE_NUL, field=field)
    if reason is not None:
        raise BadUserInput(UNSTORABLE_SURROGATE, field=field)
    return value
