"""Around the staff worklist (whose list read is `resolvers.appeals.reading.list_petitions`):
its views of the day and their counts, the view a person opens on; the petitioner's
earlier appeals at intake. (The steps a caller may take on one appeal:
`resolvers.workflow.readiness.offered`.)"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import PetitionStatus, Role
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_scope
from resolvers.appeals.reading import PetitionFilter, counts_within
from resolvers.services import Services


async def earlier_appeals(
    *, session: AsyncSession, caller: Caller, id_hash: str, limit: int = 10
) -> list[models.Petition]:
    """The appeals of the petitioner with this keyed ID hash, newest first, in the slice."""
    statement = (
        petition_scope(select(models.Petition), caller)
        .join(models.Petitioner, models.Petitioner.id == models.Petition.petitioner_id)
        .where(models.Petitioner.id_hash == id_hash)
        .order_by(models.Petition.received_at.desc(), models.Petition.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(statement)).all())


class View(enum.Enum):
    """The worklist's views of the day (the value is the `view` of the page's URL)."""

    DISPATCH = "dispatch"  # 待分办: waiting to be accepted or (re)assigned
    SIGN = "sign"  # 待签收: an assignment to the caller's organisation waits to be signed
    HANDLING = "handling"  # 办理中: signed for and being worked on
    DUE_SOON = "soon"  # 即将到期 (resolvers/deadlines/standing.py)
    OVERDUE = "overdue"  # 已超期 (the same clock)
    FEEDBACK = "feedback"  # 待回访: answered, the return visit not yet recorded
    MINE = "mine"  # 我经办的: the person wrote one of the appeal's events
    ALL = "all"  # everything the slice holds, history included


# Statuses of an appeal nobody has yet been given to (or that came back).
AWAITING_DISPATCH = [
    PetitionStatus.RECEIVED,
    PetitionStatus.ACCEPTED,
    PetitionStatus.RETURNED,
    PetitionStatus.REOPENED,
]
# Statuses of an appeal an organisation has signed for and is working on.
IN_HAND = [PetitionStatus.IN_PROGRESS, PetitionStatus.EXTENDED, PetitionStatus.SUSPENDED]
# The roles that sign for assignments and work on them.
HANDLING_ROLES = frozenset({Role.HANDLER, Role.MEDIATOR, Role.COUNSELLOR, Role.CREDIT_OFFICER})


def view_filter(view: View, caller: Caller) -> PetitionFilter:
    """What a view narrows the slice to, for this caller."""
    match view:
        case View.DISPATCH:
            return PetitionFilter(statuses=AWAITING_DISPATCH)
        case View.SIGN:
            return PetitionFilter(awaiting_signature_by=caller.organisation_id)
        case View.HANDLING:
            return PetitionFilter(statuses=IN_HAND)
        case View.DUE_SOON:
            return PetitionFilter(due_soon=True)
        case View.OVERDUE:
            return PetitionFilter(overdue=True)
        case View.FEEDBACK:
            return PetitionFilter(statuses=[PetitionStatus.ANSWERED])
        case View.MINE:
            return PetitionFilter(acted_by=caller.user_id or 0)
    return PetitionFilter()


def views_for(caller: Caller) -> list[View]:
    """The views offered to the caller: 待分办 to dispatchers, the rest to everyone."""
    offered = [v for v in View if v is not View.DISPATCH or Role.DISPATCHER in caller.roles]
    return [v for v in offered if v is not View.MINE or caller.user_id is not None]


def opening_view(caller: Caller, counts: dict[View, int]) -> View:
    """The view a person's worklist opens on: a leader's 已超期, a dispatcher's 待分办,
    a handler's 待签收 when something waits to be signed (else 办理中), else all."""
    if Role.LEADER in caller.roles:
        return View.OVERDUE
    if Role.DISPATCHER in caller.roles:
        return View.DISPATCH
    if caller.roles & HANDLING_ROLES:
        return View.SIGN if counts.get(View.SIGN) else View.HANDLING
    return View.ALL


async def count_views(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    where: PetitionFilter,
    views: list[View],
    now: datetime,
) -> dict[View, int]:
    """How many appeals of the slice match `where` in each view: one statement of one
    count per view (`counts_within`: each may use its index, and 全部 unfiltered is the
    slice's kept count; a text search is evaluated once for all of them)."""
    withins = [view_filter(view, caller) for view in views]
    row = (await session.execute(counts_within(caller, where, withins, now, services))).one()
    return {view: int(n) for view, n in zip(views, row, strict=True)}
