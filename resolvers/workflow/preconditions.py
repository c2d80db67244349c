"""What must hold of an appeal before a step can be taken: one rule per step, which the
step itself and the page that offers it both ask (`refusal`). Pure: a step's facts in,
a refusal or nothing out.

A step is refused, in this order, when the caller may not take it
(`resolvers.access.authority`), when the appeal is not ready for it (the checks below:
a pending assignment to sign for, a waiting extension request, an answer and feedback
before closure…), or when its status does not allow it (`transitions`). What needs the
database (the extension cap, the chain's order for escalation) is
`resolvers.workflow.readiness`, asked the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from db import models
from db.models import AssignmentRole, AssignmentStatus, PetitionStatus
from resolvers.access.authority import Standing
from resolvers.access.authority import refusal as authority_refusal
from resolvers.errors import BadUserInput, Forbidden, HubError
from resolvers.workflow.transitions import Action, transition_refusal

if TYPE_CHECKING:
    from resolvers.workflow.steps import Step

Check = Callable[["Step"], HubError | None]


def own_assignment(step: Step) -> models.Assignment | None:
    """The caller's organisation's active assignment on the appeal (the newest)."""
    mine = [a for a in step.active() if a.organisation_id == step.caller.organisation_id]
    return mine[-1] if mine else None


def _pending_own(step: Step) -> HubError | None:
    mine = own_assignment(step)
    if mine is None or mine.status is not AssignmentStatus.PENDING:
        return BadUserInput("your organisation has no pending assignment on this appeal")
    return None


def _own_lead(step: Step) -> HubError | None:
    mine = own_assignment(step)
    if mine is None or mine.role is not AssignmentRole.LEAD:
        return BadUserInput("your organisation does not lead this appeal")
    return None


def _own_assisting(step: Step) -> HubError | None:
    mine = own_assignment(step)
    if mine is None or mine.role is not AssignmentRole.ASSISTING:
        return BadUserInput("your organisation does not assist on this appeal")
    return None


def _no_active_lead(step: Step) -> HubError | None:
    if step.active(AssignmentRole.LEAD):
        return BadUserInput("the appeal already has an active lead", field="role")
    return None


def _no_request_waiting(step: Step) -> HubError | None:
    if step.petition.extension_requested_days is not None:
        return BadUserInput("an extension request is already waiting for a decision")
    return None


def _request_waiting(step: Step) -> HubError | None:
    if step.petition.extension_requested_days is None:
        return BadUserInput("no extension request is waiting")
    return None


def _answered_and_heard(step: Step) -> HubError | None:
    if step.petition.answer is None:
        return BadUserInput("every case gets a reply: answer the appeal before closing it")
    if step.petition.satisfaction is None:
        return BadUserInput(
            "every case gets a reply: record the petitioner's feedback (or the refusal) "
            "before closing"
        )
    return None


def _backlog(step: Step) -> HubError | None:
    if not step.petition.backlog:
        return BadUserInput("the appeal is not a backlog case")
    return None


def _not_backlog(step: Step) -> HubError | None:
    if step.petition.backlog:
        return BadUserInput("the appeal is already a backlog case")
    return None


def _referable(step: Step) -> HubError | None:
    """The receiver refers to mediation only while no one handles the appeal."""
    if not step.standing & {Standing.DISPATCHER, Standing.LEAD} and step.active():
        return Forbidden("the appeal is being handled: its lead or a dispatcher refers it")
    return None


PRECONDITIONS: dict[Action, Check] = {
    Action.ACCEPT_ASSIGNMENT: _pending_own,
    Action.RETURN_LEAD: _own_lead,
    Action.RETURN_ASSISTING: _own_assisting,
    Action.ASSIGN_LEAD: _no_active_lead,
    Action.REQUEST_EXTENSION: _no_request_waiting,
    Action.APPROVE_EXTENSION: _request_waiting,
    Action.REJECT_EXTENSION: _request_waiting,
    Action.CLOSE: _answered_and_heard,
    Action.MARK_BACKLOG: _not_backlog,
    Action.CLEAR_BACKLOG: _backlog,
    Action.OPEN_MEDIATION: _referable,
}


def refusal(step: Step, action: Action, status: PetitionStatus | None = None) -> HubError | None:
    """Why `action` would be refused now (who, what the appeal lacks, its status), or None
    when it would be taken — short of what `readiness` asks of the database, and of the
    step's own input (a text, a chosen organisation). `status`: as if the appeal were in
    it (a combined step's later action, after the earlier ones moved it)."""
    refused: HubError | None = authority_refusal(step.caller, action, step.standing)
    if refused is None and action in PRECONDITIONS:
        refused = PRECONDITIONS[action](step)
    if refused is None:
        p = step.petition
        refused = transition_refusal(status or p.status, action, previous=p.suspended_from)
    return refused
