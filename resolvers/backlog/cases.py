"""Backlog cases (信访积案): opened on an appeal with a leader in charge (包案领导) and a
plan, reviewed on a cadence, supervised by the hall (督办) against a deadline of its
own, and closed with an assessment once settled (销号).

Each step is a step of the case's appeal (`take_step`: its slice, lock, authority,
event and version), and checks the case's own `version` when the caller gives one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import EventKind, PetitionStatus, Role
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.access.care_policy import backlog_scope
from resolvers.backlog.filters import BacklogFilter, narrow
from resolvers.errors import BadUserInput, Conflict, Forbidden, not_found
from resolvers.pagination import decode_cursor
from resolvers.services import Services
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action

MAX_TEXT = 4000


@dataclass(frozen=True)
class CaseRef:
    """Which backlog case a step acts on, and the case version the caller last saw."""

    id: int
    expected_version: int | None = None


async def open_backlog_case(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    leader_username: str,
    plan: str,
    review_every_days: int,
) -> models.BacklogCase:
    """列为积案: open a backlog case on the appeal, with its leader in charge, plan and
    review cadence (the hall or the street platform over it)."""
    plan = validation.text(plan, "plan", max_length=MAX_TEXT)
    cadence = validation.whole_number(review_every_days, "reviewEveryDays", low=1, high=180)
    leader = await session.scalar(
        select(models.StaffUser).where(
            models.StaffUser.username == leader_username.strip(), models.StaffUser.active.is_(True)
        )
    )
    if leader is None or Role.LEADER.name not in leader.roles:
        raise BadUserInput(
            "{field} must name an active leader",
            field="leaderUsername",
            params={"field": "leaderUsername"},
        )
    opened: list[models.BacklogCase] = []

    async def change(step: Step) -> None:
        step.move(Action.MARK_BACKLOG)
        existing = await step.session.scalar(
            select(models.BacklogCase.id).where(models.BacklogCase.petition_id == step.petition.id)
        )
        if existing is not None:
            raise BadUserInput("the appeal is a backlog case already")
        case = models.BacklogCase(
            petition_id=step.petition.id,
            leader_id=leader.id,
            plan=plan,
            review_every_days=cadence,
            opened_at=now,
            next_review_due=step.local_day(now) + timedelta(days=cadence),
            reviews=[],
        )
        step.session.add(case)
        await step.session.flush()
        step.petition.backlog = True
        step.petition.backlog_owner = leader.display_name[:64]
        step.event(
            EventKind.BACKLOG_MARKED,
            {"caseId": case.id, "owner": leader.display_name, "reviewEveryDays": cadence},
        )
        opened.append(case)

    await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )
    return opened[0]


async def _case_step(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    change: Callable[[Step, models.BacklogCase], Awaitable[None]],
) -> models.BacklogCase:
    """Run `change` on the case (in the caller's slice) within its appeal's step."""
    petition_id = await session.scalar(
        backlog_scope(select(models.BacklogCase.petition_id), caller).where(
            models.BacklogCase.id == ref.id
        )
    )
    await session.rollback()  # the step opens its own write transaction
    if petition_id is None:
        raise not_found("backlog case")
    cases: list[models.BacklogCase] = []

    async def on_appeal(step: Step) -> None:
        case = (
            await step.session.scalars(
                select(models.BacklogCase)
                .where(models.BacklogCase.id == ref.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).one()
        if ref.expected_version is not None and ref.expected_version != case.version:
            raise Conflict(
                "the backlog case is at version {seen}, not {expected}: reload it",
                params={"seen": case.version, "expected": ref.expected_version},
                version=case.version,
            )
        if case.closed_at is not None:
            raise BadUserInput("the backlog case is closed")
        await change(step, case)
        case.version += 1
        cases.append(case)

    await take_step(
        session=session,
        caller=caller,
        services=services,
        now=now,
        ref=PetitionRef(id=petition_id),
        change=on_appeal,
    )
    return cases[0]


def _at(value: datetime | None, now: datetime, case: models.BacklogCase) -> datetime:
    if value is None:
        return now
    if value.tzinfo is None:
        raise BadUserInput(
            "{field} needs a time zone offset", field="reviewedAt", params={"field": "reviewedAt"}
        )
    if value > now or value < case.opened_at:
        raise BadUserInput(
            "{field} must lie between the opening and now",
            field="reviewedAt",
            params={"field": "reviewedAt"},
        )
    return value


async def review_backlog_case(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    note: str,
    reviewed_at: datetime | None = None,
) -> models.BacklogCase:
    """A review by the leader in charge (or the hall); the next is due a cadence later.
    A review on or before the day it was due is on time."""
    note = validation.text(note, "note", max_length=MAX_TEXT)

    async def change(step: Step, case: models.BacklogCase) -> None:
        if caller.user_id != case.leader_id:
            step.authorise(Action.MARK_BACKLOG)
        at = _at(reviewed_at, now, case)
        day = step.local_day(at)
        on_time = day <= case.next_review_due
        case.reviews = [
            *case.reviews,
            {
                "at": at.isoformat(),
                "note": note,
                "onTime": on_time,
                "due": case.next_review_due.isoformat(),
                "byUserId": caller.user_id,
                "organisationId": caller.organisation_id,
            },
        ]
        case.next_review_due = day + timedelta(days=case.review_every_days)
        step.event(EventKind.BACKLOG_REVIEWED, {"caseId": case.id, "onTime": on_time})

    return await _case_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def supervise_backlog_case(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    instructions: str,
    due: date,
) -> models.BacklogCase:
    """督办: the hall supervises the case, with instructions and a deadline of its own."""
    instructions = validation.text(instructions, "instructions", max_length=MAX_TEXT)

    async def change(step: Step, case: models.BacklogCase) -> None:
        step.authorise(Action.MARK_BACKLOG)
        if not caller.is_hall:
            raise Forbidden("only the appeals hall supervises backlog cases")
        if due <= step.local_day(now):
            raise BadUserInput("{field} must be a later day", field="due", params={"field": "due"})
        case.supervision, case.supervision_due = instructions, due
        step.event(EventKind.BACKLOG_SUPERVISED, {"caseId": case.id, "due": due.isoformat()})

    return await _case_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


def closable(petition: models.Petition) -> bool:
    """A case closes (销号) once the petitioner's feedback on the answer is recorded."""
    return petition.status is PetitionStatus.FEEDBACK


async def close_backlog_case(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: CaseRef,
    assessment: str,
) -> models.BacklogCase:
    """销号: close a settled case with its assessment, once the petitioner's feedback on
    the answer is recorded."""
    assessment = validation.text(assessment, "assessment", max_length=MAX_TEXT)

    async def change(step: Step, case: models.BacklogCase) -> None:
        if not closable(step.petition):
            raise BadUserInput("a backlog case closes after the feedback on its answer")
        step.move(Action.CLEAR_BACKLOG)
        case.closed_at, case.assessment = now, assessment
        step.petition.backlog = False
        step.event(EventKind.BACKLOG_CLEARED, {"caseId": case.id})

    return await _case_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


@dataclass(frozen=True)
class BacklogStanding:
    """What the board shows of a case beside its fields (computed for a day)."""

    age_days: int
    review_overdue: bool
    supervision_overdue: bool
    reviewed_on_time: int


def standing(case: models.BacklogCase, today: date, opened_day: date) -> BacklogStanding:
    """A case's age and what is overdue on `today`. Pure."""
    open_ = case.closed_at is None
    return BacklogStanding(
        age_days=(today - opened_day).days,
        review_overdue=open_ and case.next_review_due < today,
        supervision_overdue=open_
        and case.supervision_due is not None
        and case.supervision_due < today,
        reviewed_on_time=sum(1 for r in case.reviews if r.get("onTime")),
    )


async def list_backlog_cases(
    *,
    session: AsyncSession,
    caller: Caller,
    first: int,
    after: str | None,
    open_only: bool | None = None,
    where: BacklogFilter | None = None,
    now: datetime | None = None,
) -> tuple[list[models.BacklogCase], bool]:
    """Backlog cases in the caller's slice, oldest opened first (keyset on id); `where`
    narrows them further (the board's filters; ages counted back from `now`)."""
    statement = _cases(caller, open_only)
    if where is not None:
        assert now is not None, "ages need the time they are counted back from"
        statement = narrow(statement, where, now)
    if after is not None:
        statement = statement.where(models.BacklogCase.id > _cursor(after))
    rows = list(
        (await session.scalars(statement.order_by(models.BacklogCase.id).limit(first + 1))).all()
    )
    return rows[:first], len(rows) > first


async def count_backlog_cases(
    *, session: AsyncSession, caller: Caller, open_only: bool | None = None
) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(_cases(caller, open_only).subquery()))
        or 0
    )


def _cases(caller: Caller, open_only: bool | None) -> Select:  # type: ignore[type-arg]
    statement = backlog_scope(select(models.BacklogCase), caller)
    if open_only is True:
        statement = statement.where(models.BacklogCase.closed_at.is_(None))
    elif open_only is False:
        statement = statement.where(models.BacklogCase.closed_at.is_not(None))
    return statement


def _cursor(after: str) -> int:
    parts = decode_cursor(after)
    if len(parts) != 1 or not parts[0].isdigit():
        raise BadUserInput("not a cursor this API gave out", field="after")
    return int(parts[0])


async def backlog_case_of(
    *, session: AsyncSession, caller: Caller, petition_id: int
) -> models.BacklogCase | None:
    """The appeal's backlog case, if it has one and the caller sees it."""
    return await session.scalar(
        backlog_scope(select(models.BacklogCase), caller).where(
            models.BacklogCase.petition_id == petition_id
        )
    )


async def backlog_case_by_id(
    *, session: AsyncSession, caller: Caller, ident: int
) -> models.BacklogCase | None:
    """One backlog case, None when absent or outside the caller's slice."""
    return await session.scalar(
        backlog_scope(select(models.BacklogCase), caller).where(models.BacklogCase.id == ident)
    )
