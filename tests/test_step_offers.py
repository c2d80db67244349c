"""The appeal page offers a step exactly when taking it would succeed.

For appeals in many states (received, dispatched, signed for, waiting on an extension,
suspended, answered, heard, closed, a backlog case, mediated by the labour committee, a
family dispute, an assisting assignment alone) and for many callers (tokens and staff
with different roles), `readiness.offered` — what the page lists — is compared with what
the real step functions do: each step is taken for real and rolled back at its commit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select

from db import models
from db.models import AssignmentRole, Escalation, MediationKind, Role, Satisfaction
from resolvers import loaders
from resolvers.access import tokens
from resolvers.appeals.reading import get_petition
from resolvers.deadlines.calendars import load_calendar
from resolvers.disputes import adjudication, mediation
from resolvers.errors import HubError
from resolvers.services import Services
from resolvers.workflow import assignments, dispatch, outcome, readiness, suspension, triage
from resolvers.workflow.readiness import Combined
from resolvers.workflow.steps import PetitionRef
from resolvers.workflow.transitions import Action
from tests import factories
from tests.disputes import (
    APAN,
    ARB,
    act,
    dispute_world,  # noqa: F401 - a fixture
    mediated_by_the_committee,
)
from tests.factories import submit
from tests.staff import staff_users  # noqa: F401 - a fixture
from tests.steps import step


class DryRun(Exception):
    """The step reached its commit: it would have succeeded."""


Attempt = Callable[..., Awaitable[Any]]
ASSIGNABLE = (factories.PSY, factories.COURT, factories.LMC)
# The actions the page has a form for, each with the step that takes it.
ATTEMPTS: dict[Action | Combined, list[tuple[Attempt, dict[str, Any]]]] = {
    Action.ACCEPT: [(triage.accept_petition, {})],
    Combined.ACCEPT_AND_ASSIGN: [
        (dispatch.accept_and_assign, {"organisation_code": code}) for code in ASSIGNABLE
    ],
    Action.CLASSIFY: [(triage.classify_petition, {"matter": models.Matter.OTHER})],
    Action.ASSIGN_LEAD: [
        (assignments.assign_petition, {"organisation_code": code, "role": AssignmentRole.LEAD})
        for code in ASSIGNABLE
    ],
    Action.ASSIGN_ASSISTING: [
        (
            assignments.assign_petition,
            {"organisation_code": code, "role": AssignmentRole.ASSISTING},
        )
        for code in ASSIGNABLE
    ],
    Action.ACCEPT_ASSIGNMENT: [(assignments.accept_assignment, {})],
    Action.ADD_NOTE: [(triage.add_note, {"text": "备注"})],
    Action.SUSPEND: [(suspension.suspend_petition, {"reason": "等待鉴定"})],
    Action.RESUME: [(suspension.resume_petition, {})],
    Action.REQUEST_EXTENSION: [(suspension.request_extension, {"days": 1, "reason": "人手不足"})],
    Action.APPROVE_EXTENSION: [(suspension.approve_extension, {})],
    Action.REJECT_EXTENSION: [(suspension.reject_extension, {})],
    Action.ANSWER: [(outcome.answer_petition, {"answer": "已答复"})],
    Action.RECORD_FEEDBACK: [(outcome.record_feedback, {"satisfaction": Satisfaction.SATISFIED})],
    Action.CLOSE: [(outcome.close_petition, {"resolved": True})],
    Action.REOPEN: [(outcome.reopen_petition, {"reason": "不满意"})],
    Action.MARK_BACKLOG: [(triage.mark_backlog, {"owner": "张主任"})],
    Action.CLEAR_BACKLOG: [(triage.clear_backlog, {})],
    Action.OPEN_MEDIATION: [
        (mediation.open_mediation, {"kind": MediationKind.SOCIAL, "mediator_code": code})
        for code in (APAN, factories.LMC)
    ],
    Action.OPEN_ARBITRATION: [(adjudication.open_arbitration, {"arbitration_code": ARB})],
    Action.OPEN_LITIGATION: [(adjudication.open_litigation, {"court_code": factories.COURT})],
}
# Escalation: a mediator of each kind on hand, the institute, the court, and a wrong pair.
ESCALATIONS = [
    (Escalation.MEDIATION, APAN),
    (Escalation.MEDIATION, factories.LMC),
    (Escalation.ARBITRATION, ARB),
    (Escalation.ARBITRATION, factories.COURT),
    (Escalation.LITIGATION, factories.COURT),
]


async def _states(client_for, sessionmaker) -> dict[str, dict[str, Any]]:
    """Appeals in the states the page meets, each by a name."""
    window, hall, lmc, court = [
        await client_for(c)
        for c in (factories.WINDOW, factories.HALL, factories.LMC, factories.COURT)
    ]
    states: dict[str, dict[str, Any]] = {}

    async def dispatched(name: str, **overrides: Any) -> dict[str, Any]:
        appeal = await submit(window, title=f"可办理性 {name}", **overrides)
        await step(hall, "acceptPetition", id=appeal["id"])
        await step(
            hall, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD"
        )
        states[name] = appeal
        return appeal

    states["received"] = await submit(window, title="可办理性 received")
    states["accepted"] = accepted = await submit(window, title="可办理性 accepted")
    await step(hall, "acceptPetition", id=accepted["id"])
    pending = await dispatched("lead pending, assisting pending")
    await step(
        hall, "assignPetition", id=pending["id"], organisationCode=factories.COURT, role="ASSISTING"
    )
    signed = await dispatched("signed by the lead")
    await step(lmc, "acceptAssignment", id=signed["id"])
    asked = await dispatched("extension asked")
    await step(lmc, "acceptAssignment", id=asked["id"])
    await step(lmc, "requestExtension", id=asked["id"], days=3, reason="人手不足")
    paused = await dispatched("suspended")
    await step(hall, "suspendPetition", id=paused["id"], reason="等待鉴定")
    answered = await dispatched("answered")
    await step(lmc, "acceptAssignment", id=answered["id"])
    await step(lmc, "answerPetition", id=answered["id"], answer="已答复")
    heard = await dispatched("heard")
    await step(lmc, "acceptAssignment", id=heard["id"])
    await step(lmc, "answerPetition", id=heard["id"], answer="已答复")
    await step(hall, "recordFeedback", id=heard["id"], satisfaction="SATISFIED")
    closed = await dispatched("closed")
    await step(lmc, "acceptAssignment", id=closed["id"])
    await step(lmc, "answerPetition", id=closed["id"], answer="已答复")
    await step(hall, "recordFeedback", id=closed["id"], satisfaction="SATISFIED")
    await step(lmc, "closePetition", id=closed["id"], resolved=True)
    # reopened while its lead still holds it: 受理 may be taken, 受理并交办 may not
    reopened = await dispatched("reopened, its lead still active")
    await step(lmc, "acceptAssignment", id=reopened["id"])
    await step(lmc, "answerPetition", id=reopened["id"], answer="已答复")
    await step(hall, "recordFeedback", id=reopened["id"], satisfaction="DISSATISFIED")
    await step(hall, "reopenPetition", id=reopened["id"], reason="不满意")
    states["backlog"] = backlog = await submit(window, title="可办理性 backlog")
    await step(hall, "markBacklog", id=backlog["id"], owner="张主任")
    states["mediated by the committee"] = mediated = await submit(window, title="可办理性 mediated")
    await step(hall, "acceptPetition", id=mediated["id"])
    await act(hall, "openMediation", id=mediated["id"], kind="SOCIAL", mediatorCode=factories.LMC)
    await step(lmc, "acceptAssignment", id=mediated["id"])
    states["in progress, mediated by the committee"] = await mediated_by_the_committee(
        client_for, sessionmaker, "可办理性 mediated in progress"
    )
    states["mediation failed"] = failed = await submit(window, title="可办理性 mediation failed")
    await step(hall, "acceptPetition", id=failed["id"])
    case = await act(hall, "openMediation", id=failed["id"], kind="SOCIAL", mediatorCode=APAN)
    apan = await client_for(APAN)
    await act(apan, "concludeMediation", id=case["id"], outcome="NO_AGREEMENT", reason="分歧大")
    family = await dispatched("a family dispute in progress", matter="FAMILY")
    await step(lmc, "acceptAssignment", id=family["id"])
    states["assisting alone"] = assisting = await submit(window, title="可办理性 assisting")
    await step(hall, "acceptPetition", id=assisting["id"])
    await step(
        hall,
        "assignPetition",
        id=assisting["id"],
        organisationCode=factories.COURT,
        role="ASSISTING",
    )
    await step(court, "acceptAssignment", id=assisting["id"])
    return states


async def _callers(sessionmaker) -> list[Any]:
    """Tokens of six organisations, and staff members of the hall and the committee with
    one role each (an admin alone may take no step)."""
    callers = []
    async with sessionmaker() as session:
        for org in (
            factories.WINDOW,
            factories.HALL,
            factories.STREET,
            factories.LMC,
            factories.COURT,
            APAN,
        ):
            token = await factories.token(session, org)
            callers.append(
                await tokens.authenticate_token(session=session, token=token, now=models.utcnow())
            )
        users = {u.username: u.id for u in await session.scalars(select(models.StaffUser))}
    by_code = {c.organisation_code: c for c in callers}
    for org, username, roles in (
        (factories.HALL, "t.hall.dispatcher", {Role.DISPATCHER}),
        (factories.LMC, "t.lmc.handler", {Role.HANDLER}),
        (factories.LMC, "t.lmc.admin", {Role.ADMIN}),
    ):
        callers.append(
            dataclasses.replace(
                by_code[org], user_id=users[username], client_id=None, roles=frozenset(roles)
            )
        )
    return callers


async def _succeeds(sessionmaker, services, caller, number: str, attempt: Attempt, **kw) -> bool:
    """Take the step for real; roll it back at its commit. True if it got that far."""
    async with sessionmaker() as session:

        async def dry_run() -> None:
            raise DryRun

        session.commit = dry_run  # type: ignore[method-assign]
        try:
            await attempt(
                session=session,
                caller=caller,
                services=services,
                now=models.utcnow(),
                ref=PetitionRef(number=number),
                **kw,
            )
        except DryRun:
            return True
        except HubError:
            return False
    raise AssertionError("the step returned without committing")


@pytest.mark.usefixtures("dispute_world", "staff_users")
async def test_the_page_offers_a_step_exactly_when_taking_it_succeeds(
    client_for, sessionmaker, settings
):
    states = await _states(client_for, sessionmaker)
    callers = await _callers(sessionmaker)
    async with sessionmaker() as session:
        services = Services(settings, calendar=await load_calendar(session))
    seen_escalation = 0
    offers: dict[tuple[str, str], set[Action | Combined]] = {}
    for name, appeal in states.items():
        for caller in callers:
            async with sessionmaker() as session:
                petition = await get_petition(
                    session=session, caller=caller, number=appeal["number"]
                )
                if petition is None:
                    continue  # outside the caller's slice: the page is a 404
                (rows,) = await loaders.assignments_by_petition(session, [petition.id])
                actions, facts = await readiness.offered(
                    session=session,
                    caller=caller,
                    services=services,
                    now=models.utcnow(),
                    petition=petition,
                    assignments=rows,
                )
                targets = (
                    {(to, o.code) for to, o in await readiness.escalation_targets(facts)}
                    if Action.ESCALATE in actions
                    else set()
                )
            who = f"{name} / {caller.organisation_code} {sorted(r.name for r in caller.roles)}"
            for action, attempts in ATTEMPTS.items():
                works = [
                    await _succeeds(sessionmaker, services, caller, appeal["number"], f, **kw)
                    for f, kw in attempts
                ]
                assert (action in actions) == any(works), f"{who}: {action.name}"
            returns = await _succeeds(
                sessionmaker,
                services,
                caller,
                appeal["number"],
                assignments.return_assignment,
                reason="不属本单位职责",
            )
            offered_return = bool({Action.RETURN_LEAD, Action.RETURN_ASSISTING} & set(actions))
            assert offered_return == returns, f"{who}: return"
            escalated = {
                (to, code)
                for to, code in ESCALATIONS
                if await _succeeds(
                    sessionmaker,
                    services,
                    caller,
                    appeal["number"],
                    assignments.escalate_petition,
                    to=to,
                    organisation_code=code,
                )
            }
            assert (Action.ESCALATE in actions) == bool(escalated), f"{who}: escalate"
            assert escalated == {t for t in targets if t in ESCALATIONS}, f"{who}: targets"
            seen_escalation += bool(escalated)
            if not caller.roles:
                offers[(name, caller.organisation_code)] = set(actions)
    # The states reach the cases the issue names (the test would be empty otherwise):
    # signed for, the committee is offered its handling steps and no longer 签收
    signed = offers[("signed by the lead", factories.LMC)]
    assert Action.ACCEPT_ASSIGNMENT not in signed and {Action.ANSWER, Action.SUSPEND} <= signed
    # while the assisting court, not yet signed, still is
    pending = offers[("lead pending, assisting pending", factories.COURT)]
    assert Action.ACCEPT_ASSIGNMENT in pending
    # the committee mediating its own case is not offered escalation; the hall neither
    # (mediation is under way), and a family dispute may go to court
    assert Action.ESCALATE not in offers[("mediated by the committee", factories.LMC)]
    mediating = offers[("in progress, mediated by the committee", factories.LMC)]
    assert Action.ESCALATE not in mediating and Action.ANSWER in mediating
    assert Action.ESCALATE in offers[("a family dispute in progress", factories.LMC)]
    assert seen_escalation >= 2
    # after a failed mediation, arbitration is offered (and not before); a family dispute
    # may go to court directly, a wage claim may not
    assert Action.OPEN_ARBITRATION in offers[("mediation failed", factories.HALL)]
    assert Action.OPEN_ARBITRATION not in offers[("signed by the lead", factories.HALL)]
    assert Action.OPEN_LITIGATION in offers[("a family dispute in progress", factories.HALL)]
    assert Action.OPEN_LITIGATION not in offers[("signed by the lead", factories.HALL)]
    # 受理并交办 is offered where both would pass, not where only 受理 would
    assert Combined.ACCEPT_AND_ASSIGN in offers[("received", factories.HALL)]
    reopened = offers[("reopened, its lead still active", factories.HALL)]
    assert Action.ACCEPT in reopened and Combined.ACCEPT_AND_ASSIGN not in reopened
    # an appeal that is a backlog case is not offered 列为积案 again, only 积案销号
    backlog = offers[("backlog", factories.HALL)]
    assert Action.MARK_BACKLOG not in backlog and Action.CLEAR_BACKLOG in backlog
