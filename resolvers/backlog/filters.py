"""The backlog board's filters, as a leader asks for them: the street the appeal comes
from, the organisation handling it, the case's age, open or closed (销号), my cases.

They narrow a statement already kept to the caller's slice (`backlog_scope` in
`cases.list_backlog_cases`): nothing here widens what anyone sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select

from db import models
from db.models import RegionKind
from resolvers.access.policy import ACTIVE_ASSIGNMENT


@dataclass(frozen=True)
class BacklogFilter:
    """Narrows the board; every given condition holds."""

    street: str | None = None  # a street's region code: appeals from its communities
    organisation: str | None = None  # an organisation code: appeals it is handling
    older_than_days: int | None = None  # cases opened at least this many days ago
    open_only: bool | None = None  # True: open; False: closed (销号)
    leader_id: int | None = None  # the leader in charge


def narrow(statement: Select, where: BacklogFilter, now: datetime) -> Select:  # type: ignore[type-arg]
    """`statement` over backlog cases, narrowed by `where`."""
    case, p = models.BacklogCase, models.Petition
    if where.street:
        communities = select(models.Region.id).where(
            models.Region.parent_id.in_(
                select(models.Region.id).where(
                    models.Region.code == where.street, models.Region.kind == RegionKind.STREET
                )
            )
        )
        statement = statement.where(
            case.petition_id.in_(select(p.id).where(p.community_id.in_(communities)))
        )
    if where.organisation:
        a = models.Assignment
        statement = statement.where(
            case.petition_id.in_(
                select(a.petition_id)
                .join(models.Organisation, models.Organisation.id == a.organisation_id)
                .where(
                    models.Organisation.code == where.organisation,
                    a.status.in_(ACTIVE_ASSIGNMENT),
                )
            )
        )
    if where.older_than_days:
        statement = statement.where(case.opened_at <= now - timedelta(days=where.older_than_days))
    if where.open_only is True:
        statement = statement.where(case.closed_at.is_(None))
    elif where.open_only is False:
        statement = statement.where(case.closed_at.is_not(None))
    if where.leader_id is not None:
        statement = statement.where(case.leader_id == where.leader_id)
    return statement
