"""Assignments (交办/转办): dispatch to a lead or assisting organisation, sign for it or
send it back, and escalation to mediation, arbitration or litigation."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import AssignmentRole, AssignmentStatus, DeadlineStart, Escalation, EventKind
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.deadlines.limits import handling_deadline
from resolvers.errors import BadUserInput
from resolvers.services import Services
from resolvers.workflow import readiness
from resolvers.workflow.preconditions import own_assignment
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action

MAX_REASON = 1000
MAX_DUE = timedelta(days=366)


async def _organisation(step: Step, code: str) -> models.Organisation:
    organisation = (
        await step.session.scalars(
            select(models.Organisation).where(
                models.Organisation.code == code, models.Organisation.active.is_(True)
            )
        )
    ).one_or_none()
    if organisation is None:
        raise BadUserInput("no active organisation with that code", field="organisationCode")
    return organisation


def _new_assignment(
    step: Step,
    organisation: models.Organisation,
    role: AssignmentRole,
    due_at: datetime | None,
    instructions: str,
) -> models.Assignment:
    validation.moment(due_at, "dueAt")
    p = step.petition
    if due_at is None:
        due_at, provisional = step.deadline_after(step.now, p.time_limit_days, p.time_limit_unit)
    else:
        provisional = False
    assignment = models.Assignment(
        petition_id=step.petition.id,
        organisation_id=organisation.id,
        role=role,
        status=AssignmentStatus.PENDING,
        assigned_at=step.now,
        assigned_by_id=step.caller.organisation_id,
        due_at=due_at,
        deadline_provisional=provisional,
        instructions=instructions,
    )
    step.session.add(assignment)
    step.assignments.append(assignment)
    return assignment


def _start_handling_clock(step: Step, role: AssignmentRole) -> None:
    """A time limit counted from assignment (交办之日) starts with the first lead."""
    p = step.petition
    if (
        role is AssignmentRole.LEAD
        and p.time_limit_from is DeadlineStart.ASSIGNMENT
        and p.handling_starts_at is None
    ):
        p.handling_starts_at = step.now
        due = handling_deadline(p, step.services.calendar, step.services.tz)
        p.due_at, p.deadline_provisional = due.due_at, due.provisional


def check_due(due_at: datetime | None, now: datetime) -> None:
    if due_at is None:
        return
    if due_at.tzinfo is None:
        raise BadUserInput("dueAt needs a time zone offset", field="dueAt")
    if not now < due_at <= now + MAX_DUE:
        raise BadUserInput("dueAt must lie in the coming year", field="dueAt")


async def assign_petition(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    organisation_code: str,
    role: AssignmentRole,
    due_at: datetime | None = None,
    instructions: str | None = None,
) -> models.Petition:
    """交办: give the appeal to an organisation as lead (主办) or assisting (协办).

    Without `due_at` the assignment is due the category's time limit in working
    days from now. One lead at a time: a returned lead makes room for the next.
    """
    check_due(due_at, now)
    note = validation.text(instructions, "instructions", required=False, max_length=MAX_REASON)

    async def change(step: Step) -> None:
        await assign(step, organisation_code, role, due_at, note)

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def assign(
    step: Step,
    organisation_code: str,
    role: AssignmentRole,
    due_at: datetime | None,
    instructions: str,
) -> models.Assignment:
    """The assignment itself, inside a step (`assign_petition`, dispatch, intake)."""
    step.move(Action.ASSIGN_LEAD if role is AssignmentRole.LEAD else Action.ASSIGN_ASSISTING)
    organisation = await _organisation(step, organisation_code)
    if any(a.organisation_id == organisation.id for a in step.active()):
        raise BadUserInput(
            "that organisation already has an active assignment", field="organisationCode"
        )
    assignment = _new_assignment(step, organisation, role, due_at, instructions)
    _start_handling_clock(step, role)
    await step.session.flush()
    step.event(
        EventKind.ASSIGNED,
        {
            "organisation": organisation.code,
            "role": role.name,
            "dueAt": assignment.due_at.isoformat(),
        },
        assignment,
    )
    return assignment


async def accept_assignment(
    *, session: AsyncSession, caller: Caller, services: Services, now: datetime, ref: PetitionRef
) -> models.Petition:
    """签收: the caller's organisation accepts its pending assignment."""

    async def change(step: Step) -> None:
        step.move(Action.ACCEPT_ASSIGNMENT)
        assignment = own_assignment(step)
        assert assignment is not None  # the precondition: a pending one of its own
        assignment.status = AssignmentStatus.ACCEPTED
        assignment.accepted_at = step.now
        step.event(EventKind.ASSIGNMENT_ACCEPTED, {"role": assignment.role.name}, assignment)

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def return_assignment(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    reason: str,
) -> models.Petition:
    """退回: the caller's organisation sends its assignment back, saying why.

    A returned lead leaves the appeal RETURNED, to be dispatched again.
    """
    reason = validation.text(reason, "reason", max_length=MAX_REASON)

    async def change(step: Step) -> None:
        assignment = own_assignment(step)
        lead = assignment is None or assignment.role is AssignmentRole.LEAD
        step.move(Action.RETURN_LEAD if lead else Action.RETURN_ASSISTING)
        assert assignment is not None  # authorise refused a caller without one
        assignment.status = AssignmentStatus.RETURNED
        assignment.returned_at = step.now
        assignment.return_reason = reason
        step.event(
            EventKind.ASSIGNMENT_RETURNED,
            {"role": assignment.role.name, "reason": reason},
            assignment,
        )

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def escalate_petition(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    to: Escalation,
    organisation_code: str,
    reason: str | None = None,
) -> models.Petition:
    """转入调解/仲裁/诉讼: hand the appeal on to a mediator, the arbitration court or the
    court station, which becomes its lead; current assignments are withdrawn. Who may, and
    to whom, is `readiness.escalation_targets` (the chain's order; not the mediator of the
    appeal, not to its lead)."""
    why = validation.text(reason, "reason", required=False, max_length=MAX_REASON)

    async def change(step: Step) -> None:
        await readiness.take(step, Action.ESCALATE)
        organisation = await readiness.escalation_target(step, to, organisation_code)
        for current in step.active():
            current.status = AssignmentStatus.WITHDRAWN
        assignment = _new_assignment(step, organisation, AssignmentRole.LEAD, None, why)
        step.petition.escalated_to = to
        step.petition.escalated_to_id = organisation.id
        await session.flush()
        step.event(
            EventKind.ESCALATED,
            {"to": to.name, "organisation": organisation.code, "reason": why},
            assignment,
        )

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )
