"""The slice of the 访调心裁 chain, as SQL beside the appeals' (`policy.py`). Default deny.

Every read of mediation, arbitration or litigation cases passes its `select()`
through the scope of its kind here; every case step reads its case through the same
scope (`resolvers.disputes.cases.take_case_step`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true

from db import models
from db.models import ConfirmationStatus, Role
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_filter

# The court station reads a mediation once judicial confirmation was asked of it, and
# keeps reading what it decided.
ASKED = (
    ConfirmationStatus.REQUESTED,
    ConfirmationStatus.CONFIRMED,
    ConfirmationStatus.REFUSED,
)


def mediation_filter(caller: Caller | None) -> ColumnElement[bool]:
    """Which mediation cases `caller` may see (DOMAIN.md, "Each partner's slice"): the
    mediator (today's, and each metro tier that tried it), the referring organisation,
    and the court station once judicial confirmation is asked of it.

    Not the hall by default: a mediation's sessions, minutes and terms belong to the
    mediator and to who sent the case; the hall sees the appeal and its timeline.
    """
    if caller is None:
        return false()
    case = models.MediationCase
    org = caller.organisation_id
    return or_(
        case.mediator_org_id == org,
        case.referring_org_id == org,
        (case.confirmation_court_id == org) & case.confirmation_status.in_(ASKED),
        # A metro case keeps the tiers that tried it. An uncorrelated IN, as for the
        # appeals' assignments: it composes with any query, even one over the tiers.
        case.id.in_(
            select(models.MediationTier.case_id).where(models.MediationTier.organisation_id == org)
        ),
    )


def mediation_scope(statement: Select, caller: Caller | None) -> Select:  # type: ignore[type-arg]
    """Keep only the mediation cases in `caller`'s slice."""
    return statement.where(mediation_filter(caller))


def _in_appeal_slice(petition_id: Any, caller: Caller | None) -> ColumnElement[bool]:
    return petition_id.in_(select(models.Petition.id).where(petition_filter(caller)))


def arbitration_filter(caller: Caller | None) -> ColumnElement[bool]:
    """Arbitration cases are stages of their appeal: whoever sees the appeal sees them
    (the arbitration institute is assigned the appeal when the case opens)."""
    if caller is None:
        return false()
    return _in_appeal_slice(models.ArbitrationCase.petition_id, caller)


def arbitration_scope(statement: Select, caller: Caller | None) -> Select:  # type: ignore[type-arg]
    return statement.where(arbitration_filter(caller))


def litigation_filter(caller: Caller | None) -> ColumnElement[bool]:
    """Litigation cases likewise: the appeal's slice (the court station is assigned it)."""
    if caller is None:
        return false()
    return _in_appeal_slice(models.LitigationCase.petition_id, caller)


def litigation_scope(statement: Select, caller: Caller | None) -> Select:  # type: ignore[type-arg]
    return statement.where(litigation_filter(caller))


def dispute_stats_filter(caller: Caller | None) -> ColumnElement[bool]:
    """Which mediation cases `caller`'s figures count: the hall and leaders all of them
    (counts and sums only leave), everyone else their slice."""
    if caller is not None and (caller.is_hall or Role.LEADER in caller.roles):
        return true()
    return mediation_filter(caller)
