"""The outcome: the answer (答复), the petitioner's feedback (回访), closure (办结) and
reopening. Every case gets a reply (件件有回音): no closure without an answer and a
recorded feedback attempt — a refusal or an unreachable petitioner is a record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import AssignmentStatus, EventKind, Satisfaction
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.services import Services
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action

MAX_ANSWER = 5000
MAX_COMMENT = 2000


async def answer_petition(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    answer: str,
) -> models.Petition:
    """答复: give the petitioner the answer (an active assignee, or the hall)."""
    answer = validation.text(answer, "answer", max_length=MAX_ANSWER)

    async def change(step: Step) -> None:
        step.move(Action.ANSWER)
        step.petition.answer = answer
        step.petition.answered_at = step.now
        step.event(EventKind.ANSWERED, {"answer": answer})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def record_feedback(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    satisfaction: Satisfaction,
    comment: str | None = None,
) -> models.Petition:
    """回访: record what the petitioner said of the answer (or that they would not say)."""
    comment = validation.text(comment, "comment", required=False, max_length=MAX_COMMENT)

    async def change(step: Step) -> None:
        step.move(Action.RECORD_FEEDBACK)
        step.petition.satisfaction = satisfaction
        step.petition.feedback_comment = comment or None
        step.event(
            EventKind.FEEDBACK_RECORDED, {"satisfaction": satisfaction.name, "comment": comment}
        )

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def close_petition(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    resolved: bool,
) -> models.Petition:
    """办结: close the appeal (its lead, or the hall), saying whether it was settled (化解).

    The active assignments are completed with it.
    """

    async def change(step: Step) -> None:
        p = step.petition
        step.move(Action.CLOSE)  # answered, and the feedback recorded (preconditions)
        assert p.satisfaction is not None
        for assignment in step.active():
            assignment.status = AssignmentStatus.COMPLETED
            assignment.completed_at = step.now
            step.event(EventKind.ASSIGNMENT_COMPLETED, {"role": assignment.role.name}, assignment)
        p.closed_at = step.now
        p.resolved = resolved
        step.event(EventKind.CLOSED, {"resolved": resolved, "satisfaction": p.satisfaction.name})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def reopen_petition(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    reason: str,
) -> models.Petition:
    """重启: reopen a closed (or dissatisfied) appeal; it needs a new answer and feedback,
    and gets a new deadline: its time limit (in its unit) from today."""
    reason = validation.text(reason, "reason", max_length=MAX_COMMENT)

    async def change(step: Step) -> None:
        p = step.petition
        step.move(Action.REOPEN)
        p.answer = None
        p.answered_at = None
        p.satisfaction = None
        p.feedback_comment = None
        p.closed_at = None
        p.resolved = None
        p.due_at, p.deadline_provisional = step.deadline_after(
            step.now, p.time_limit_days, p.time_limit_unit
        )
        # A fresh time limit: what extensions and pauses added to the old one is spent.
        p.handling_starts_at = step.now
        p.extension_days, p.extension_unit, p.paused_days = 0, None, 0
        step.event(EventKind.REOPENED, {"reason": reason, "dueAt": p.due_at.isoformat()})

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )
