"""The credit policy: who reads credit records, as SQL, in one place. Default deny.

DOMAIN.md: "credit record — public: every partner; restricted: the credit centre and
the recording organisation". A proposal is not yet a record: until the centre
confirms it, it is the centre's and the proposing organisation's (the one whose
outcome raised it, which is its recording organisation), public or not; so is a
rejected one. So:

- the credit centre reads every record;
- the recording organisation reads its own records, whatever their state;
- every other partner reads the public records in effect or repaired (CONFIRMED,
  REPAIRED) — a repair keeps its history.

Tokens need `credit:read` to read any (`require_reading_credit`); every read of
credit records passes its `select()` through `credit_scope`, and
`tests/test_policy_guard.py` fails a module that reads them without it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, true

from db import models
from db.models import CreditStatus, OrganisationKind, Role
from resolvers.access.caller import Caller
from resolvers.errors import Forbidden

CREDIT_CENTRES = frozenset({OrganisationKind.CREDIT_CENTRE})
CREDIT_ROLES = frozenset({Role.CREDIT_OFFICER, Role.LEADER})
READ_CREDIT = "credit:read"
WRITE_CREDIT = "credit:write"
IN_EFFECT_OR_REPAIRED = (CreditStatus.CONFIRMED, CreditStatus.REPAIRED)


def require_reading_credit(caller: Caller) -> None:
    """Refuse (`FORBIDDEN`) a caller whose token lacks `credit:read`: every path that
    returns a credit record asks this first (lists, nested, `_entities`, figures)."""
    caller.require_scope(READ_CREDIT)


def is_credit_centre(caller: Caller | None) -> bool:
    return caller is not None and caller.organisation_kind in CREDIT_CENTRES


def credit_filter(caller: Caller | None, record: Any = models.CreditRecord) -> ColumnElement[bool]:
    """Which credit records `caller` may read (see the module doc)."""
    if caller is None:
        return false()
    if is_credit_centre(caller):
        return true()
    return or_(
        record.organisation_id == caller.organisation_id,
        and_(record.public.is_(True), record.status.in_(IN_EFFECT_OR_REPAIRED)),
    )


def credit_scope(statement: Select, caller: Caller | None) -> Select:  # type: ignore[type-arg]
    """Keep only the credit records `caller` may read."""
    return statement.where(credit_filter(caller))


def require_credit_officer(caller: Caller) -> None:
    """Refuse a decision on credit (confirm, reject, repair) to anyone but the credit
    centre's officers and leaders (or its tokens with `credit:write`)."""
    caller.require_scope(WRITE_CREDIT)
    if not is_credit_centre(caller):
        raise Forbidden("only the public credit centre decides on credit records")
    if caller.user_id is not None and not CREDIT_ROLES & caller.roles:
        raise Forbidden(
            "a staff member needs one of the roles {roles} for this step",
            params={"roles": ", ".join(sorted(r.name for r in CREDIT_ROLES))},
        )
