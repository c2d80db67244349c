"""Checks on what callers send, each failing with `BAD_USER_INPUT` naming the field."""

from __future__ import annotations

import re

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from resolvers.errors import BadUserInput

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
        raise BadUserInput("{field} needs at least {count} characters", field=field,
                           params={"field": field, "count": min_length})
    if len(cleaned) > max_length:
        raise BadUserInput("{field} may have at most {count} characters", field=field,
                           params={"field": field, "count": max_length})
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
        raise BadUserInput("{field} must be between {low} and {high}", field=field,
                           params={"field": field, "low": low, "high": high})
    return value
