"""Each workflow step over GraphQL: what it changes, who may take it, what it refuses."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from db import models
from resolvers.access.tokens import authenticate_token
from resolvers.deadlines.calendar import WorkingCalendar
from resolvers.services import Services
from resolvers.workflow import suspension
from resolvers.workflow.steps import PetitionRef
from tests import factories
from tests.factories import submit
from tests.steps import refused, step, timeline

CALENDAR = WorkingCalendar.from_chinesecalendar()
CALENDAR_TZ = ZoneInfo("Asia/Shanghai")


async def dispatched(window, hall, lead=factories.LMC, accept=None):
    """An appeal received by the window, accepted by the hall and given to `lead`."""
    appeal = await submit(window)
    await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "assignPetition", id=appeal["id"], organisationCode=lead, role="LEAD")
    if accept is not None:
        await step(accept, "acceptAssignment", id=appeal["id"])
    return appeal


async def test_accepting_moves_the_appeal_and_writes_its_event(window, hall):
    appeal = await submit(window)

    accepted = await step(hall, "acceptPetition", id=appeal["id"])

    assert accepted["status"] == "ACCEPTED"
    assert accepted["version"] == 2
    events = (await timeline(hall, appeal["id"]))["events"]
    assert [(e["kind"], e["organisation"]["code"]) for e in events] == [
        ("SUBMITTED", factories.WINDOW),
        ("ACCEPTED", factories.HALL),
    ]


async def test_an_illegal_transition_is_bad_input_and_changes_nothing(window, hall):
    appeal = await submit(window)

    error = await refused(hall, "answerPetition", id=appeal["id"], answer="已答复")
    closing = await refused(hall, "closePetition", id=appeal["id"], resolved=True)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert closing["extensions"]["code"] == "BAD_USER_INPUT"
    after = await timeline(hall, appeal["id"])
    assert (after["status"], after["version"], len(after["events"])) == ("RECEIVED", 1, 1)


async def test_a_stale_expected_version_is_a_conflict(window, hall):
    appeal = await submit(window)
    await step(hall, "acceptPetition", id=appeal["id"], expectedVersion=1)

    error = await refused(hall, "addNote", id=appeal["id"], text="迟到", expectedVersion=1)

    assert error["extensions"]["code"] == "CONFLICT"
    assert (await timeline(hall, appeal["id"]))["version"] == 2


async def test_outside_the_slice_is_not_found_like_a_missing_appeal(window, court):
    appeal = await submit(window)

    hidden = await refused(court, "acceptPetition", id=appeal["id"])
    missing = await refused(court, "acceptPetition", id="999999999")
    malformed = await refused(court, "acceptPetition", id="PS-x")
    by_number = await refused(court, "addNote", number=appeal["number"], text="看看")

    for error in (hidden, missing, malformed, by_number):
        assert error["extensions"]["code"] == "NOT_FOUND"
        assert error["message"] == "petition not found"


async def test_only_the_hall_or_the_street_platform_over_it_dispatches(
    window, hall, street_platform, labour_committee
):
    appeal = await submit(window)
    await step(window, "acceptPetition", id=appeal["id"])

    by_window = await refused(
        window, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD"
    )
    by_street = await step(
        street_platform,
        "assignPetition",
        id=appeal["id"],
        organisationCode=factories.LMC,
        role="LEAD",
    )

    assert by_window["extensions"]["code"] == "FORBIDDEN"
    assert by_street["status"] == "ASSIGNED"
    # The assignee now sees it, but may not dispatch it further.
    onward = await refused(
        labour_committee,
        "assignPetition",
        id=appeal["id"],
        organisationCode=factories.PSY,
        role="ASSISTING",
    )
    assert onward["extensions"]["code"] == "FORBIDDEN"


async def test_only_an_active_assignee_or_the_hall_answers(
    window, hall, labour_committee, client_for
):
    appeal = await dispatched(window, hall, accept=labour_committee)
    psy = await client_for(factories.PSY)

    by_window = await refused(window, "answerPetition", id=appeal["id"], answer="答复")
    by_outsider = await refused(psy, "answerPetition", id=appeal["id"], answer="答复")
    answered = await step(labour_committee, "answerPetition", id=appeal["id"], answer="已协调发放")

    assert by_window["extensions"]["code"] == "FORBIDDEN"
    assert by_outsider["extensions"]["code"] == "NOT_FOUND"
    assert answered["status"] == "ANSWERED" and answered["answer"] == "已协调发放"


async def test_a_token_without_write_scope_is_forbidden(window, client_for):
    appeal = await submit(window)
    reader = await client_for(factories.WINDOW, ("petitions:read",))

    error = await refused(reader, "acceptPetition", id=appeal["id"])

    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_a_returned_assignment_needs_a_reason_and_can_be_reassigned(
    window, hall, labour_committee, court
):
    appeal = await dispatched(window, hall)

    blank = await refused(labour_committee, "returnAssignment", id=appeal["id"], reason="  ")
    returned = await step(
        labour_committee, "returnAssignment", id=appeal["id"], reason="不属于劳动争议"
    )
    again = await step(
        hall, "assignPetition", id=appeal["id"], organisationCode=factories.COURT, role="LEAD"
    )

    assert blank["extensions"] == {"code": "BAD_USER_INPUT", "field": "reason"}
    assert returned["status"] == "RETURNED"
    assert returned["assignments"][0]["returnReason"] == "不属于劳动争议"
    assert again["status"] == "ASSIGNED"
    assert [(a["organisation"]["code"], a["status"]) for a in again["assignments"]] == [
        (factories.LMC, "RETURNED"),
        (factories.COURT, "PENDING"),
    ]


async def test_one_active_lead_at_a_time(window, hall):
    appeal = await dispatched(window, hall)

    error = await refused(
        hall, "assignPetition", id=appeal["id"], organisationCode=factories.COURT, role="LEAD"
    )

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "role"}


async def test_an_assignment_is_due_the_category_limit_from_now_unless_given(window, hall):
    appeal = await submit(window, category="CONSULTATION")
    await step(hall, "acceptPetition", id=appeal["id"])

    given = "2026-12-31T18:00:00+08:00"
    lead = await step(
        hall, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD"
    )
    helper = await step(
        hall,
        "assignPetition",
        id=appeal["id"],
        organisationCode=factories.PSY,
        role="ASSISTING",
        dueAt=given,
    )

    today = datetime.now().astimezone(CALENDAR_TZ).date()
    expected_day, _ = CALENDAR.working_days_after(today, 1)
    assert lead["assignments"][0]["dueAt"] == f"{expected_day.isoformat()}T23:59:59+08:00"
    assert helper["assignments"][1]["dueAt"] == given


async def test_classifying_recomputes_the_deadline_from_receipt(window, hall):
    appeal = await submit(window, receivedAt="2026-02-13T10:00:00+08:00", category="CONSULTATION")

    changed = await step(
        hall, "classifyPetition", id=appeal["id"], category="COMPLAINT", matter="HOUSING"
    )

    assert (changed["category"], changed["matter"]) == ("COMPLAINT", "HOUSING")
    assert changed["timeLimitDays"] == 7
    assert changed["dueAt"] == "2026-03-02T23:59:59+08:00"


async def test_suspension_pauses_the_clock_and_resumption_moves_the_deadline(
    window, hall, labour_committee
):
    appeal = await dispatched(window, hall, accept=labour_committee)
    before = (await step(hall, "addNote", id=appeal["id"], text="查看"))["dueAt"]

    suspended = await step(labour_committee, "suspendPetition", id=appeal["id"], reason="等鉴定")
    answering = await refused(labour_committee, "answerPetition", id=appeal["id"], answer="x")
    resumed = await step(labour_committee, "resumePetition", id=appeal["id"])

    assert suspended["status"] == "SUSPENDED" and suspended["suspendedAt"]
    assert answering["extensions"]["code"] == "BAD_USER_INPUT"
    assert resumed["status"] == "IN_PROGRESS" and resumed["suspendedAt"] is None
    # Suspended and resumed the same day: the working days left are unchanged.
    assert resumed["dueAt"] == before


async def test_an_approved_extension_moves_the_deadline_by_working_days(
    window, hall, labour_committee
):
    appeal = await dispatched(window, hall, accept=labour_committee)
    before = (await step(hall, "addNote", id=appeal["id"], text="查看"))["dueAt"]

    too_long = await refused(
        labour_committee, "requestExtension", id=appeal["id"], days=31, reason="复杂"
    )
    requested = await step(
        labour_committee, "requestExtension", id=appeal["id"], days=5, reason="需要现场核查"
    )
    by_lead = await refused(labour_committee, "approveExtension", id=appeal["id"])
    approved = await step(hall, "approveExtension", id=appeal["id"])

    assert too_long["extensions"]["field"] == "days"
    assert requested["extensionRequestedDays"] == 5
    assert by_lead["extensions"]["code"] == "FORBIDDEN"
    assert approved["status"] == "EXTENDED"
    assert approved["extensionDays"] == 5 and approved["extensionRequestedDays"] is None
    old_day = datetime.fromisoformat(before).date()
    new_day, _ = CALENDAR.working_days_after(old_day, 5)
    assert approved["dueAt"] == f"{new_day.isoformat()}T23:59:59+08:00"


async def test_a_rejected_extension_leaves_the_deadline(window, hall, labour_committee):
    appeal = await dispatched(window, hall, accept=labour_committee)
    requested = await step(
        labour_committee, "requestExtension", id=appeal["id"], days=3, reason="人手不足"
    )

    rejected = await step(hall, "rejectExtension", id=appeal["id"], reason="期限内可办结")

    assert rejected["dueAt"] == requested["dueAt"]
    assert rejected["extensionRequestedDays"] is None and rejected["status"] == "IN_PROGRESS"


async def test_every_case_gets_a_reply_before_it_closes(window, hall, labour_committee):
    appeal = await dispatched(window, hall, accept=labour_committee)
    await step(labour_committee, "answerPetition", id=appeal["id"], answer="已答复")

    unasked = await refused(labour_committee, "closePetition", id=appeal["id"], resolved=True)
    refusal = await step(
        window, "recordFeedback", id=appeal["id"], satisfaction="REFUSED", comment="不愿评价"
    )
    closed = await step(labour_committee, "closePetition", id=appeal["id"], resolved=False)

    assert unasked["extensions"]["code"] == "BAD_USER_INPUT"
    assert "every case gets a reply" in unasked["message"]
    assert refusal["status"] == "FEEDBACK" and refusal["satisfaction"] == "REFUSED"
    assert closed["status"] == "CLOSED" and closed["resolved"] is False
    assert [a["status"] for a in closed["assignments"]] == ["COMPLETED"]


async def test_only_the_lead_or_the_hall_closes(window, hall, labour_committee, client_for):
    appeal = await dispatched(window, hall, accept=labour_committee)
    psy = await client_for(factories.PSY)
    await step(
        hall, "assignPetition", id=appeal["id"], organisationCode=factories.PSY, role="ASSISTING"
    )
    await step(psy, "acceptAssignment", id=appeal["id"])
    await step(psy, "answerPetition", id=appeal["id"], answer="心理疏导后已答复")
    await step(hall, "recordFeedback", id=appeal["id"], satisfaction="SATISFIED")

    by_assisting = await refused(psy, "closePetition", id=appeal["id"], resolved=True)
    closed = await step(hall, "closePetition", id=appeal["id"], resolved=True)

    assert by_assisting["extensions"]["code"] == "FORBIDDEN"
    assert closed["status"] == "CLOSED"


async def test_backlog_cases_carry_a_named_owner(window, hall, street_platform):
    appeal = await submit(window)

    marked = await step(street_platform, "markBacklog", id=appeal["id"], owner="张主任")
    again = await refused(hall, "markBacklog", id=appeal["id"], owner="李主任")
    by_window = await refused(window, "clearBacklog", id=appeal["id"])
    cleared = await step(hall, "clearBacklog", id=appeal["id"])

    assert (marked["backlog"], marked["backlogOwner"]) == (True, "张主任")
    assert again["extensions"]["code"] == "BAD_USER_INPUT"  # already one: not re-marked
    assert again["message"] == "the appeal is already a backlog case"
    assert by_window["extensions"]["code"] == "FORBIDDEN"
    assert (cleared["backlog"], cleared["backlogOwner"]) == (False, None)


@pytest.mark.parametrize(
    ("to", "organisation", "matter", "accepted"),
    [
        ("ARBITRATION", factories.COURT, "FAMILY", False),  # the court does not arbitrate
        ("LITIGATION", factories.COURT, "LABOUR_WAGES", False),  # a labour case: award first
        ("LITIGATION", factories.COURT, "FAMILY", True),  # a family dispute may go to court
    ],
)
async def test_escalation_goes_to_an_organisation_that_takes_it(
    window, hall, labour_committee, court, to, organisation, matter, accepted
):
    appeal = await dispatched(window, hall, accept=labour_committee)
    await step(hall, "classifyPetition", id=appeal["id"], matter=matter)

    if not accepted:
        error = await refused(
            hall, "escalatePetition", id=appeal["id"], to=to, organisationCode=organisation
        )
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "organisationCode"}
        return
    escalated = await step(
        labour_committee,
        "escalatePetition",
        id=appeal["id"],
        to=to,
        organisationCode=organisation,
        reason="调解不成",
    )
    assert escalated["status"] == "ESCALATED" and escalated["escalatedTo"] == to
    assert [(a["organisation"]["code"], a["status"]) for a in escalated["assignments"]] == [
        (factories.LMC, "WITHDRAWN"),
        (factories.COURT, "PENDING"),
    ]
    # The court now holds it: it signs for it and answers.
    await step(court, "acceptAssignment", id=appeal["id"])
    answered = await step(court, "answerPetition", id=appeal["id"], answer="已立案")
    assert answered["status"] == "ANSWERED"


async def test_a_long_suspension_moves_the_appeal_and_its_assignments_alike(
    window, hall, labour_committee, session, settings
):
    # Given an appeal in progress at the labour mediation committee
    appeal = await dispatched(window, hall, accept=labour_committee)
    token = labour_committee.http.headers["Authorization"].removeprefix("Bearer ")
    lmc = await authenticate_token(session=session, token=token, now=models.utcnow())
    services = Services(settings)
    ref = PetitionRef(id=int(appeal["id"]))
    row = await session.get(models.Petition, int(appeal["id"]))
    appeal_due, lead_due = (
        row.due_at,
        (
            await session.scalars(
                select(models.Assignment).where(models.Assignment.petition_id == row.id)
            )
        )
        .one()
        .due_at,
    )

    # When it is suspended now and resumed two weeks later
    suspended_at = models.utcnow()
    await suspension.suspend_petition(
        session=session,
        caller=lmc,
        services=services,
        now=suspended_at,
        ref=ref,
        reason="等待司法鉴定",
    )
    resumed = await suspension.resume_petition(
        session=session,
        caller=lmc,
        services=services,
        now=suspended_at + timedelta(days=14),
        ref=ref,
    )

    # Then both deadlines moved by the same ten working days
    lead = (
        await session.scalars(
            select(models.Assignment).where(models.Assignment.petition_id == row.id)
        )
    ).one()
    local = services.calendar.working_days_between
    moved = local(
        appeal_due.astimezone(services.tz).date(), resumed.due_at.astimezone(services.tz).date()
    )
    assert moved == local(
        lead_due.astimezone(services.tz).date(), lead.due_at.astimezone(services.tz).date()
    )
    assert moved > 0
