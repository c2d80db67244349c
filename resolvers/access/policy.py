"""The access policy: the caller's slice as SQL, in one place. Default deny.

Every read of appeals passes its `select()` through `petition_scope`; every
write asks `visible_petition` (or the scope) first. The filters are SQLAlchemy
expressions, so the same policy serves list queries, counts, nested loaders,
the pages and, later, the compiled read path.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, exists, false, or_, select, true

from db import models
from db.models import AssignmentStatus, OrganisationKind, Role
from resolvers.access.caller import Caller

# Organisations that see every appeal (the district hub).
SEES_ALL = frozenset({OrganisationKind.APPEALS_HALL})
ACTIVE_ASSIGNMENT = (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED)
READ_APPEALS = "petitions:read"


def require_reading_appeals(caller: Caller) -> None:
    """Refuse (`FORBIDDEN`) a caller whose token lacks `petitions:read`.

    Every path that returns an appeal asks this first, the same on each: the
    `petitions` and `petition` queries, federation `_entities`, nested fields
    (`repeatOf`, an event's `petition`, the subscription's events included) and the
    figures. The slice decides *which* appeals; the scope whether any at all.
    """
    caller.require_scope(READ_APPEALS)


def petition_filter(caller: Caller | None, petition: Any = models.Petition) -> ColumnElement[bool]:
    """Which appeals `caller` may see (DOMAIN.md, "Each partner's slice").

    The hall; the receiving organisation; every organisation ever assigned it;
    the street platform over the community concerned. `petition` may be an alias
    of `models.Petition`, for a second appeal in one statement (an earlier appeal).
    """
    if caller is None:
        return false()
    if caller.organisation_kind in SEES_ALL:
        return true()
    conditions: list[ColumnElement[bool]] = [
        petition.received_by_id == caller.organisation_id,
        # IN (uncorrelated subquery), not a correlated EXISTS: the database hashes the
        # organisation's assignments once instead of probing them for every appeal,
        # and a scan over a whole year can still go parallel (bench/RESULTS.md).
        petition.id.in_(
            select(models.Assignment.petition_id).where(
                models.Assignment.organisation_id == caller.organisation_id
            )
        ),
    ]
    if caller.organisation_kind is OrganisationKind.STREET_PLATFORM:
        conditions.append(
            petition.community_id.in_(
                select(models.Region.id).where(models.Region.parent_id == caller.region_id)
            )
        )
    return or_(*conditions)


def slice_key(caller: Caller) -> tuple[object, ...]:
    """What `petition_filter(caller)` depends on: callers with equal keys see the same
    appeals, so one read through either's filter serves both (the event stream's fan-out)."""
    if caller.organisation_kind in SEES_ALL:
        return ("all",)
    return (caller.organisation_id, caller.organisation_kind, caller.region_id)


def petition_scope(statement: Select, caller: Caller | None) -> Select:  # type: ignore[type-arg]
    """Keep only the appeals in `caller`'s slice."""
    return statement.where(petition_filter(caller))


def figures_cover_district(caller: Caller | None) -> bool:
    """Whether `caller`'s figures count the whole district: the hall and leaders (the
    data screen's audience)."""
    return caller is not None and (caller.is_hall or Role.LEADER in caller.roles)


def stats_filter(caller: Caller | None) -> ColumnElement[bool]:
    """Which appeals `caller`'s figures count: everyone their own slice; the hall and
    leaders the whole district. Figures are counts: no appeal, petitioner or detail
    leaves through them."""
    if figures_cover_district(caller):
        return true()
    return petition_filter(caller)


def personal_data_filter(caller: Caller) -> ColumnElement[bool]:
    """Appeals whose petitioner's ID number and phone `caller` may read unmasked:
    the hall, and the organisations currently handling the appeal (the receiving
    organisation until it is assigned, then the active assignees)."""
    if caller.organisation_kind in SEES_ALL:
        return true()
    petition = models.Petition
    active = exists().where(
        models.Assignment.petition_id == petition.id,
        models.Assignment.status.in_(ACTIVE_ASSIGNMENT),
    )
    return or_(
        exists().where(
            models.Assignment.petition_id == petition.id,
            models.Assignment.organisation_id == caller.organisation_id,
            models.Assignment.status.in_(ACTIVE_ASSIGNMENT),
        ),
        (petition.received_by_id == caller.organisation_id) & ~active,
    )


def mask_id_number(value: str | None) -> str | None:
    """`440310199001011234` → `4403**********1234`."""
    if not value:
        return value
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    """`13812345678` → `138****5678`."""
    if not value:
        return value
    digits = value.strip()
    return digits[:3] + "*" * max(len(digits) - 7, 0) + digits[-4:]
