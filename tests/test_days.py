"""Time limits as the law writes them: 日 and 工作日, each counted from its event.

A formal 信访事项 is decided on (accepted or not) within 15 日 of receipt and settled within
60 日 of acceptance, extended by at most 30 日; 日 count calendar days, and a last day
that is not a working day moves to the next working day (民法典 art. 201, 203).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from db import models
from db.models import EventKind
from resolvers.deadlines.calendars import load_calendar
from resolvers.deadlines.watcher import run_watch
from resolvers.services import Services
from tests import factories
from tests.factories import submit
from tests.steps import refused, step, timeline

APPEAL = """
query One($id: ID!) {
  petition(id: $id) {
    status dueAt deadlineClock acceptanceDueAt acceptedAt deadlineProvisional
    timeLimitDays timeLimitUnit timeLimitCountsFrom
  }
}
"""
SET = """
mutation Set($input: TimeLimitPolicyInput!) {
  setTimeLimitPolicy(input: $input) { code days unit countsFrom workingDays active }
}
"""
POLICIES = "{ timeLimitPolicies { code category stage days unit countsFrom active } }"


def _end(day: str) -> str:
    return f"{day}T23:59:59+08:00"


async def _appeal(client, appeal_id: str) -> dict:
    return (await client.data(APPEAL, {"id": appeal_id}))["petition"]


async def test_the_regulation_is_seeded_in_days_each_from_its_event(window):
    data = await window.data(POLICIES)

    active = {p["code"]: p for p in data["timeLimitPolicies"] if p["active"]}
    assert (
        active["PETITION.ACCEPTANCE"]["days"],
        active["PETITION.ACCEPTANCE"]["unit"],
        active["PETITION.ACCEPTANCE"]["countsFrom"],
    ) == (15, "CALENDAR_DAYS", "RECEIPT")
    assert (
        active["PETITION.HANDLING"]["days"],
        active["PETITION.HANDLING"]["unit"],
        active["PETITION.HANDLING"]["countsFrom"],
    ) == (60, "CALENDAR_DAYS", "ACCEPTANCE")
    assert (
        active["PETITION.EXTENSION"]["days"],
        active["PETITION.EXTENSION"]["unit"],
        active["PETITION.EXTENSION"]["countsFrom"],
    ) == (30, "CALENDAR_DAYS", "PREVIOUS_DEADLINE")
    for category, days in (
        ("CONSULTATION", 1),
        ("SUGGESTION", 3),
        ("COMPLAINT", 7),
        ("REPORT", 7),
        ("ASSISTANCE", 3),
    ):
        policy = active[f"{category}.HANDLING"]
        assert (policy["days"], policy["unit"], policy["countsFrom"]) == (
            days,
            "WORKING_DAYS",
            "RECEIPT",
        )
    # the other categories' extensions: 30 working days, a policy for every category
    assert (active["EXTENSION"]["category"], active["EXTENSION"]["unit"]) == (None, "WORKING_DAYS")


async def test_received_2026_07_20_its_acceptance_decision_is_due_2026_08_04(window, hall):
    # When a formal petition received on Monday 2026-07-20 is registered
    appeal = await submit(window, category="PETITION", receivedAt="2026-07-20T10:00:00+08:00")

    # Then its running deadline is the acceptance decision's: 15 日 later, a Tuesday
    assert appeal["dueAt"] == _end("2026-08-04")
    shown = await _appeal(hall, appeal["id"])
    assert shown["deadlineClock"] == "ACCEPTANCE"
    assert shown["acceptanceDueAt"] == _end("2026-08-04") and shown["acceptedAt"] is None
    assert (shown["timeLimitDays"], shown["timeLimitUnit"], shown["timeLimitCountsFrom"]) == (
        60,
        "CALENDAR_DAYS",
        "ACCEPTANCE",
    )


async def test_accepted_2026_08_03_a_formal_petition_is_due_2026_10_08(window, hall):
    # Given a formal petition received on 2026-07-27
    appeal = await submit(window, category="PETITION", receivedAt="2026-07-27T09:00:00+08:00")

    # When the hall records that it accepted it on Monday 2026-08-03
    accepted = await step(
        hall, "acceptPetition", id=appeal["id"], acceptedAt="2026-08-03T15:00:00+08:00"
    )

    # Then 60 日 run from that day: they land on 10-02, inside the National Day holiday
    # (10-01 to 10-07), so the period ends on Thursday 10-08
    assert accepted["dueAt"] == _end("2026-10-08")
    assert accepted["deadlineClock"] == "HANDLING" and accepted["deadlineProvisional"] is False
    assert accepted["acceptedAt"] == "2026-08-03T15:00:00+08:00"
    assert accepted["acceptanceDueAt"] == _end("2026-08-11")  # kept: decided in time
    events = (await timeline(hall, appeal["id"]))["events"]
    assert events[-1]["kind"] == "ACCEPTED"
    assert events[-1]["data"]["dueAt"] == _end("2026-10-08")


async def test_acceptance_is_recorded_between_receipt_and_now(window, hall):
    appeal = await submit(window, category="PETITION", receivedAt="2026-07-27T09:00:00+08:00")

    early = await refused(
        hall, "acceptPetition", id=appeal["id"], acceptedAt="2026-07-26T09:00:00+08:00"
    )
    later = await refused(
        hall, "acceptPetition", id=appeal["id"], acceptedAt="2099-01-01T09:00:00+08:00"
    )

    for error in (early, later):
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["field"] == "acceptedAt"
    assert (await _appeal(hall, appeal["id"]))["status"] == "RECEIVED"


async def test_a_complaint_keeps_working_days_from_receipt(window, hall):
    # Friday 2026-02-13: 7 working days over the Spring Festival (make-up Saturdays count)
    appeal = await submit(window, receivedAt="2026-02-13T09:00:00+08:00")
    accepted = await step(hall, "acceptPetition", id=appeal["id"])

    assert appeal["dueAt"] == accepted["dueAt"] == _end("2026-03-02")
    assert accepted["deadlineClock"] == "HANDLING" and accepted["acceptanceDueAt"] is None
    assert accepted["timeLimitUnit"] == "WORKING_DAYS"


async def test_the_watcher_alerts_on_each_clock(window, hall, sessionmaker, settings):
    # Given a formal petition received 2026-07-20 and never decided on: acceptance overdue
    appeal = await submit(window, category="PETITION", receivedAt="2026-07-20T10:00:00+08:00")
    pid = int(appeal["id"])
    async with sessionmaker() as session:
        services = Services(settings, calendar=await load_calendar(session))
        await session.commit()
        await run_watch(session, models.utcnow(), services)

    # When it is accepted (recorded as of 2026-08-03) and the watcher runs again
    await step(hall, "acceptPetition", id=appeal["id"], acceptedAt="2026-08-03T15:00:00+08:00")
    async with sessionmaker() as session:
        await run_watch(session, models.utcnow(), services)
        await run_watch(session, models.utcnow(), services)
        rows = (await session.execute(
            select(models.PetitionEvent.kind, models.PetitionEvent.data)
            .where(models.PetitionEvent.petition_id == pid,
                   models.PetitionEvent.kind == EventKind.OVERDUE)
            .order_by(models.PetitionEvent.id))).all()  # fmt: skip

    # Then the acceptance clock was overdue once, and the handling clock (due 10-08) once
    assert [data for _, data in rows] == [
        {"dueAt": _end("2026-08-04"), "clock": "ACCEPTANCE"},
        {"dueAt": _end("2026-10-08")},
    ]


async def _in_progress(window, hall, lmc, **submitted) -> dict:
    appeal = await submit(window, **submitted)
    await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD")
    return await step(lmc, "acceptAssignment", id=appeal["id"])


async def test_extensions_are_capped_by_the_extension_policy_in_its_unit(
    window, hall, labour_committee, client_for
):
    formal = await _in_progress(window, hall, labour_committee, category="PETITION")
    complaint = await _in_progress(window, hall, labour_committee)

    # A formal petition: at most 30 日 (PETITION.EXTENSION); a complaint: 30 working days
    too_long = await refused(
        labour_committee, "requestExtension", id=formal["id"], days=31, reason="情况复杂"
    )
    also_too_long = await refused(
        labour_committee, "requestExtension", id=complaint["id"], days=31, reason="情况复杂"
    )
    assert "30 days" in too_long["message"] and too_long["extensions"]["field"] == "days"
    assert "30 working days" in also_too_long["message"]

    await step(labour_committee, "requestExtension", id=formal["id"], days=30, reason="情况复杂")
    approved = await step(hall, "approveExtension", id=formal["id"])
    before = date.fromisoformat(formal["dueAt"][:10])
    expected = (await _calendar_days_after(before, 30)).isoformat()
    assert approved["dueAt"] == _end(expected) and approved["extensionDays"] == 30
    assert approved["assignments"][0]["dueAt"] == approved["dueAt"]

    # When the hall's administrator lowers the cap to 10 日, a new request above it is refused
    admin = await client_for(factories.HALL, ("admin", "petitions:read", "petitions:write"))
    policy = {
        "code": "PETITION.EXTENSION",
        "category": "PETITION",
        "stage": "EXTENSION",
        "days": 10,
        "unit": "CALENDAR_DAYS",
    }
    await admin.data(SET, {"input": policy})
    try:
        other = await _in_progress(window, hall, labour_committee, category="PETITION")
        error = await refused(
            labour_committee, "requestExtension", id=other["id"], days=11, reason="情况复杂"
        )
        assert "at most 10 days" in error["message"]
    finally:
        await admin.data(SET, {"input": policy | {"days": 30}})


async def _calendar_days_after(start: date, n: int) -> date:
    from resolvers.deadlines.calendar import WorkingCalendar

    return WorkingCalendar.from_chinesecalendar().days_after(start, n)[0]


async def test_a_suspension_keeps_the_days_left_of_a_formal_petition(
    window, hall, labour_committee
):
    formal = await _in_progress(window, hall, labour_committee, category="PETITION")

    await step(labour_committee, "suspendPetition", id=formal["id"], reason="等待鉴定结论")
    resumed = await step(labour_committee, "resumePetition", id=formal["id"])

    # Suspended and resumed the same day: the 日 left are the same, and so is the deadline
    assert resumed["dueAt"] == formal["dueAt"]
    events = (await timeline(hall, formal["id"]))["events"]
    suspended = next(e for e in events if e["kind"] == "SUSPENDED")
    due_day = datetime.fromisoformat(resumed["dueAt"]).date()
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert "workingDaysLeft" not in suspended["data"]
    assert suspended["data"]["daysLeft"] == (due_day - today).days


async def test_the_policy_unit_is_set_over_graphql_and_intake_counts_in_it(client_for, window):
    admin = await client_for(factories.HALL, ("admin", "petitions:read", "petitions:write"))
    policy = {
        "code": "SUGGESTION.HANDLING",
        "category": "SUGGESTION",
        "stage": "HANDLING",
        "days": 10,
        "unit": "CALENDAR_DAYS",
    }

    set_ = (await admin.data(SET, {"input": policy}))["setTimeLimitPolicy"]
    try:
        # Then a suggestion received Friday 2026-09-25 is due 10 日 later: 10-05 lies in
        # the National Day holiday, so Thursday 10-08
        appeal = await submit(window, category="SUGGESTION", receivedAt="2026-09-25T09:00:00+08:00")
        assert (set_["days"], set_["unit"], set_["countsFrom"]) == (10, "CALENDAR_DAYS", "RECEIPT")
        assert appeal["dueAt"] == _end("2026-10-08")
        wrong = await admin.error(SET, {"input": policy | {"countsFrom": "PREVIOUS_DEADLINE"}})
        assert wrong["extensions"]["field"] == "countsFrom"
    finally:
        await admin.data(SET, {"input": policy | {"days": 3, "unit": "WORKING_DAYS"}})


STATS = """
query Stats($period: PeriodInput!) {
  stats(period: $period, groupBy: CATEGORY) { rows { key dueInPeriod } }
}
"""


async def _due_on(hall, day: str) -> int:
    data = await hall.data(STATS, {"period": {"from": day, "to": day}})
    return sum(r["dueInPeriod"] for r in data["stats"]["rows"] if r["key"] == "PETITION")


async def test_the_figures_count_a_formal_petition_on_its_real_deadline(window, hall):
    # Given a formal petition received 2026-07-27, due for acceptance 08-11
    appeal = await submit(window, category="PETITION", receivedAt="2026-07-27T09:00:00+08:00")
    before = (await _due_on(hall, "2026-08-11"), await _due_on(hall, "2026-10-08"))

    # When it is accepted as of 2026-08-03
    await step(hall, "acceptPetition", id=appeal["id"], acceptedAt="2026-08-03T15:00:00+08:00")

    # Then the figures count it due on 10-08 (60 日 from acceptance), no longer on 08-11
    after = (await _due_on(hall, "2026-08-11"), await _due_on(hall, "2026-10-08"))
    assert (after[0] - before[0], after[1] - before[1]) == (-1, 1)
