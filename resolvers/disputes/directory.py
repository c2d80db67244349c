"""Look-ups the chain's steps share: organisations by code, stage time limits, hand-over."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import (
    AssignmentRole,
    AssignmentStatus,
    DeadlineStart,
    Escalation,
    OrganisationKind,
    PolicyStage,
    TimeUnit,
)
from resolvers.deadlines.limits import Limit
from resolvers.deadlines.policies import limit_of
from resolvers.disputes.rules import DEFAULT_STAGE_LIMITS
from resolvers.errors import BadUserInput
from resolvers.workflow.steps import Step


async def active_organisation(
    session: AsyncSession, code: str, field: str, kinds: frozenset[OrganisationKind]
) -> models.Organisation:
    """The active organisation `code` of one of `kinds`, else `BAD_USER_INPUT` on `field`."""
    organisation = (
        await session.scalars(
            select(models.Organisation).where(
                models.Organisation.code == (code or "").strip(),
                models.Organisation.active.is_(True),
            )
        )
    ).one_or_none()
    if organisation is None:
        raise BadUserInput("no active organisation with that code", field=field)
    if organisation.kind not in kinds:
        raise BadUserInput(
            "{organisation} does not take this step's cases",
            field=field,
            params={"organisation": organisation.code},
        )
    return organisation


async def stage_limit(session: AsyncSession, stage: PolicyStage) -> Limit:
    """The time limit of a stage of the chain, counted from when the stage's organisation
    takes the case: its active policy (time_limit_policies), else the built-in default."""
    policy = await session.scalar(
        select(models.TimeLimitPolicy)
        .where(models.TimeLimitPolicy.stage == stage, models.TimeLimitPolicy.active)
        .order_by(models.TimeLimitPolicy.updated_at.desc())
        .limit(1)
    )
    if policy is None:
        return Limit(DEFAULT_STAGE_LIMITS[stage], TimeUnit.WORKING_DAYS, DeadlineStart.ASSIGNMENT)
    return limit_of(policy)


def hand_over(
    step: Step,
    organisation: models.Organisation,
    to: Escalation,
    due_at: datetime,
    provisional: bool,
    note: str = "",
) -> models.Assignment:
    """The stage's organisation becomes the appeal's lead (so it sees the appeal and may
    answer it); the current assignments are withdrawn, as in `escalatePetition`."""
    for current in step.active():
        current.status = AssignmentStatus.WITHDRAWN
    assignment = models.Assignment(
        petition_id=step.petition.id,
        organisation_id=organisation.id,
        role=AssignmentRole.LEAD,
        status=AssignmentStatus.PENDING,
        assigned_at=step.now,
        assigned_by_id=step.caller.organisation_id,
        due_at=due_at,
        deadline_provisional=provisional,
        instructions=note,
    )
    step.session.add(assignment)
    step.assignments.append(assignment)
    step.petition.escalated_to = to
    step.petition.escalated_to_id = organisation.id
    return assignment
