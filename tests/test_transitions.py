"""The state machine and the authority table, without a database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from db.models import OrganisationKind, PetitionStatus, Role
from resolvers.access.authority import RULES, Standing, authorise, may
from resolvers.access.caller import Caller
from resolvers.errors import BadUserInput, Forbidden
from resolvers.workflow.transitions import (
    TRANSITIONS,
    Action,
    Previous,
    allowed_actions,
    next_status,
)

S = PetitionStatus
README = Path(__file__).parent.parent / "README.md"


def test_the_happy_path_runs_from_intake_to_closure():
    path = [
        (Action.ACCEPT, S.ACCEPTED),
        (Action.ASSIGN_LEAD, S.ASSIGNED),
        (Action.ACCEPT_ASSIGNMENT, S.IN_PROGRESS),
        (Action.ANSWER, S.ANSWERED),
        (Action.RECORD_FEEDBACK, S.FEEDBACK),
        (Action.CLOSE, S.CLOSED),
        (Action.REOPEN, S.REOPENED),
    ]
    status = S.RECEIVED
    for action, expected in path:
        status = next_status(status, action)
        assert status is expected


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.RECEIVED, Action.ANSWER),
        (S.ANSWERED, Action.CLOSE),
        (S.CLOSED, Action.ASSIGN_LEAD),
        (S.SUSPENDED, Action.ANSWER),
        (S.SUSPENDED, Action.SUSPEND),
        (S.IN_PROGRESS, Action.RESUME),
        (S.CLOSED, Action.MARK_BACKLOG),
    ],
)
def test_an_illegal_step_is_bad_input(status, action):
    with pytest.raises(BadUserInput):
        next_status(status, action)


def test_resuming_goes_back_to_where_the_appeal_was():
    assert next_status(S.SUSPENDED, Action.RESUME, previous=S.EXTENDED) is S.EXTENDED
    with pytest.raises(BadUserInput):
        next_status(S.SUSPENDED, Action.RESUME, previous=None)


def test_closure_is_reached_only_through_feedback():
    into_closed = {k for k, v in TRANSITIONS.items() if v is S.CLOSED and k[0] is not S.CLOSED}
    assert into_closed == {(S.FEEDBACK, Action.CLOSE)}


def test_every_status_can_take_a_note_and_every_open_one_can_move_on():
    for status in S:
        assert Action.ADD_NOTE in allowed_actions(status)
        moves = [
            a
            for a in allowed_actions(status)
            if TRANSITIONS[(status, a)] is not status
            or isinstance(TRANSITIONS[(status, a)], Previous)
        ]
        assert moves, f"{status.name} is a dead end"


def test_every_action_has_an_authority_rule():
    assert set(RULES) == set(Action)


def _readme_transitions() -> set[tuple[str, str, str]]:
    """Rows `| FROM, … | ACTION | mutation | TO |` of the README's transitions table."""
    section = README.read_text().split("### Transitions", 1)[1].split("\n### ", 1)[0]
    rows = set()
    for line in section.splitlines():
        cells = [c.strip(" `") for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"[A-Z_, ]+", cells[0]):
            for source in cells[0].split(", "):
                target = source if cells[3] == "(unchanged)" else cells[3]
                rows.add((source, cells[1], target))
    return rows


def test_the_readme_lists_every_transition():
    expected = {
        (s.name, a.name, t.name if isinstance(t, S) else "(status before)")
        for (s, a), t in TRANSITIONS.items()
    }
    assert _readme_transitions() == expected


def caller(kind=OrganisationKind.LABOUR_MEDIATION_COMMITTEE, roles=(), user=False, scopes=None):
    return Caller(
        organisation_id=1,
        organisation_code="X",
        organisation_kind=kind,
        region_id=1,
        roles=frozenset(roles),
        scopes=frozenset(scopes if scopes is not None else {"petitions:write"}),
        user_id=7 if user else None,
        client_id=None if user else 7,
    )


def test_a_token_acts_for_its_organisation_by_standing():
    authorise(caller(), Action.ANSWER, frozenset({Standing.ASSIGNEE}))
    with pytest.raises(Forbidden):
        authorise(caller(), Action.ASSIGN_LEAD, frozenset({Standing.ASSIGNEE}))
    with pytest.raises(Forbidden):
        authorise(caller(), Action.CLOSE, frozenset({Standing.ASSIGNEE}))


def test_a_token_without_the_write_scope_may_do_nothing():
    with pytest.raises(Forbidden):
        authorise(caller(scopes={"petitions:read"}), Action.ADD_NOTE, frozenset())


def test_staff_need_a_role_for_the_step():
    hall = OrganisationKind.APPEALS_HALL
    dispatching = frozenset({Standing.HALL, Standing.DISPATCHER})
    authorise(caller(hall, {Role.DISPATCHER}, user=True), Action.ASSIGN_LEAD, dispatching)
    authorise(caller(hall, {Role.LEADER}, user=True), Action.APPROVE_EXTENSION, dispatching)
    with pytest.raises(Forbidden, match="DISPATCHER"):
        authorise(caller(hall, {Role.HANDLER}, user=True), Action.ASSIGN_LEAD, dispatching)
    handler = caller(roles={Role.MEDIATOR}, user=True)
    assignee = frozenset({Standing.ASSIGNEE})
    authorise(handler, Action.ANSWER, assignee)
    with pytest.raises(Forbidden, match="CREDIT_OFFICER"):
        authorise(caller(roles={Role.ADMIN}, user=True), Action.ANSWER, assignee)
    # Anyone in the slice with any role may add a note.
    authorise(caller(roles={Role.ADMIN}, user=True), Action.ADD_NOTE, frozenset())


def test_the_credit_centre_works_its_appeals_like_any_handler():
    credit = caller(OrganisationKind.CREDIT_CENTRE, {Role.CREDIT_OFFICER}, user=True)
    for action in (Action.ACCEPT_ASSIGNMENT, Action.RETURN_LEAD, Action.ANSWER):
        authorise(credit, action, frozenset({Standing.ASSIGNEE, Standing.LEAD}))
    authorise(credit, Action.CLOSE, frozenset({Standing.ASSIGNEE, Standing.LEAD}))
    with pytest.raises(Forbidden):  # handling is not dispatching
        authorise(credit, Action.ASSIGN_LEAD, frozenset({Standing.ASSIGNEE, Standing.LEAD}))


def _readme_roles() -> dict[str, tuple[set[str], set[str]]]:
    """Rows `| STEP | who · who | ROLE, ROLE |` of the README's "Who may do what" table."""
    section = README.read_text().split("### Who may do what", 1)[1].split("\n### ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip(" `") for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"[A-Z_]+", cells[0]):
            roles = {r.name for r in Role} if cells[2] == "any" else set(cells[2].split(", "))
            rows[cells[0]] = (set(cells[1].split(" · ")), roles)
    return rows


def test_the_readme_roles_table_is_the_authority_table():
    expected = {
        action.name: ({s.value for s in rule.who}, {r.name for r in rule.roles})
        for action, rule in RULES.items()
    }
    assert _readme_roles() == expected


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize(
    "standing",
    [
        frozenset(),
        frozenset({Standing.ASSIGNEE}),
        frozenset({Standing.HALL, Standing.DISPATCHER}),
        frozenset({Standing.RECEIVER, Standing.LEAD}),
    ],
)
@pytest.mark.parametrize("who", ["token", "handler", "dispatcher", "reader"])
def test_what_a_page_offers_is_exactly_what_the_step_allows(action, standing, who):
    acting = {
        "token": caller(),
        "handler": caller(roles={Role.HANDLER}, user=True),
        "dispatcher": caller(OrganisationKind.APPEALS_HALL, {Role.DISPATCHER}, user=True),
        "reader": caller(scopes={"petitions:read"}),
    }[who]
    try:
        authorise(acting, action, standing)
        allowed = True
    except Forbidden:
        allowed = False
    assert may(acting, action, standing) is allowed
