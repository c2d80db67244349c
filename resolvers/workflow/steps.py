"""The appeal's workflow: the write unit every step runs in.

Every step runs through `take_step`: it opens the write transaction, loads the
appeal within the caller's slice (locked on PostgreSQL), checks
`expected_version`, asks `resolvers.access.authority` whether the caller may act and
`resolvers.workflow.transitions` where the step leads, applies the change with its event,
bumps `version` with a guarded UPDATE, and commits — or changes nothing.

The steps live beside this module: triage (`triage.py`: acceptance,
classification, notes, backlog), assignments (`assignments.py`, with escalation),
the clock (`suspension.py`: suspension, extension) and the outcome (`outcome.py`:
answer, feedback, closure, reopening). Whether a step can be taken now is one rule the
step and the page both ask: `preconditions.py` (and `readiness.py` for what needs the
database).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from db import models
from db.engine import begin_write
from db.models import AssignmentRole, EventKind, OrganisationKind, TimeUnit
from resolvers.access.authority import Standing, authorise
from resolvers.access.caller import Caller
from resolvers.access.policy import ACTIVE_ASSIGNMENT, petition_scope
from resolvers.deadlines.calendar import deadline
from resolvers.errors import BadUserInput, Conflict, not_found
from resolvers.events.timeline import record_event
from resolvers.services import Services
from resolvers.workflow.preconditions import refusal
from resolvers.workflow.transitions import Action, next_status

# Steps with a precondition read from the database (`resolvers.workflow.readiness`).
LATER_CHECKED = frozenset(
    {
        Action.REQUEST_EXTENSION,
        Action.ESCALATE,
        Action.OPEN_MEDIATION,
        Action.OPEN_ARBITRATION,
        Action.OPEN_LITIGATION,
    }
)

MAX_NOTE = 2000

log = logging.getLogger("petition_hub.workflow")


@dataclass(frozen=True)
class PetitionRef:
    """Which appeal a step acts on, and the version the caller last saw (if any)."""

    id: int | None = None
    number: str | None = None
    expected_version: int | None = None


@dataclass
class Step:
    """One step in progress: the locked appeal and what the step needs to change it."""

    session: AsyncSession
    caller: Caller
    services: Services
    now: datetime
    petition: models.Petition
    assignments: list[models.Assignment]
    standing: frozenset[Standing] = field(default_factory=frozenset)
    # What `readiness` read from the database for this step (read once per step).
    facts: dict[str, Any] = field(default_factory=dict)

    def authorise(self, action: Action) -> None:
        authorise(self.caller, action, self.standing)

    def move(self, action: Action) -> None:
        """Refuse `action` unless it may be taken now (`preconditions.refusal`: the rule
        the pages ask too), and move the appeal where the state machine says."""
        assert action not in LATER_CHECKED, "take it with readiness.take"
        refused = refusal(self, action)
        if refused is not None:
            raise refused
        self.advance(action)

    def advance(self, action: Action) -> None:
        """Move the appeal where the state machine says (the step was found ready)."""
        self.petition.status = next_status(
            self.petition.status, action, previous=self.petition.suspended_from
        )

    def event(
        self,
        kind: EventKind,
        data: dict[str, Any] | None = None,
        assignment: models.Assignment | None = None,
    ) -> None:
        record_event(
            self.session,
            petition=self.petition,
            kind=kind,
            caller=self.caller,
            data=data,
            assignment=assignment,
            occurred_at=self.now,
        )

    def active(self, role: AssignmentRole | None = None) -> list[models.Assignment]:
        """Assignments pending or accepted, optionally of one role."""
        return [
            a
            for a in self.assignments
            if a.status in ACTIVE_ASSIGNMENT and (role is None or a.role is role)
        ]

    def deadline_after(
        self, start: datetime, days: int, unit: TimeUnit = TimeUnit.WORKING_DAYS
    ) -> tuple[datetime, bool]:
        due = deadline(start, days, self.services.calendar, self.services.tz, unit)
        return due.due_at, due.provisional

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.services.tz).date()


async def take_step(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    change: Callable[[Step], Awaitable[None]],
) -> models.Petition:
    """Run `change` on the appeal `ref` names as one transaction; see the module doc."""
    caller.require_scope("petitions:write")
    await begin_write(session)
    try:
        petition = await _locked_petition(session, caller, ref)
        seen = petition.version
        if ref.expected_version is not None and ref.expected_version != seen:
            raise Conflict(
                "the appeal is at version {seen}, not {expected}: reload it",
                params={"seen": seen, "expected": ref.expected_version},
                version=seen,
            )
        assignments = list(
            await session.scalars(
                select(models.Assignment)
                .where(models.Assignment.petition_id == petition.id)
                .order_by(models.Assignment.assigned_at, models.Assignment.id)
            )
        )
        step = Step(session, caller, services, now, petition, assignments)
        step.standing = await caller_standing(session, caller, petition, assignments)
        await change(step)
        kinds = [e.kind.name for e in session.new if isinstance(e, models.PetitionEvent)]
        await session.flush()
        await _bump_version(session, petition, seen, now)
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    # Ids and codes only: never a name, a number or a note's text.
    log.info(
        "workflow step",
        extra={
            "petitionId": petition.id,
            "version": petition.version,
            "events": kinds,
            "organisation": caller.organisation_code,
            "userId": caller.user_id,
            "clientId": caller.client_id,
        },
    )
    return petition


async def _locked_petition(
    session: AsyncSession, caller: Caller, ref: PetitionRef
) -> models.Petition:
    """The appeal within the caller's slice, else the same NOT_FOUND as for no appeal.

    On PostgreSQL the row is locked until commit (SQLite's BEGIN IMMEDIATE has
    already made this transaction the only writer), so concurrent steps queue up
    instead of reading the same version.
    """
    statement = petition_scope(select(models.Petition), caller)
    if ref.id is not None:
        statement = statement.where(models.Petition.id == ref.id)
    if ref.number is not None:
        statement = statement.where(models.Petition.number == ref.number)
    if ref.id is None and ref.number is None:
        raise BadUserInput("give the appeal's id or number", field="id")
    statement = statement.with_for_update(of=models.Petition).execution_options(
        populate_existing=True
    )
    petition = (await session.scalars(statement)).one_or_none()
    if petition is None:
        raise not_found("petition")
    return petition


async def caller_standing(
    session: AsyncSession,
    caller: Caller,
    petition: models.Petition,
    assignments: list[models.Assignment],
) -> frozenset[Standing]:
    """How the caller's organisation stands to the appeal (who it is to the appeal)."""
    community = None
    if caller.organisation_kind is OrganisationKind.STREET_PLATFORM and petition.community_id:
        community = await session.get(models.Region, petition.community_id)
    return standing_of(caller, petition, assignments, community)


def standing_of(
    caller: Caller,
    petition: models.Petition,
    assignments: list[models.Assignment],
    community: models.Region | None,
) -> frozenset[Standing]:
    """`caller_standing` given the appeal's community (read already, e.g. for a batch)."""
    standing = {Standing.MEMBER}
    if caller.is_hall:
        standing |= {Standing.HALL, Standing.DISPATCHER}
    elif caller.organisation_kind is OrganisationKind.STREET_PLATFORM and community is not None:
        if community.id == petition.community_id and community.parent_id == caller.region_id:
            standing.add(Standing.DISPATCHER)
    if petition.received_by_id == caller.organisation_id:
        standing.add(Standing.RECEIVER)
    for assignment in assignments:
        if (
            assignment.organisation_id == caller.organisation_id
            and assignment.status in ACTIVE_ASSIGNMENT
        ):
            standing.add(Standing.ASSIGNEE)
            if assignment.role is AssignmentRole.LEAD:
                standing.add(Standing.LEAD)
    return frozenset(standing)


async def _bump_version(
    session: AsyncSession, petition: models.Petition, seen: int, now: datetime
) -> None:
    """`version = version + 1` only if nobody changed the appeal since it was read."""
    result = await session.execute(
        update(models.Petition)
        .where(models.Petition.id == petition.id, models.Petition.version == seen)
        .values(version=models.Petition.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("the appeal changed underneath: reload it")
    set_committed_value(petition, "version", seen + 1)
    set_committed_value(petition, "updated_at", now)
