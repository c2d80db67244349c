"""Psychological care and backlog cases, told as the seed tells the story of 李某.

A homestead dispute with her former husband; repeated appeals, threats of self-harm at
the window; a high-risk screening that alerts every organisation handling her appeals;
more than ten counselling sessions for her and her adopted son; some sixty home visits
of which more than fifty were refused; a backlog case with the hall's leader in charge,
reviewed monthly and supervised by the hall; finally settled, and closed with feedback.
At every step the handling organisations see the risk level and never a note or a score.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from db import models
from resolvers.backlog.cases import standing
from tests import factories
from tests.steps import step
from tests.streams import subscription

SCORE = 187  # an SCL-90 total; a number that must never reach a handler
SCREENING_NOTE = "与前夫宅基地纠纷积怨已久，多次扬言轻生，睡眠差"
SESSION_NOTE = "情绪较前平稳，愿意谈及养子学业"

RISK = """
query($id: ID!) { petition(id: $id) {
  riskLevel screeningSuggested
  riskFlags { kind note organisation { code } }
  events { kind data }
} }
"""
SCREEN = """
mutation($p: ID!, $input: ScreeningInput!) { recordScreening(petitionId: $p, input: $input) {
  id personId riskLevel score notes instrument } }
"""
SESSION = """
mutation($p: ID!, $input: CareSessionInput!) { recordCareSession(petitionId: $p, input: $input) {
  id kind refused participants minutes } }
"""
FLAG = """
mutation($id: ID!, $kind: RiskFlagKind!, $note: String!) {
  flagRisk(id: $id, kind: $kind, note: $note) { id riskLevel screeningSuggested } }
"""
SCREENINGS = "query($p: ID) { screenings(petitionId: $p) { totalCount edges { node { riskLevel score notes } } } }"
SESSIONS = """
query($p: ID, $person: ID, $kind: CareSessionKind, $refused: Boolean) {
  careSessions(petitionId: $p, personId: $person, kind: $kind, refused: $refused, first: 100) {
    totalCount edges { node { participants notes } } } }
"""
CASE_FIELDS = """id version leaderName reviewEveryDays nextReviewDue reviewOverdue reviewedOnTime
  supervision supervisionDue closedAt assessment ageDays reviews { onTime note }
  petition { number status }"""
OPEN_CASE = f"""
mutation($p: ID!, $leader: String!) {{ openBacklogCase(petitionId: $p, leaderUsername: $leader,
  plan: "包案领导牵头，法律援助与心理疏导并行，调解宅基地分割", reviewEveryDays: 30) {{
  {CASE_FIELDS} }} }}
"""
REVIEW = f"""
mutation($id: ID!, $v: Int) {{ reviewBacklogCase(id: $id, note: "月度评估：走访、疏导按计划推进",
  expectedVersion: $v) {{ {CASE_FIELDS} }} }}
"""
SUPERVISE = f"""
mutation($id: ID!, $due: Date!) {{ superviseBacklogCase(id: $id,
  instructions: "限期拿出宅基地分割调解方案", due: $due) {{ {CASE_FIELDS} }} }}
"""
CLOSE_CASE = f"""
mutation($id: ID!) {{ closeBacklogCase(id: $id,
  assessment: "宅基地分割达成调解协议并履行，本人情绪稳定，息诉罢访") {{ {CASE_FIELDS} }} }}
"""
FIGURES = """
query($period: PeriodInput!) { stats(period: $period, groupBy: STREET) {
  backlogCases { opened reviews reviewedOnTime settled } } }
"""
BOARD = f"query($open: Boolean) {{ backlogCases(open: $open, first: 100) {{ totalCount edges {{ node {{ {CASE_FIELDS} }} }} }} }}"


def _values(answer: object) -> list[object]:
    if isinstance(answer, dict):
        return [v for value in answer.values() for v in _values(value)]
    if isinstance(answer, list):
        return [v for value in answer for v in _values(value)]
    return [answer]


def _leaks(answer: object) -> list[str]:
    """What of the care centre's sensitive data an answer shows (the score as a value: its
    digits may well occur in an appeal's number)."""
    text = json.dumps(answer, ensure_ascii=False)
    found = [s for s in (SCREENING_NOTE, SESSION_NOTE, '"score"', '"notes"') if s in text]
    return found + [str(v) for v in _values(answer) if v == SCORE or v == str(SCORE)]


async def handlers_see_the_level_only(clients, appeal_id: str, level: str | None) -> None:
    """Each handling organisation sees the level on the appeal, no care record, no score
    and no note anywhere."""
    for org, client in clients.items():
        seen = (await client.data(RISK, {"id": appeal_id}))["petition"]
        assert seen["riskLevel"] == level, org
        assert _leaks(seen) == [], org
        listed = await client.data(SCREENINGS, {"p": appeal_id})
        assert listed["screenings"] == {"totalCount": 0, "edges": []}, org
        sessions = await client.data(SESSIONS, {"p": appeal_id})
        assert sessions["careSessions"]["totalCount"] == 0, org


async def test_the_story_of_li(client_for, server, staff_users, sessionmaker, world):
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    lmc = await client_for(factories.LMC)
    psy = await client_for(factories.PSY)
    court = await client_for(factories.COURT)
    li = {
        "petitioner": {
            "name": "李某",
            "idNumber": factories.resident_id(),
            "phone": "13900139000",
            "address": "坪山区六联社区",
        },
        "matter": "HOMESTEAD_LAND",
        "category": "COMPLAINT",
    }

    # Given 李某's repeated appeals about the homestead, with risks seen at the window
    first = await factories.submit(window, title="与前夫宅基地纠纷", **li)
    second = await factories.submit(window, title="再次反映宅基地被前夫占用", **li)
    assert second["repeatCount"] == 1
    await step(hall, "acceptPetition", id=second["id"])
    await step(hall, "assignPetition", id=second["id"], organisationCode=factories.LMC, role="LEAD")
    await step(lmc, "acceptAssignment", id=second["id"])
    flagged = (
        await lmc.data(
            FLAG, {"id": second["id"], "kind": "SELF_HARM_THREAT", "note": "窗口扬言轻生"}
        )
    )["flagRisk"]
    assert flagged == {"id": second["id"], "riskLevel": None, "screeningSuggested": True}
    await window.data(FLAG, {"id": first["id"], "kind": "BLOCKING_OFFICES", "note": "堵门"})
    handlers = {factories.WINDOW: window, factories.HALL: hall, factories.LMC: lmc}

    # When the hall refers her to the care centre, which screens her HIGH, while the
    # handlers follow the event stream
    await step(
        hall, "assignPetition", id=second["id"], organisationCode=factories.PSY, role="ASSISTING"
    )
    token = lmc.http.headers["Authorization"].removeprefix("Bearer ")
    async with subscription(server.url, token) as stream:
        await stream.subscribe(kinds=["RISK_ALERT", "SCREENED"])
        await asyncio.sleep(0.3)
        screened = (
            await psy.data(
                SCREEN,
                {
                    "p": second["id"],
                    "input": {
                        "instrument": "SCL-90",
                        "score": SCORE,
                        "riskLevel": "HIGH",
                        "notes": SCREENING_NOTE,
                    },
                },
            )
        )["recordScreening"]
        assert screened["score"] == SCORE and screened["notes"] == SCREENING_NOTE
        # Then the alert reaches the lead handler on the stream: the level, nothing more
        delivered = await stream.events_until(lambda e: e["kind"] == "RISK_ALERT")
    assert delivered[-1]["data"] == {"riskLevel": "HIGH", "source": "SCREENING"}
    assert _leaks(delivered) == []

    # And every open appeal of hers carries the alert, for the hall, the window and LMC
    for appeal in (first, second):
        timeline = (await hall.data(RISK, {"id": appeal["id"]}))["petition"]
        assert [e["data"] for e in timeline["events"] if e["kind"] == "RISK_ALERT"] == [
            {"riskLevel": "HIGH", "source": "SCREENING"}
        ]
        assert timeline["riskLevel"] == "HIGH" and not timeline["screeningSuggested"]
    await handlers_see_the_level_only(handlers, second["id"], "HIGH")
    await handlers_see_the_level_only({factories.WINDOW: window}, first["id"], "HIGH")
    # And the court, which handles none of her appeals, sees nothing at all
    assert (await court.data(RISK, {"id": second["id"]}))["petition"] is None
    assert (await court.data(SCREENINGS, {"p": None}))["screenings"]["totalCount"] == 0

    # When the centre counsels her and her adopted son more than ten times
    for n in range(12):
        await psy.data(
            SESSION,
            {
                "p": second["id"],
                "input": {
                    "kind": "ON_SITE",
                    "counsellor": "张咨询师",
                    "minutes": 50,
                    "participants": ["本人", "养子"] if n % 3 == 0 else ["本人"],
                    "notes": SESSION_NOTE,
                    "nextStep": "两周后再谈",
                },
            },
        )
    # and visits her at home sixty times, fifty-two of them refused (拒访)
    for n in range(60):
        await psy.data(
            SESSION,
            {
                "p": second["id"],
                "input": {
                    "kind": "HOME_VISIT",
                    "counsellor": "张咨询师",
                    "refused": n < 52,
                    "minutes": 0 if n < 52 else 40,
                    "participants": [] if n < 52 else ["本人"],
                },
            },
        )
    # Then the centre's own lists count them, by the appeal it was referred or by person
    # (the first appeal is not the centre's: it finds nothing through it)
    nothing = await psy.data(SESSIONS, {"p": first["id"]})
    assert nothing["careSessions"]["totalCount"] == 0
    for whose in ({"p": second["id"]}, {"person": screened["personId"]}):
        counted = {
            key: (await psy.data(SESSIONS, {**whose, **where}))["careSessions"]
            for key, where in {
                "counselling": {"kind": "ON_SITE"},
                "visits": {"kind": "HOME_VISIT"},
                "refused": {"kind": "HOME_VISIT", "refused": True},
            }.items()
        }
        assert counted["counselling"]["totalCount"] == 12
        assert (
            sum("养子" in e["node"]["participants"] for e in counted["counselling"]["edges"]) == 4
        )
        assert counted["visits"]["totalCount"] == 60
        assert counted["refused"]["totalCount"] == 52
    # And a refused visit must be a home visit; a bad score is the caller's mistake
    refused_call = await psy.error(
        SESSION,
        {
            "p": second["id"],
            "input": {"kind": "HOTLINE", "counsellor": "张咨询师", "refused": True},
        },
    )
    assert refused_call["extensions"] == {"code": "BAD_USER_INPUT", "field": "refused"}
    bad_score = await psy.error(
        SCREEN,
        {"p": second["id"], "input": {"instrument": "SCL-90", "score": -1, "riskLevel": "LOW"}},
    )
    assert bad_score["extensions"] == {"code": "BAD_USER_INPUT", "field": "score"}
    # And no handler may write the centre's records
    forbidden = await lmc.error(
        SCREEN,
        {"p": second["id"], "input": {"instrument": "SCL-90", "score": 1, "riskLevel": "LOW"}},
    )
    assert forbidden["extensions"]["code"] == "FORBIDDEN"
    await handlers_see_the_level_only(handlers, second["id"], "HIGH")

    # When the hall makes it a backlog case with its leader in charge, reviewed monthly
    leader = staff_users["hall_leader"]
    case = (await hall.data(OPEN_CASE, {"p": second["id"], "leader": leader}))["openBacklogCase"]
    assert case["leaderName"] == "大厅负责人" and case["reviewEveryDays"] == 30
    assert case["version"] == 1 and case["reviewOverdue"] is False and case["ageDays"] == 0
    today = date.fromisoformat(case["nextReviewDue"]) - timedelta(days=30)
    not_a_leader = await hall.error(OPEN_CASE, {"p": first["id"], "leader": "t.lmc.handler"})
    assert not_a_leader["extensions"] == {"code": "BAD_USER_INPUT", "field": "leaderUsername"}
    for _month in range(3):
        case = (await hall.data(REVIEW, {"id": case["id"], "v": case["version"]}))[
            "reviewBacklogCase"
        ]
        assert date.fromisoformat(case["nextReviewDue"]) == today + timedelta(days=30)
    assert case["reviewedOnTime"] == 3 and case["version"] == 4
    stale = await hall.error(REVIEW, {"id": case["id"], "v": 1})
    assert stale["extensions"]["code"] == "CONFLICT"
    due = (today + timedelta(days=10)).isoformat()
    case = (await hall.data(SUPERVISE, {"id": case["id"], "due": due}))["superviseBacklogCase"]
    assert case["supervision"].startswith("限期") and case["supervisionDue"] == due
    refused_supervision = await lmc.error(SUPERVISE, {"id": case["id"], "due": due})
    assert refused_supervision["extensions"]["code"] == "FORBIDDEN"
    # The board: the hall and the lead handler see it; the court does not
    assert (await hall.data(BOARD, {"open": True}))["backlogCases"]["totalCount"] >= 1
    assert any(
        e["node"]["id"] == case["id"]
        for e in (await lmc.data(BOARD, {"open": True}))["backlogCases"]["edges"]
    )
    assert (await court.data(BOARD, {"open": None}))["backlogCases"]["totalCount"] == 0

    # When it is settled: answered, the feedback recorded, the case closed (销号)
    early = await hall.error(CLOSE_CASE, {"id": case["id"]})
    assert early["extensions"]["code"] == "BAD_USER_INPUT"
    await step(
        lmc, "answerPetition", id=second["id"], answer="经调解，宅基地按协议分割，前夫已腾退"
    )
    await step(hall, "recordFeedback", id=second["id"], satisfaction="SATISFIED", comment="满意")
    case = (await hall.data(CLOSE_CASE, {"id": case["id"]}))["closeBacklogCase"]
    assert case["closedAt"] and case["assessment"].startswith("宅基地分割")
    closed = await step(hall, "closePetition", id=second["id"], resolved=True)
    assert closed["status"] == "CLOSED" and closed["backlog"] is False
    assert any(
        e["node"]["id"] == case["id"]
        for e in (await hall.data(BOARD, {"open": False}))["backlogCases"]["edges"]
    )
    await handlers_see_the_level_only(handlers, second["id"], "HIGH")
    timeline = (await hall.data(RISK, {"id": second["id"]}))["petition"]["events"]
    kinds = [e["kind"] for e in timeline]
    for kind in (
        "RISK_FLAGGED",
        "SCREENED",
        "RISK_ALERT",
        "BACKLOG_MARKED",
        "BACKLOG_REVIEWED",
        "BACKLOG_SUPERVISED",
        "BACKLOG_CLEARED",
        "CLOSED",
    ):
        assert kind in kinds, kind
    assert _leaks(timeline) == []

    # And the figures count the case opened, its reviews on time, and its settling — for
    # the hall; the court's figures hold none of it
    figures = {}
    for org, client in ((factories.HALL, hall), (factories.COURT, court)):
        figures[org] = (
            await client.data(
                FIGURES, {"period": {"from": today.isoformat(), "to": today.isoformat()}}
            )
        )["stats"]["backlogCases"]
    assert figures[factories.HALL]["opened"] >= 1
    assert figures[factories.HALL]["reviewedOnTime"] >= 3
    assert figures[factories.HALL]["settled"] >= 1
    assert figures[factories.COURT] == {
        "opened": 0,
        "reviews": 0,
        "reviewedOnTime": 0,
        "settled": 0,
    }

    # And every read of the centre's notes and scores was audited as psychological data
    async with sessionmaker() as session:
        audited = list(
            await session.scalars(
                select(models.AuditEntry).where(
                    models.AuditEntry.action == "READ_PSYCH_DATA",
                    models.AuditEntry.organisation_id == world.organisations[factories.PSY],
                )
            )
        )
    kinds_audited = {entry.object_kind for entry in audited}
    assert {"Screening", "CareSession"} <= kinds_audited
    assert int(screened["id"]) in {
        i for e in audited if e.object_kind == "Screening" for i in e.object_ids
    }


async def test_a_crisis_alerts_every_open_appeal_at_once(client_for):
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    psy = await client_for(factories.PSY)
    person = {"petitioner": {"name": "王某", "idNumber": factories.resident_id()}}
    one = await factories.submit(window, title="危机一", **person)
    two = await factories.submit(window, title="危机二", **person)
    await step(hall, "acceptPetition", id=one["id"])
    await step(hall, "assignPetition", id=one["id"], organisationCode=factories.PSY, role="LEAD")
    await psy.data(
        'mutation($p: ID!) { recordCrisis(petitionId: $p, notes: "天台徘徊，已报警") { id } }',
        {"p": one["id"]},
    )
    for appeal in (one, two):
        seen = (await window.data(RISK, {"id": appeal["id"]}))["petition"]
        assert seen["riskLevel"] == "CRISIS"
        crisis = [e["data"] for e in seen["events"] if e["kind"] == "CRISIS"]
        assert crisis == [{"riskLevel": "CRISIS", "source": "CRISIS"}]
        assert "天台" not in json.dumps(seen, ensure_ascii=False)


ORGANISATIONS = [
    factories.HALL,
    factories.WINDOW,
    factories.STREET,
    factories.LMC,
    factories.PSY,
    factories.COURT,
    factories.OTHER_STREET,
    factories.OTHER_WINDOW,
]
# Who sees what of a screened person (DOMAIN.md's slice table, care rows). The appeal is
# received by the Liulian window and assigned to LMC (lead) and PSY (assisting).
SEES_APPEAL = {factories.HALL, factories.WINDOW, factories.STREET, factories.LMC, factories.PSY}
READS_NOTES = {factories.PSY}
SCREENING_IDS: dict[str, str] = {}


@pytest.fixture
async def screened(client_for) -> str:
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    psy = await client_for(factories.PSY)
    appeal = await factories.submit(window, title="矩阵心理")
    await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD")
    await step(
        hall, "assignPetition", id=appeal["id"], organisationCode=factories.PSY, role="ASSISTING"
    )
    made = await psy.data(
        SCREEN,
        {
            "p": appeal["id"],
            "input": {
                "instrument": "PHQ-9",
                "score": SCORE,
                "riskLevel": "HIGH",
                "notes": SCREENING_NOTE,
            },
        },
    )
    SCREENING_IDS[str(appeal["id"])] = made["recordScreening"]["id"]
    return str(appeal["id"])


@pytest.mark.parametrize("org", ORGANISATIONS)
async def test_the_care_rows_of_the_access_matrix(org, screened, client_for):
    client = await client_for(org)
    seen = (await client.data(RISK, {"id": screened}))["petition"]
    entity = (
        await client.data(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Petition { riskLevel } } }",
            {"r": [{"__typename": "Petition", "id": screened}]},
        )
    )["_entities"][0]
    listed = (await client.data(SCREENINGS, {"p": screened}))["screenings"]
    screening_entity = (
        await client.data(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Screening { score } } }",
            {"r": [{"__typename": "Screening", "id": SCREENING_IDS[screened]}]},
        )
    )["_entities"][0]
    everything = (await client.data(SCREENINGS, {"p": None}))["screenings"]
    if org in SEES_APPEAL:
        assert seen["riskLevel"] == "HIGH" and entity == {"riskLevel": "HIGH"}, org
        assert _leaks(seen) == [], org
    else:
        assert seen is None and entity is None, org
    if org in READS_NOTES:
        assert listed["edges"][0]["node"] == {
            "riskLevel": "HIGH",
            "score": SCORE,
            "notes": SCREENING_NOTE,
        }
        assert screening_entity == {"score": SCORE}
    else:
        assert listed["totalCount"] == 0 and everything["totalCount"] == 0, org
        assert screening_entity is None, org


def test_a_review_or_a_supervision_past_its_day_is_overdue():
    case = models.BacklogCase(
        next_review_due=date(2026, 3, 1),
        supervision_due=date(2026, 3, 5),
        reviews=[{"onTime": True}, {"onTime": False}],
        closed_at=None,
    )
    on_time = standing(case, date(2026, 3, 1), date(2026, 1, 1))
    assert (on_time.review_overdue, on_time.supervision_overdue) == (False, False)
    late = standing(case, date(2026, 3, 6), date(2026, 1, 1))
    assert (late.review_overdue, late.supervision_overdue, late.age_days) == (True, True, 64)
    assert late.reviewed_on_time == 1
