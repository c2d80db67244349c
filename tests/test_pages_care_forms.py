"""The care centre's forms on a person's record: a counsellor records a screening, a
session (a refused home visit too), a plan and a crisis through the pages, with the same
resolvers as GraphQL; everyone else finds no such forms, and a handler still sees only
the risk level."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from db import models
from tests import factories
from tests.steps import step
from tests.test_care_story import RISK

NOTE = "独居，提及轻生念头，夜间难以入睡"
SCORE = "163"
VISIT_NOTE = "敲门未应，邻居称其在家"


@pytest.fixture
async def referred(client_for, sessionmaker):
    """An appeal led by the labour committee and referred to the care centre: its number,
    GraphQL id and the person's id."""
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    appeal = await factories.submit(window, title=f"关爱{uuid.uuid4().hex[:6]} 拖欠工资")
    await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD")
    await step(
        hall, "assignPetition", id=appeal["id"], organisationCode=factories.PSY, role="ASSISTING"
    )
    async with sessionmaker() as session:
        person = await session.scalar(
            select(models.Petition.petitioner_id).where(models.Petition.number == appeal["number"])
        )
    return appeal | {"person": person}


async def _count(sessionmaker, model, person: int) -> int:
    async with sessionmaker() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(model).where(model.petitioner_id == person)
            )
            or 0
        )


async def test_a_counsellor_records_care_on_the_page(
    sign_in_as, referred, client_for, sessionmaker
):
    centre = await sign_in_as("psy_counsellor")
    person = referred["person"]
    # Given the appeal referred to the centre, waiting for a screening
    listing = await centre.get("/care")
    assert f"/care/people/{person}" in listing.text and referred["number"] in listing.text
    page = await centre.get(f"/care/people/{person}")
    assert page.status_code == 200 and 'id="care-screening"' in page.text

    # When the counsellor records a screening at HIGH risk through htmx
    screened = await centre.post(
        f"/care/people/{person}/record/screening",
        {"instrument": "SCL-90", "score": SCORE, "riskLevel": "HIGH", "notes": NOTE},
        htmx=True,
    )
    # Then the record's part comes back with it, the form empty again
    assert screened.status_code == 200, screened.text
    assert screened.text.lstrip().startswith('<div id="care-person">')
    assert f"<td>{SCORE}</td>" in screened.text and NOTE in screened.text
    assert 'role="alert"' not in screened.text

    # When it records a refused home visit (a plain form), a plan and a crisis
    visit = await centre.post(
        f"/care/people/{person}/record/session",
        {
            "kind": "HOME_VISIT",
            "refused": "1",
            "counsellor": "张咨询师",
            "participants": "本人、养子",
            "minutes": "30",
            "notes": VISIT_NOTE,
        },
        follow_redirects=False,
    )
    assert visit.status_code == 303 and visit.headers["location"] == f"/care/people/{person}"
    plan = await centre.post(
        f"/care/people/{person}/record/plan",
        {"goals": "稳定情绪，每周一次电话回访", "reviewDates": ["2026-12-15", "2027-01-15", ""]},
        htmx=True,
    )
    assert "2026-12-15、2027-01-15" in plan.text
    crisis = await centre.post(
        f"/care/people/{person}/record/crisis",
        {"notes": "来电称欲轻生，已联系家属与派出所"},
        htmx=True,
    )
    assert "来电称欲轻生" in crisis.text

    # Then they are stored as GraphQL would store them: the visit refused, no minutes
    async with sessionmaker() as session:
        visits = list(
            await session.scalars(
                select(models.CareSession).where(models.CareSession.petitioner_id == person)
            )
        )
    assert [(v.kind, v.refused, v.minutes, v.participants) for v in visits] == [
        (models.CareSessionKind.HOME_VISIT, True, 0, ["本人", "养子"])
    ]
    record = await centre.get(f"/care/people/{person}")
    assert "拒访 1" in record.text and VISIT_NOTE in record.text
    # And the handler of the appeal sees the level (CRISIS now), never a note or a score
    lmc = await client_for(factories.LMC)
    seen = (await lmc.data(RISK, {"id": referred["id"]}))["petition"]
    assert seen["riskLevel"] == "CRISIS"
    kinds = [e["kind"] for e in seen["events"]]
    assert {"SCREENED", "RISK_ALERT", "CRISIS"} <= set(kinds)
    for event in seen["events"]:
        assert NOTE not in str(event["data"]) and SCORE not in str(event["data"])


@pytest.mark.parametrize("score", ["1001", "十", "-3"])
async def test_a_bad_score_comes_back_with_its_field_and_nothing_is_stored(
    sign_in_as, referred, sessionmaker, score
):
    centre = await sign_in_as("psy_counsellor")
    person = referred["person"]
    answer = await centre.post(
        f"/care/people/{person}/record/screening",
        {"instrument": "PHQ-9", "score": score, "riskLevel": "MEDIUM", "notes": NOTE},
    )
    # Then the form comes back (400) with the score marked and what was typed kept
    assert answer.status_code == 400
    assert 'id="err-care-screening"' in answer.text and "得分" in answer.text
    assert (
        f'name="score" required inputmode="numeric" value="{score}" aria-invalid="true"'
        in answer.text
    )
    assert 'value="PHQ-9"' in answer.text and NOTE in answer.text
    assert '<option value="MEDIUM" selected>' in answer.text
    assert await _count(sessionmaker, models.Screening, person) == 0


async def test_only_a_home_visit_can_be_refused_on_the_page(sign_in_as, referred, sessionmaker):
    centre = await sign_in_as("psy_counsellor")
    answer = await centre.post(
        f"/care/people/{referred['person']}/record/session",
        {"kind": "HOTLINE", "refused": "1", "counsellor": "张咨询师"},
        htmx=True,
    )
    assert answer.status_code == 200 and 'id="err-care-session"' in answer.text
    assert 'name="refused" value="1" checked aria-invalid="true"' in answer.text
    assert await _count(sessionmaker, models.CareSession, referred["person"]) == 0


@pytest.mark.parametrize("who", ["lmc_handler", "hall_dispatcher", "court_clerk"])
async def test_the_care_forms_do_not_exist_for_anyone_else(sign_in_as, referred, sessionmaker, who):
    person = referred["person"]
    other = await sign_in_as(who)
    for kind in ("screening", "session", "plan", "crisis"):
        answer = await other.post(
            f"/care/people/{person}/record/{kind}",
            {"instrument": "SCL-90", "score": "1", "riskLevel": "HIGH", "notes": NOTE},
        )
        assert answer.status_code == 404, (who, kind)
    assert (await other.get(f"/care/people/{person}")).status_code == 404
    assert await _count(sessionmaker, models.Screening, person) == 0
    assert await _count(sessionmaker, models.CrisisRecord, person) == 0


async def test_a_person_not_referred_has_no_record_to_write_on(
    sign_in_as, client_for, sessionmaker
):
    # Given an appeal the care centre was never given
    window = await client_for(factories.WINDOW)
    appeal = await factories.submit(window)
    async with sessionmaker() as session:
        person = await session.scalar(
            select(models.Petition.petitioner_id).where(models.Petition.number == appeal["number"])
        )
    centre = await sign_in_as("psy_counsellor")
    assert (await centre.get(f"/care/people/{person}")).status_code == 404
    answer = await centre.post(f"/care/people/{person}/record/crisis", {"notes": "无中生有的记录"})
    assert answer.status_code == 404
    assert await _count(sessionmaker, models.CrisisRecord, person) == 0
