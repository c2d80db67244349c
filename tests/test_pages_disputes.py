"""The chain's pages: referring an appeal to mediation, the mediator's case page and its
steps, the court station's confirmation requests, the tier board, the chain on the
appeal page — and a case outside the slice is the same 404 as no case."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from db import models
from db.models import Role
from resolvers.access import tokens
from tests import factories, staff
from tests.disputes import APAN, dispute_world, signed_in  # noqa: F401 - a fixture
from tests.factories import submit
from tests.steps import step


@pytest.fixture(scope="module")
async def apan_mediator(sessionmaker, dispute_world) -> str:  # noqa: F811
    async with sessionmaker() as session:
        known = await session.scalar(
            select(models.StaffUser).where(models.StaffUser.username == "t.apan.mediator")
        )
        if known is None:
            await tokens.create_user(
                session=session,
                caller=None,
                organisation_code=APAN,
                username="t.apan.mediator",
                password=staff.PASSWORD,
                roles=[Role.MEDIATOR],
                display_name="阿潘",
            )
    return "t.apan.mediator"


def _local_now() -> str:
    return models.utcnow().astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M")


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


async def test_a_mediation_from_the_appeal_page_to_judicial_confirmation(
    server, sign_in_as, client_for, apan_mediator
):
    # Given a family dispute the hall has accepted
    hall_api = await client_for(factories.HALL)
    appeal = await submit(hall_api, title="赡养纠纷页面", matter="FAMILY")
    await step(hall_api, "acceptPetition", id=appeal["id"])
    hall = await sign_in_as("hall_dispatcher")
    page = await hall.get(f"/petitions/{appeal['number']}")
    assert "访调心裁" in page.text and 'id="open-mediation"' in page.text

    # When the dispatcher refers it to 阿潘调解工作室 from the appeal page
    sent = await hall.post(
        f"/petitions/{appeal['number']}/mediation",
        data={
            "version": _version(page.text),
            "kind": "SOCIAL",
            "mediator": APAN,
            "mediator_name": "阿潘",
        },
    )
    assert sent.status_code == 303
    case_url = sent.headers["location"]
    assert re.fullmatch(r"/disputes/\d+", case_url)

    # Then the studio's mediator finds it in its cases and takes its steps on the case page
    mediator = await signed_in(server, apan_mediator)
    try:
        listed = await mediator.get("/disputes")
        assert case_url in listed.text
        case = await mediator.get(case_url)
        assert 'id="case-session"' in case.text and 'id="case-conclude"' in case.text
        held = await mediator.post(
            f"{case_url}/act/session",
            data={
                "version": _version(case.text),
                "held_at": _local_now(),
                "place_kind": "STUDIO",
                "place": "阿潘调解工作室",
                "attendees": "张某、张某某",
                "minutes": "子女轮流赡养",
            },
        )
        assert held.status_code == 303
        case = await mediator.get(case_url)
        wrong = await mediator.post(
            f"{case_url}/act/conclude",
            data={"version": _version(case.text), "outcome": "NO_AGREEMENT"},
        )
        assert wrong.status_code == 400 and "请填写理由" in wrong.text
        agreed = await mediator.post(
            f"{case_url}/act/conclude",
            data={"version": _version(case.text), "outcome": "AGREED", "terms": "每月轮流赡养"},
        )
        assert agreed.status_code == 303
        case = await mediator.get(case_url)
        asked = await mediator.post(
            f"{case_url}/act/request_confirmation",
            data={"version": _version(case.text), "court": "PS-COURT"},
        )
        assert asked.status_code == 303
    finally:
        await mediator.http.aclose()

    # And the court clerk sees the request among the station's and confirms it
    clerk = await sign_in_as("court_clerk")
    requests = await clerk.get("/disputes?confirmation=REQUESTED")
    assert case_url in requests.text
    case = await clerk.get(case_url)
    assert 'id="case-decide_confirmation"' in case.text and "子女轮流赡养" in case.text
    assert f"/petitions/{appeal['number']}" not in case.text  # the appeal is not its slice
    decided = await clerk.post(
        f"{case_url}/act/decide_confirmation",
        data={"version": _version(case.text), "confirmed": "1"},
    )
    assert decided.status_code == 303

    # The appeal page shows the chain at a glance
    page = await hall.get(f"/petitions/{appeal['number']}")
    assert "已确认" in page.text and "阿潘调解工作室" in page.text


async def test_a_case_outside_the_slice_is_the_same_404_as_none(
    sign_in_as,
    client_for,
    dispute_world,  # noqa: F811 - the fixture, imported
):
    hall_api = await client_for(factories.HALL)
    appeal = await submit(hall_api, title="邻里纠纷页面", matter="OTHER")
    await step(hall_api, "acceptPetition", id=appeal["id"])
    case = (
        await hall_api.data(
            'mutation($id: ID!) { openMediation(id: $id, kind: SOCIAL, mediatorCode: "PS-APAN") '
            "{ id } }",
            {"id": appeal["id"]},
        )
    )["openMediation"]
    handler = await sign_in_as("lmc_handler")
    outside = await handler.get(f"/disputes/{case['id']}")
    missing = await handler.get("/disputes/999999")
    assert outside.status_code == missing.status_code == 404
    assert outside.text == missing.text
    step_outside = await handler.post(
        f"/disputes/{case['id']}/act/session",
        data={"held_at": "2026-11-20T10:00", "place_kind": "STUDIO"},
    )
    assert step_outside.status_code == 404
    board = await handler.get("/disputes/tiers")
    assert board.status_code == 200 and "地铁项目分级调解看板" in board.text
