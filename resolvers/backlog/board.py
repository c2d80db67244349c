"""Whom the backlog board offers its steps: the rule for showing the forms (the
authority's, asked once, not a second copy), and the leaders a case can be given to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import OrganisationKind, Role
from resolvers.access.authority import Standing, may
from resolvers.access.caller import Caller
from resolvers.workflow.transitions import Action

DISPATCHERS = frozenset({OrganisationKind.APPEALS_HALL, OrganisationKind.STREET_PLATFORM})


def offers_steps(caller: Caller) -> bool:
    """Whether the board offers the caller its forms to open (列为积案) and close (销号)
    cases: a dispatcher over appeals (the hall, a street platform) whose roles may take
    both steps (`authority.may`); each step still checks the appeal itself."""
    dispatcher = frozenset({Standing.DISPATCHER})
    return caller.organisation_kind in DISPATCHERS and all(
        may(caller, action, dispatcher) for action in (Action.MARK_BACKLOG, Action.CLEAR_BACKLOG)
    )


async def leaders(*, session: AsyncSession) -> list[models.StaffUser]:
    """The active staff with the LEADER role: who can be a case's leader in charge."""
    users = await session.scalars(
        select(models.StaffUser)
        .where(models.StaffUser.active.is_(True))
        .order_by(models.StaffUser.username)
    )
    return [u for u in users if Role.LEADER.name in u.roles]


def offers_review(caller: Caller, case: models.BacklogCase) -> bool:
    """Whether the board offers the caller a review of the case: its leader in charge,
    or who may take the board's steps (`review_backlog_case` checks the appeal itself)."""
    return case.closed_at is None and (caller.user_id == case.leader_id or offers_steps(caller))
