"""The care centre's pages, the risk badge on the handlers' pages, and the backlog board."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from db import models
from resolvers.access import tokens
from tests import factories, staff
from tests.steps import step
from tests.test_care_story import SCORE, SCREEN, SCREENING_NOTE, SESSION

COUNSELLOR = "t.psy.counsellor"


@pytest.fixture(scope="session")
async def counsellor(sessionmaker, world) -> str:
    async with sessionmaker() as session:
        existing = set(await session.scalars(select(models.StaffUser.username)))
        if COUNSELLOR not in existing:
            await tokens.create_user(
                session=session,
                caller=None,
                organisation_code=factories.PSY,
                username=COUNSELLOR,
                password=staff.PASSWORD,
                roles=[models.Role.COUNSELLOR],
                display_name="心理咨询师",
            )
    return COUNSELLOR


async def _signed_in(server, username: str) -> httpx.AsyncClient:
    http = httpx.AsyncClient(base_url=server.url, timeout=30)
    token = staff.csrf_of((await http.get("/login")).text)
    signed = await http.post(
        "/login",
        data={
            "username": username,
            "password": staff.PASSWORD,
            "csrf_token": token,
            "next": "/petitions",
        },
    )
    assert signed.status_code == 303, signed.text
    return http


async def test_the_care_pages_show_notes_to_the_centre_alone(
    server, client_for, sign_in_as, counsellor, sessionmaker, world
):
    # Given a person screened HIGH and visited at home (two visits, one refused)
    marker = f"关爱{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    psy = await client_for(factories.PSY)
    appeal = await factories.submit(window, title=f"{marker} 宅基地")
    await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD")
    await step(
        hall, "assignPetition", id=appeal["id"], organisationCode=factories.PSY, role="ASSISTING"
    )
    screened = (
        await psy.data(
            SCREEN,
            {
                "p": appeal["id"],
                "input": {
                    "instrument": "SCL-90",
                    "score": SCORE,
                    "riskLevel": "HIGH",
                    "notes": SCREENING_NOTE,
                },
            },
        )
    )["recordScreening"]
    for refused in (True, False):
        await psy.data(
            SESSION,
            {
                "p": appeal["id"],
                "input": {"kind": "HOME_VISIT", "counsellor": "张咨询师", "refused": refused},
            },
        )

    # When the centre's counsellor opens the care pages
    centre = await _signed_in(server, counsellor)
    try:
        listing = await centre.get("/care")
        person = await centre.get(f"/care/people/{screened['personId']}")
    finally:
        await centre.aclose()
    # Then the person is listed at high risk, with the score, the notes and the visit log
    assert listing.status_code == 200 and "高风险" in listing.text
    assert person.status_code == 200
    assert SCREENING_NOTE in person.text and f"<td>{SCORE}</td>" in person.text
    assert "拒访" in person.text
    # And the page's read is audited as psychological data
    async with sessionmaker() as session:
        entries = list(
            await session.scalars(
                select(models.AuditEntry).where(
                    models.AuditEntry.action == "READ_PSYCH_DATA",
                    models.AuditEntry.path == "page",
                    models.AuditEntry.organisation_id == world.organisations[factories.PSY],
                )
            )
        )
    assert any(int(screened["id"]) in e.object_ids for e in entries if e.object_kind == "Screening")

    # When the lead handler opens its worklist and the appeal
    handler = await sign_in_as("lmc_handler")
    worklist = await handler.get(f"/petitions?q={marker}")
    page = await handler.get(f"/petitions/{appeal['number']}")
    # Then it sees the risk badge, never the score or the notes; the care pages do not exist
    assert "高风险" in worklist.text and "高风险" in page.text
    for text in (worklist.text, page.text):
        assert SCREENING_NOTE not in text and f">{SCORE}<" not in text
    assert (await handler.get("/care")).status_code == 404
    assert (await handler.get(f"/care/people/{screened['personId']}")).status_code == 404


async def test_the_backlog_board_shows_owner_age_and_reviews(client_for, sign_in_as, staff_users):
    marker = f"积案{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    appeal = await factories.submit(window, title=f"{marker} 多年未决")
    await step(hall, "acceptPetition", id=appeal["id"])
    await hall.data(
        "mutation($p: ID!, $l: String!) { openBacklogCase(petitionId: $p, leaderUsername: $l, "
        'plan: "包案化解", reviewEveryDays: 30) { id } }',
        {"p": appeal["id"], "l": staff_users["hall_leader"]},
    )
    board = await (await sign_in_as("hall_dispatcher")).get("/backlog/board")
    assert board.status_code == 200
    assert appeal["number"] in board.text and "大厅负责人" in board.text
    assert "化解中" in board.text
    court = await (await sign_in_as("court_clerk")).get("/backlog/board")
    assert appeal["number"] not in court.text
