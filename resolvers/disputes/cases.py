"""The write unit of a case step (a mediation session, an award, a judgment…).

Shaped like `resolvers.workflow.steps.take_step`: one transaction that reads the case
within the caller's slice (locked on PostgreSQL), checks `expected_version`, lets
`change` check who acts and apply the step with its event on the appeal's timeline,
bumps the case's `version` with a guarded UPDATE, and commits — or changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from db import models
from db.engine import begin_write
from db.models import EventKind, Role, TimeUnit
from resolvers.access.caller import Caller
from resolvers.access.disputes import arbitration_scope, litigation_scope, mediation_scope
from resolvers.deadlines.calendar import deadline
from resolvers.errors import Conflict, Forbidden, NotFound
from resolvers.services import Services

Case = TypeVar("Case", models.MediationCase, models.ArbitrationCase, models.LitigationCase)
Scope = Callable[[Select, Caller | None], Select]  # type: ignore[type-arg]

SCOPES: dict[type, tuple[Scope, str]] = {
    models.MediationCase: (mediation_scope, "mediation case"),
    models.ArbitrationCase: (arbitration_scope, "arbitration case"),
    models.LitigationCase: (litigation_scope, "litigation case"),
}
MEDIATING = frozenset({Role.MEDIATOR, Role.HANDLER, Role.LEADER})
ADJUDICATING = frozenset({Role.HANDLER, Role.LEADER})


@dataclass(frozen=True)
class Actor:
    """Who takes a case's steps: the organisation the case names in `column`, through a
    person with one of `roles` (an integration acts for its organisation)."""

    column: str
    roles: frozenset[Role]
    who: str

    def refusal(self, caller: Caller, case: Any) -> Forbidden | None:
        if getattr(case, self.column) != caller.organisation_id:
            return Forbidden("only {who} may take this step", params={"who": self.who})
        if caller.user_id is not None and not self.roles & caller.roles:
            needed = ", ".join(sorted(r.name for r in self.roles))
            return Forbidden(
                "a staff member needs one of the roles {roles} for this step",
                params={"roles": needed},
            )
        return None

    def acts(self, caller: Caller, case: Any) -> bool:
        """Whether `caller` takes this actor's steps on `case` (the pages offer them)."""
        return self.refusal(caller, case) is None


MEDIATOR = Actor("mediator_org_id", MEDIATING, "the mediating organisation")
CONFIRMING_COURT = Actor("confirmation_court_id", ADJUDICATING, "the court station asked")
INSTITUTE = Actor("arbitration_org_id", ADJUDICATING, "the arbitration institute")
COURT = Actor("court_org_id", ADJUDICATING, "the court")


@dataclass(frozen=True)
class CaseRef:
    """Which case a step acts on, and the version the caller last saw (if any)."""

    id: int
    expected_version: int | None = None


@dataclass
class CaseStep(Generic[Case]):
    """One step in progress on a locked case."""

    session: AsyncSession
    caller: Caller
    services: Services
    now: datetime
    case: Case

    def require(self, actor: Actor) -> None:
        """Refuse unless the caller is `actor` on this case."""
        refused = actor.refusal(self.caller, self.case)
        if refused is not None:
            raise refused

    def event(self, kind: EventKind, data: dict[str, Any]) -> None:
        record_case_event(self.session, self.case.petition_id, kind, self.caller, data, self.now)

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.services.tz).date()

    def deadline_after(
        self, start: datetime, days: int, unit: TimeUnit = TimeUnit.WORKING_DAYS
    ) -> tuple[datetime, bool]:
        due = deadline(start, days, self.services.calendar, self.services.tz, unit)
        return due.due_at, due.provisional


def record_case_event(
    session: AsyncSession,
    petition_id: int,
    kind: EventKind,
    caller: Caller | None,
    data: dict[str, Any],
    now: datetime,
) -> models.PetitionEvent:
    """An event of the chain on its appeal's timeline, in the step's transaction
    (`caller` None: the hub itself acted, e.g. the deadline watcher)."""
    event = models.PetitionEvent(
        petition_id=petition_id,
        kind=kind,
        occurred_at=now,
        actor_user_id=caller.user_id if caller else None,
        actor_client_id=caller.client_id if caller else None,
        organisation_id=caller.organisation_id if caller else None,
        data=data,
    )
    session.add(event)
    return event


async def take_case_step(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    kind: type[Case],
    ref: CaseRef,
    change: Callable[[CaseStep[Case]], Awaitable[None]],
) -> Case:
    """Run `change` on the case `ref` names as one transaction; see the module doc."""
    caller.require_scope("petitions:write")
    scope, name = SCOPES[kind]
    await begin_write(session)
    try:
        statement = (
            scope(select(kind), caller)
            .where(kind.id == ref.id)
            .with_for_update(of=kind)
            .execution_options(populate_existing=True)
        )
        case = (await session.scalars(statement)).one_or_none()
        if case is None:
            raise NotFound("{kind} not found", params={"kind": name})
        seen = case.version
        if ref.expected_version is not None and ref.expected_version != seen:
            raise Conflict(
                "the {kind} is at version {seen}, not {expected}: reload it",
                params={"kind": name, "seen": seen, "expected": ref.expected_version},
                version=seen,
            )
        await change(CaseStep(session, caller, services, now, case))
        await session.flush()
        await bump_version(session, case, seen, now)
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    return case


async def bump_version(session: AsyncSession, case: Any, seen: int, now: datetime) -> None:
    """`version = version + 1` only if nobody changed the case since it was read."""
    kind = type(case)
    result = await session.execute(
        update(kind)
        .where(kind.id == case.id, kind.version == seen)
        .values(version=kind.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("the case changed underneath: reload it")
    set_committed_value(case, "version", seen + 1)
    set_committed_value(case, "updated_at", now)
