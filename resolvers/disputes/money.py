"""Amounts of money: yuan as decimals outside, fen (分) as integers inside."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from resolvers.errors import BadUserInput

# Ten billion yuan: more than any wage claim; less than a BIGINT of fen can hold.
MAX_YUAN = Decimal("10000000000")


def to_fen(value: Decimal | str | None, field: str, *, positive: bool = False) -> int | None:
    """`Decimal("12345.67")` → 1234567; None stays None. At most two decimals."""
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise BadUserInput("not an amount of money", field=field) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise BadUserInput("an amount has at most two decimals (fen)", field=field)
    if positive and not 0 < amount <= MAX_YUAN:
        raise BadUserInput(
            "{field} must be more than 0 and at most {most} yuan",
            field=field,
            params={"field": field, "most": MAX_YUAN},
        )
    if not 0 <= amount <= MAX_YUAN:
        raise BadUserInput(
            "{field} must be at least 0 and at most {most} yuan",
            field=field,
            params={"field": field, "most": MAX_YUAN},
        )
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def to_yuan(fen: int | None) -> Decimal | None:
    """1234567 → `Decimal("12345.67")`."""
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))
