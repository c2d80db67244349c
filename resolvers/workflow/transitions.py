"""The appeal's state machine: every (status, action) → status, in one table. Pure.

The README's "Workflow" section prints this table; `tests/test_transitions.py`
checks the two agree. A pair absent from the table is an illegal step.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from db.models import PetitionStatus as S
from resolvers.errors import BadUserInput


class Action(enum.Enum):
    """A step of the workflow (one GraphQL mutation each, assignments split by role)."""

    ACCEPT = "accept"
    CLASSIFY = "classify"
    ASSIGN_LEAD = "assign as lead"
    ASSIGN_ASSISTING = "assign as assisting"
    ACCEPT_ASSIGNMENT = "accept assignment"
    RETURN_LEAD = "return the lead assignment"
    RETURN_ASSISTING = "return an assisting assignment"
    ADD_NOTE = "add note"
    SUSPEND = "suspend"
    RESUME = "resume"
    REQUEST_EXTENSION = "request extension"
    APPROVE_EXTENSION = "approve extension"
    REJECT_EXTENSION = "reject extension"
    ANSWER = "answer"
    RECORD_FEEDBACK = "record feedback"
    CLOSE = "close"
    REOPEN = "reopen"
    MARK_BACKLOG = "mark backlog"
    CLEAR_BACKLOG = "clear backlog"
    ESCALATE = "escalate"
    UPDATE_PETITIONER = "correct the petitioner's record"
    NAME_PARTIES = "name parties"
    OPEN_MEDIATION = "open a mediation"
    OPEN_ARBITRATION = "open an arbitration"
    OPEN_LITIGATION = "open a lawsuit"


class Previous(enum.Enum):
    """The status an appeal had before it was suspended (where resuming goes back to)."""

    STATUS = "the status before suspension"


Target = S | Previous

# Statuses in which the appeal is being handled (and may be paused, escalated, noted).
HANDLING = (S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.RETURNED, S.EXTENDED, S.REOPENED)
OPEN = tuple(s for s in S if s is not S.CLOSED)


def _keep(action: Action, statuses: Iterable[S]) -> dict[tuple[S, Action], Target]:
    """Steps that record something without moving the appeal."""
    return {(s, action): s for s in statuses}


TRANSITIONS: dict[tuple[S, Action], Target] = {
    # intake → acceptance (受理)
    (S.RECEIVED, Action.ACCEPT): S.ACCEPTED,
    (S.REOPENED, Action.ACCEPT): S.ACCEPTED,
    # dispatch (交办): a lead makes it ASSIGNED; adding an assisting one keeps work going
    (S.ACCEPTED, Action.ASSIGN_LEAD): S.ASSIGNED,
    (S.RETURNED, Action.ASSIGN_LEAD): S.ASSIGNED,
    (S.REOPENED, Action.ASSIGN_LEAD): S.ASSIGNED,
    (S.ASSIGNED, Action.ASSIGN_LEAD): S.ASSIGNED,  # when only assisting ones are active
    (S.ACCEPTED, Action.ASSIGN_ASSISTING): S.ASSIGNED,
    (S.REOPENED, Action.ASSIGN_ASSISTING): S.ASSIGNED,
    (S.ASSIGNED, Action.ASSIGN_ASSISTING): S.ASSIGNED,
    (S.IN_PROGRESS, Action.ASSIGN_ASSISTING): S.IN_PROGRESS,
    (S.EXTENDED, Action.ASSIGN_ASSISTING): S.EXTENDED,
    (S.RETURNED, Action.ASSIGN_ASSISTING): S.RETURNED,
    (S.ESCALATED, Action.ASSIGN_ASSISTING): S.ESCALATED,
    # the assignee signs for it (签收) or sends it back (退回, with a reason)
    (S.ASSIGNED, Action.ACCEPT_ASSIGNMENT): S.IN_PROGRESS,
    (S.IN_PROGRESS, Action.ACCEPT_ASSIGNMENT): S.IN_PROGRESS,
    (S.EXTENDED, Action.ACCEPT_ASSIGNMENT): S.EXTENDED,
    (S.RETURNED, Action.ACCEPT_ASSIGNMENT): S.RETURNED,
    (S.ESCALATED, Action.ACCEPT_ASSIGNMENT): S.ESCALATED,
    (S.ASSIGNED, Action.RETURN_LEAD): S.RETURNED,
    (S.IN_PROGRESS, Action.RETURN_LEAD): S.RETURNED,
    (S.EXTENDED, Action.RETURN_LEAD): S.RETURNED,
    (S.ESCALATED, Action.RETURN_LEAD): S.RETURNED,
    **_keep(
        Action.RETURN_ASSISTING,
        (S.ASSIGNED, S.IN_PROGRESS, S.EXTENDED, S.RETURNED, S.ESCALATED),
    ),
    # the clock: paused while suspended (挂起), moved by an approved extension (延期)
    **{(s, Action.SUSPEND): S.SUSPENDED for s in HANDLING},
    (S.SUSPENDED, Action.RESUME): Previous.STATUS,
    **_keep(Action.REQUEST_EXTENSION, (S.ASSIGNED, S.IN_PROGRESS, S.EXTENDED)),
    (S.ASSIGNED, Action.APPROVE_EXTENSION): S.EXTENDED,
    (S.IN_PROGRESS, Action.APPROVE_EXTENSION): S.EXTENDED,
    (S.EXTENDED, Action.APPROVE_EXTENSION): S.EXTENDED,
    **_keep(Action.REJECT_EXTENSION, (S.ASSIGNED, S.IN_PROGRESS, S.EXTENDED)),
    # the answer (答复), the petitioner's feedback (回访), closure (办结)
    (S.ACCEPTED, Action.ANSWER): S.ANSWERED,
    (S.IN_PROGRESS, Action.ANSWER): S.ANSWERED,
    (S.EXTENDED, Action.ANSWER): S.ANSWERED,
    (S.REOPENED, Action.ANSWER): S.ANSWERED,
    (S.ESCALATED, Action.ANSWER): S.ANSWERED,
    (S.ANSWERED, Action.RECORD_FEEDBACK): S.FEEDBACK,
    (S.FEEDBACK, Action.RECORD_FEEDBACK): S.FEEDBACK,  # another attempt
    (S.FEEDBACK, Action.CLOSE): S.CLOSED,
    (S.FEEDBACK, Action.REOPEN): S.REOPENED,
    (S.CLOSED, Action.REOPEN): S.REOPENED,
    # escalation to mediation, arbitration or litigation
    **{(s, Action.ESCALATE): S.ESCALATED for s in (*HANDLING, S.FEEDBACK)},
    # the 访调心裁 chain (resolvers/disputes/): each stage escalates, also from a stage
    # before it (mediation → arbitration → litigation)
    **{
        (s, a): S.ESCALATED
        for s in (*HANDLING, S.FEEDBACK, S.ESCALATED)
        for a in (Action.OPEN_MEDIATION, Action.OPEN_ARBITRATION, Action.OPEN_LITIGATION)
    },
    # steps that record without moving
    **_keep(Action.NAME_PARTIES, OPEN),
    **_keep(Action.ADD_NOTE, S),
    **_keep(Action.CLASSIFY, (S.RECEIVED, *HANDLING)),
    **_keep(Action.MARK_BACKLOG, OPEN),
    **_keep(Action.CLEAR_BACKLOG, OPEN),
    **_keep(Action.UPDATE_PETITIONER, S),
}


def transition_refusal(
    status: S, action: Action, *, previous: S | None = None
) -> BadUserInput | None:
    """Why `action` may not be taken from `status`, or None when the table allows it."""
    target = TRANSITIONS.get((status, action))
    if target is None:
        return BadUserInput(
            "an appeal that is {status} cannot {action}",
            params={"status": status.name, "action": action.value},
            status=status.name,
        )
    if isinstance(target, Previous) and (previous is None or previous is S.SUSPENDED):
        return BadUserInput("the status before the suspension is not known")
    return None


def next_status(status: S, action: Action, *, previous: S | None = None) -> S:
    """Where `action` takes an appeal in `status`; `BadUserInput` if it may not."""
    refused = transition_refusal(status, action, previous=previous)
    if refused is not None:
        raise refused
    target = TRANSITIONS[(status, action)]
    if isinstance(target, Previous):
        assert previous is not None
        return previous
    return target


def allowed_actions(status: S) -> list[Action]:
    """The steps an appeal in `status` may take, in the order of `Action`."""
    return [a for a in Action if (status, a) in TRANSITIONS]
