"""The care policy: who reads psychological care data, as SQL, in one place. Default deny.

DOMAIN.md: "psychological notes and scores: the psychological care centre only; risk
level and alerts: the organisations handling the person's appeals". So:

- the care records themselves (screenings with their scores, sessions and their notes,
  plans, crisis records) are the care centre's, read with the `psych:read` scope —
  `care_filter` is `false` for everyone else, the hall included;
- a person's risk level travels with their appeals: whoever sees one of the person's
  appeals (`policy.petition_filter`) sees the level, and the alerts are events on those
  appeals' timelines — never with a score or a note (`resolvers/care/alerts.py`);
- a backlog case is seen with its appeal.

Every read of care records passes its `select()` through `care_scope`;
`tests/test_policy_guard.py` fails a module that reads them without it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, select, true

from db import models
from db.models import OrganisationKind, Role
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_filter
from resolvers.errors import Forbidden

CARE_CENTRES = frozenset({OrganisationKind.PSYCH_CARE_CENTRE})
CARE_ROLES = frozenset({Role.COUNSELLOR, Role.LEADER})


def reads_care_records(caller: Caller | None) -> bool:
    """The care centre, with the `psych:read` scope (a person: a counsellor or a leader)."""
    return (
        caller is not None
        and caller.organisation_kind in CARE_CENTRES
        and "psych:read" in caller.scopes
        and (caller.user_id is None or bool(CARE_ROLES & caller.roles))
    )


def care_filter(caller: Caller | None) -> ColumnElement[bool]:
    """Which care records `caller` may read: all of them for the care centre, none else.

    A constant, not a join: the centre serves the whole district, and a person
    referred once stays in its care whatever becomes of the appeal.
    """
    return true() if reads_care_records(caller) else false()


def care_scope(statement: Select, caller: Caller | None) -> Select:  # type: ignore[type-arg]
    """Keep only the care records `caller` may read."""
    return statement.where(care_filter(caller))


def records_care(caller: Caller | None) -> bool:
    """Who records care (screenings, sessions, plans, crises): the care centre's readers
    who may also write (the pages offer their forms only to them)."""
    return reads_care_records(caller) and caller is not None and "petitions:write" in caller.scopes


def require_care_centre(caller: Caller) -> None:
    """Refuse a care write to anyone but the care centre's counsellors (or its tokens)."""
    caller.require_scope("petitions:write")
    if not records_care(caller):
        raise Forbidden("only the psychological care centre's counsellors record care")


def backlog_filter(caller: Caller | None) -> ColumnElement[bool]:
    """Which backlog cases `caller` sees: those whose appeal it sees."""
    return models.BacklogCase.petition_id.in_(
        select(models.Petition.id).where(petition_filter(caller))
    )


def backlog_scope(statement: Select, caller: Caller | None) -> Select:  # type: ignore[type-arg]
    """Keep only the backlog cases in `caller`'s slice."""
    return statement.where(backlog_filter(caller))
