"""Who may take which step of the workflow. Pure: facts in, a refusal or nothing out.

The slice (may the caller see the appeal at all?) is `resolvers.access`; this is
the next question, asked only inside the slice: does the caller's organisation
stand in the right relation to the appeal, and does a staff member hold a role
for the step? API tokens act for their organisation and carry no roles.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from db.models import Role
from resolvers.access.caller import Caller
from resolvers.errors import Forbidden
from resolvers.workflow.transitions import Action


class Standing(enum.Enum):
    """How the caller's organisation stands to one appeal."""

    HALL = "the appeals hall"
    DISPATCHER = "the hall or the street platform over the appeal's community"
    RECEIVER = "the organisation that received it"
    ASSIGNEE = "an organisation with an active assignment"
    LEAD = "the organisation with the active lead assignment"
    MEMBER = "any organisation whose slice holds it"


@dataclass(frozen=True)
class Rule:
    who: frozenset[Standing]
    roles: frozenset[Role]


def _rule(who: set[Standing], roles: set[Role]) -> Rule:
    return Rule(frozenset(who), frozenset(roles) | {Role.LEADER})


H, D, RCV, A, L, M = (
    Standing.HALL,
    Standing.DISPATCHER,
    Standing.RECEIVER,
    Standing.ASSIGNEE,
    Standing.LEAD,
    Standing.MEMBER,
)
DISPATCHING = {Role.DISPATCHER}
# The credit centre handles the appeals routed to it (wage arrears, contract disputes with
# a credit side) as any partner does: its officers sign for, return and answer them.
HANDLING = {Role.HANDLER, Role.MEDIATOR, Role.COUNSELLOR, Role.CREDIT_OFFICER}

RULES: dict[Action, Rule] = {
    Action.ACCEPT: _rule({D, RCV}, DISPATCHING),
    Action.CLASSIFY: _rule({D, RCV}, DISPATCHING),
    Action.ASSIGN_LEAD: _rule({D}, DISPATCHING),
    Action.ASSIGN_ASSISTING: _rule({D}, DISPATCHING),
    Action.ACCEPT_ASSIGNMENT: _rule({A}, HANDLING),
    Action.RETURN_LEAD: _rule({A}, HANDLING),
    Action.RETURN_ASSISTING: _rule({A}, HANDLING),
    Action.ADD_NOTE: _rule({M}, set(Role)),
    Action.SUSPEND: _rule({D, L}, DISPATCHING | HANDLING),
    Action.RESUME: _rule({D, L}, DISPATCHING | HANDLING),
    Action.REQUEST_EXTENSION: _rule({H, L}, HANDLING | DISPATCHING),
    Action.APPROVE_EXTENSION: _rule({D}, DISPATCHING),
    Action.REJECT_EXTENSION: _rule({D}, DISPATCHING),
    Action.ANSWER: _rule({H, A}, HANDLING | DISPATCHING),
    Action.RECORD_FEEDBACK: _rule({H, RCV, A}, HANDLING | DISPATCHING),
    Action.CLOSE: _rule({H, L}, HANDLING | DISPATCHING),
    Action.REOPEN: _rule({D}, DISPATCHING),
    Action.MARK_BACKLOG: _rule({D}, DISPATCHING),
    Action.CLEAR_BACKLOG: _rule({D}, DISPATCHING),
    Action.ESCALATE: _rule({D, L}, DISPATCHING | HANDLING),
    # The person's master record is shared by every slice: only the hall corrects it.
    Action.UPDATE_PETITIONER: _rule({H}, DISPATCHING),
    # The receiver names parties and may refer to mediation while no one leads (a site
    # station to its mediation room: "one station, two rooms"); see resolvers/disputes/.
    Action.NAME_PARTIES: _rule({D, RCV, A}, DISPATCHING | HANDLING),
    Action.OPEN_MEDIATION: _rule({D, RCV, L}, DISPATCHING | HANDLING),
    Action.OPEN_ARBITRATION: _rule({D, L}, DISPATCHING | HANDLING),
    Action.OPEN_LITIGATION: _rule({D, L}, DISPATCHING | HANDLING),
}


def refusal(caller: Caller, action: Action, standing: frozenset[Standing]) -> Forbidden | None:
    """Why `caller` may not take `action` on an appeal it stands to as `standing`, or None
    when it may. The caller has already been found to see the appeal."""
    if "petitions:write" not in caller.scopes:
        return Forbidden(
            "this operation needs the {scope} scope", params={"scope": repr("petitions:write")}
        )
    rule = RULES[action]
    if not (rule.who & (standing | {Standing.MEMBER})):
        needed = " or ".join(sorted(s.value for s in rule.who))
        return Forbidden(
            "only {standing} may {action}", params={"standing": needed, "action": action.value}
        )
    if caller.user_id is not None and not (rule.roles & caller.roles):
        needed = ", ".join(sorted(r.name for r in rule.roles))
        return Forbidden(
            "to {action} a staff member needs one of the roles {roles}",
            params={"action": action.value, "roles": needed},
        )
    return None


def may(caller: Caller, action: Action, standing: frozenset[Standing]) -> bool:
    """Whether `caller` may take `action` (the pages offer only such steps)."""
    return refusal(caller, action, standing) is None


def authorise(caller: Caller, action: Action, standing: frozenset[Standing]) -> None:
    """Refuse (`Forbidden`) unless `caller` may take `action` (see `refusal`)."""
    refused = refusal(caller, action, standing)
    if refused is not None:
        raise refused
