"""Time-limit policies over GraphQL, and what a calendar import does to open appeals."""

from __future__ import annotations

from datetime import date

from db import models
from db.models import TimeUnit
from resolvers.access.caller import SCOPES
from resolvers.deadlines import calendars
from resolvers.services import Services
from tests import factories
from tests.factories import submit
from tests.steps import step

POLICIES = "{ timeLimitPolicies { code category stage workingDays active } }"
SET = """
mutation Set($input: TimeLimitPolicyInput!) {
  setTimeLimitPolicy(input: $input) { code category stage workingDays active }
}
"""
EVENTS = "query One($number: String!) { petition(number: $number) { dueAt deadlineProvisional "
EVENTS += "events { kind data } } }"
ALL_SCOPES = tuple(SCOPES)
WORKING = TimeUnit.WORKING_DAYS


async def test_the_seed_and_regulation_policies_are_listed(window):
    data = await window.data(POLICIES)

    limits = {(p["code"], p["workingDays"]) for p in data["timeLimitPolicies"] if p["active"]}
    assert {
        ("CONSULTATION.HANDLING", 1),
        ("SUGGESTION.HANDLING", 3),
        ("COMPLAINT.HANDLING", 7),
        ("PETITION.ACCEPTANCE", 15),
        ("PETITION.HANDLING", 60),
        ("PETITION.EXTENSION", 30),
    } <= limits


async def test_only_the_halls_admin_sets_a_policy_and_intake_follows_it(hall, client_for):
    change = {"code": "ASSISTANCE.HANDLING", "category": "ASSISTANCE", "stage": "HANDLING",
              "workingDays": 4, "description": "求助：4个工作日"}  # fmt: skip
    window_admin = await client_for(factories.WINDOW, ALL_SCOPES)
    hall_admin = await client_for(factories.HALL, ALL_SCOPES)

    # Given callers who are not the hall's administrators, they are refused, nothing written
    for caller in (hall, window_admin):
        error = await caller.error(SET, {"input": change})
        assert error["extensions"]["code"] == "FORBIDDEN"
    before = await hall.data(POLICIES)
    assert ("ASSISTANCE.HANDLING", 3) in {
        (p["code"], p["workingDays"]) for p in before["timeLimitPolicies"]
    }

    # When the hall's administrator sets 4 working days for requests for help
    data = await hall_admin.data(SET, {"input": change})
    try:
        assert data["setTimeLimitPolicy"]["workingDays"] == 4
        # Then a request for help received Friday 2026-02-13 is due on the 4th working
        # day: 02-14 (make-up Saturday), 02-24, 02-25, 02-26
        appeal = await submit(
            window_admin, category="ASSISTANCE", receivedAt="2026-02-13T09:00:00+08:00"
        )
        assert appeal["dueAt"] == "2026-02-26T23:59:59+08:00"
        # and an appeal reclassified as a request for help follows the policy too
        complaint = await submit(window_admin, receivedAt="2026-02-13T09:00:00+08:00")
        reclassified = await step(
            hall_admin, "classifyPetition", id=complaint["id"], category="ASSISTANCE"
        )
        assert reclassified["timeLimitDays"] == 4
        assert reclassified["dueAt"] == "2026-02-26T23:59:59+08:00"
        bad = await hall_admin.error(SET, {"input": change | {"workingDays": 0}})
        assert bad["extensions"]["code"] == "BAD_USER_INPUT"
    finally:
        await hall_admin.data(SET, {"input": change | {"workingDays": 3}})


SCHEDULE_2027 = """{"year": 2027,
 "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
              {"name": "春节", "from": "2027-02-05", "to": "2027-02-13"}],
 "workdays": [{"name": "春节调休", "date": "2027-02-20"}]}"""


async def test_importing_a_year_recomputes_open_provisional_deadlines(
    hall, window, labour_committee, session, settings
):
    # Given a formal petition accepted on Monday 2026-11-23 (60 日: Friday 2027-01-22),
    # extended by 29 日: they end on Saturday 2027-02-20, which the estimate of 2027 takes
    # for a weekend, so the deadline is Monday 02-22, provisional
    appeal = await submit(window, category="PETITION", receivedAt="2026-11-20T09:00:00+08:00")
    await step(hall, "acceptPetition", id=appeal["id"], acceptedAt="2026-11-23T10:00:00+08:00")
    await step(hall, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD")
    await step(labour_committee, "acceptAssignment", id=appeal["id"])
    await step(labour_committee, "requestExtension", id=appeal["id"], days=29, reason="复杂")
    extended = await step(hall, "approveExtension", id=appeal["id"])
    assert extended["dueAt"] == "2027-02-22T23:59:59+08:00"
    assert extended["deadlineProvisional"] is True
    # and a complaint received now, extended by 30 working days into 2027
    complaint = await submit(window)
    await step(hall, "acceptPetition", id=complaint["id"])
    await step(
        hall, "assignPetition", id=complaint["id"], organisationCode=factories.LMC, role="LEAD"
    )
    await step(labour_committee, "acceptAssignment", id=complaint["id"])
    await step(labour_committee, "requestExtension", id=complaint["id"], days=30, reason="复杂")
    working = await step(hall, "approveExtension", id=complaint["id"])
    assert working["deadlineProvisional"] is True
    services = Services(settings, calendar=await calendars.load_calendar(session))
    await session.commit()
    schedule = calendars.parse_schedule(SCHEDULE_2027)

    # When the 2027 schedule is imported: Saturday 02-20 is a make-up working day
    result = await calendars.import_schedule(
        session=session, services=services, schedule=schedule, now=models.utcnow()
    )

    # Then the period of 日 ends on that Saturday, officially, and the timeline says so
    assert result.recomputed >= 1
    data = await hall.data(EVENTS, {"number": appeal["number"]})
    assert data["petition"]["deadlineProvisional"] is False
    assert data["petition"]["dueAt"] == "2027-02-20T23:59:59+08:00"
    recomputed = [e for e in data["petition"]["events"] if e["kind"] == "DEADLINE_RECOMPUTED"]
    assert len(recomputed) >= 1
    assert recomputed[0]["data"]["from"] == extended["dueAt"]
    assert recomputed[0]["data"]["to"] == "2027-02-20T23:59:59+08:00"
    # the complaint's 7 + 30 working days are counted on the official 2027 schedule
    official = await calendars.load_calendar(session)
    received = date.fromisoformat(complaint["receivedAt"][:10])
    expected, provisional = official.count_all(received, [(7, WORKING), (30, WORKING)])
    shown = await hall.data(EVENTS, {"number": complaint["number"]})
    assert (shown["petition"]["dueAt"], shown["petition"]["deadlineProvisional"]) == (
        f"{expected.isoformat()}T23:59:59+08:00",
        provisional,
    )
    assert provisional is False
    assert (await calendars.show_year(session, 2027)).official is True
    assert date(2027, 2, 20) in dict((await calendars.show_year(session, 2027)).workdays)
