"""The backlog board's steps and filters: the hall opens a backlog case on an appeal
(leader in charge, plan, cadence), the leader in charge reviews it, the hall closes it
(销号) after the feedback — the same resolvers as GraphQL, each with its event; a stale
board gets CONFLICT and changes nothing; nobody else finds the forms."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from db import models
from db.models import EventKind
from tests import factories
from tests.steps import step

PLAN = "包案领导牵头，约谈用人单位，分期支付"


async def _appeal(client_for, **overrides) -> dict:
    """An appeal accepted by the hall and led by the labour committee."""
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    appeal = await factories.submit(
        window, title=f"积案{uuid.uuid4().hex[:6]} 多年欠薪", **overrides
    )
    await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD")
    return appeal


async def _case(sessionmaker, number: str) -> models.BacklogCase | None:
    async with sessionmaker() as session:
        return await session.scalar(
            select(models.BacklogCase)
            .join(models.Petition, models.Petition.id == models.BacklogCase.petition_id)
            .where(models.Petition.number == number)
        )


async def _events(sessionmaker, number: str) -> list[EventKind]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(models.PetitionEvent.kind)
                .join(models.Petition, models.Petition.id == models.PetitionEvent.petition_id)
                .where(models.Petition.number == number)
                .order_by(models.PetitionEvent.id)
            )
        )


async def test_a_backlog_case_is_opened_reviewed_and_closed_on_the_board(
    sign_in_as, client_for, staff_users, sessionmaker
):
    appeal = await _appeal(client_for)
    dispatcher = await sign_in_as("hall_dispatcher")
    page = await dispatcher.get("/backlog/board")
    assert 'id="form-open"' in page.text and staff_users["hall_leader"] in page.text

    # When the hall's dispatcher opens a backlog case on the appeal (htmx)
    opened = await dispatcher.post(
        "/backlog/board/open",
        {
            "number": appeal["number"],
            "leaderUsername": staff_users["hall_leader"],
            "plan": PLAN,
            "reviewEveryDays": "30",
        },
        htmx=True,
    )
    # Then the board's part comes back with the case, owned by the leader in charge
    assert opened.status_code == 200, opened.text
    assert opened.text.lstrip().startswith('<div id="backlog-board">')
    assert appeal["number"] in opened.text and "大厅负责人" in opened.text
    assert 'role="alert"' not in opened.text and "反馈后可销号" in opened.text
    case = await _case(sessionmaker, appeal["number"])
    assert case is not None and case.plan == PLAN and case.review_every_days == 30
    assert EventKind.BACKLOG_MARKED in await _events(sessionmaker, appeal["number"])

    # When the leader in charge records a review from the board
    leader = await sign_in_as("hall_leader")
    board = await leader.get("/backlog/board?mine=1")
    assert f'id="form-review-{case.id}"' in board.text
    reviewed = await leader.post(
        f"/backlog/board/{case.id}/review",
        {"note": "约谈企业负责人，承诺月底前支付首期", "version": str(case.version)},
        follow_redirects=False,
    )
    assert reviewed.status_code == 303
    assert EventKind.BACKLOG_REVIEWED in await _events(sessionmaker, appeal["number"])

    # And the appeal is answered and the feedback recorded
    lmc = await client_for(factories.LMC)
    hall = await client_for(factories.HALL)
    await step(lmc, "acceptAssignment", id=appeal["id"])
    await step(lmc, "answerPetition", id=appeal["id"], answer="已分期足额支付")
    await step(hall, "recordFeedback", id=appeal["id"], satisfaction="SATISFIED")
    board = await dispatcher.get("/backlog/board")
    assert f'id="form-close-{case.id}"' in board.text

    # When the dispatcher closes it from a board read before the review: CONFLICT
    stale = await dispatcher.post(
        f"/backlog/board/{case.id}/close",
        {"assessment": "欠薪已清偿", "version": str(case.version)},
    )
    assert stale.status_code == 409
    assert "此积案刚被他人更改" in stale.text and "欠薪已清偿" in stale.text
    still = await _case(sessionmaker, appeal["number"])
    assert still is not None and still.closed_at is None
    # Then with the current version the case is closed (销号), with its event
    closed = await dispatcher.post(
        f"/backlog/board/{case.id}/close",
        {"assessment": "欠薪已清偿，当事人满意", "version": str(still.version)},
        htmx=True,
    )
    assert closed.status_code == 200 and 'role="alert"' not in closed.text
    done = await _case(sessionmaker, appeal["number"])
    assert done is not None and done.closed_at and done.assessment == "欠薪已清偿，当事人满意"
    assert (await _events(sessionmaker, appeal["number"]))[-1] is EventKind.BACKLOG_CLEARED
    assert "已销号" in (await dispatcher.get("/backlog/board?state=closed")).text


async def test_opening_refuses_with_the_field_and_keeps_the_form(
    sign_in_as, client_for, staff_users, sessionmaker
):
    appeal = await _appeal(client_for)
    dispatcher = await sign_in_as("hall_dispatcher")
    # A staff member who is not a leader cannot be the leader in charge
    answer = await dispatcher.post(
        "/backlog/board/open",
        {"number": appeal["number"], "leaderUsername": staff_users["lmc_handler"], "plan": PLAN},
    )
    assert answer.status_code == 400 and 'id="err-open"' in answer.text
    assert "包案领导" in answer.text and PLAN in answer.text
    # An appeal nobody (here) can see is simply not found, on the form
    missing = await dispatcher.post(
        "/backlog/board/open",
        {"number": "NO-SUCH-1", "leaderUsername": staff_users["hall_leader"], "plan": PLAN},
    )
    assert missing.status_code == 400 and 'id="err-open"' in missing.text
    assert await _case(sessionmaker, appeal["number"]) is None


async def test_nobody_else_finds_the_board_forms(sign_in_as, client_for, staff_users, sessionmaker):
    appeal = await _appeal(client_for)
    hall = await client_for(factories.HALL)
    await hall.data(
        "mutation($p: ID!, $l: String!) { openBacklogCase(petitionId: $p, leaderUsername: $l, "
        'plan: "包案化解") { id } }',
        {"p": appeal["id"], "l": staff_users["hall_leader"]},
    )
    case = await _case(sessionmaker, appeal["number"])
    assert case is not None
    for who in ("lmc_handler", "court_clerk", "psy_counsellor"):
        other = await sign_in_as(who)
        board = await other.get("/backlog/board")
        assert 'id="form-open"' not in board.text and "form-close" not in board.text
        assert f"form-review-{case.id}" not in board.text
        for url, data in (
            ("/backlog/board/open", {"number": appeal["number"], "plan": PLAN}),
            (f"/backlog/board/{case.id}/review", {"note": "越权"}),
            (f"/backlog/board/{case.id}/close", {"assessment": "越权"}),
        ):
            assert (await other.post(url, data)).status_code == 404, (who, url)
    after = await _case(sessionmaker, appeal["number"])
    assert after is not None and after.reviews == [] and after.closed_at is None


async def test_the_board_filters_by_street_organisation_age_and_state(
    sign_in_as, client_for, staff_users
):
    here = await _appeal(client_for)
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    there = await factories.submit(
        window, title=f"积案{uuid.uuid4().hex[:6]} 马峦", communityCode=factories.OTHER_COMMUNITY
    )
    await step(hall, "acceptPetition", id=there["id"])
    for appeal in (here, there):
        await hall.data(
            "mutation($p: ID!, $l: String!) { openBacklogCase(petitionId: $p, "
            'leaderUsername: $l, plan: "包案化解") { id } }',
            {"p": appeal["id"], "l": staff_users["hall_leader"]},
        )
    dispatcher = await sign_in_as("hall_dispatcher")

    async def shown(query: str) -> set[str]:
        text = (await dispatcher.get(f"/backlog/board?{query}")).text
        return {a["number"] for a in (here, there) if a["number"] in text}

    both = {here["number"], there["number"]}
    assert await shown("") == both
    assert await shown("street=PS-S-MALUAN") == {there["number"]}
    assert await shown(f"organisation={factories.LMC}") == {here["number"]}
    assert await shown("age=30") == set()  # opened today
    assert await shown("state=open") == both
    assert await shown("state=closed") == set()
    assert await shown("age=7") == both  # not a choice: ignored


async def test_the_board_costs_the_same_for_more_cases(server, sign_in_as, client_for, staff_users):
    hall = await client_for(factories.HALL)
    dispatcher = await sign_in_as("hall_dispatcher")

    async def opened() -> None:
        appeal = await _appeal(client_for)
        await hall.data(
            "mutation($p: ID!, $l: String!) { openBacklogCase(petitionId: $p, "
            'leaderUsername: $l, plan: "包案化解") { id } }',
            {"p": appeal["id"], "l": staff_users["hall_leader"]},
        )

    counts = []
    for more in (1, 3):
        for _ in range(more):
            await opened()
        server.statements.reset()
        board = await dispatcher.get("/backlog/board")
        counts.append(server.statements.count)
        assert board.status_code == 200
    assert counts[0] == counts[1], counts
    assert board.text.count('id="form-review-') >= 4  # the cases and their forms are there
