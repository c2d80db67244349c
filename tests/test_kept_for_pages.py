"""我经办的 kept by triggers (migration 0014_pages_kept): the hall's count is one row of
`staff_appeal_counts`, and it stays equal to the appeals the person wrote an event on,
concurrent notes on the same appeal included."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import event, func, select

from db import models
from tests import factories
from tests.factories import submit
from tests.steps import step
from tests.test_pages_worklist import numbers_in
from tests.test_pages_worklist_views import counts


async def acted_on(sessionmaker, username: str) -> tuple[int, int]:
    """The appeals the person wrote an event on, counted from the events, and kept."""
    async with sessionmaker() as session:
        user_id = await session.scalar(
            select(models.StaffUser.id).where(models.StaffUser.username == username)
        )
        e = models.PetitionEvent
        counted = await session.scalar(
            select(func.count(func.distinct(e.petition_id))).where(e.actor_user_id == user_id)
        )
        kept = await session.scalar(
            select(models.StaffAppealCount.appeals).where(
                models.StaffAppealCount.user_id == user_id
            )
        )
        return int(counted or 0), int(kept or 0)


async def test_the_hall_mine_count_is_kept_under_concurrent_notes(
    server, sign_in_as, client_for, sessionmaker, staff_users
):
    marker = f"经办{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    made = [await submit(window, title=f"{marker} {i}") for i in range(3)]
    hall = await sign_in_as("hall_dispatcher")
    before = counts((await hall.get("/petitions")).text)["mine"]

    # Four notes at once on the first appeal, three on the second, none on the third.
    notes = [(made[0], i) for i in range(4)] + [(made[1], i) for i in range(3)]
    answers = await asyncio.gather(
        *(
            hall.post(f"/petitions/{m['number']}/act/note", {"text": f"{marker} {i}"})
            for m, i in notes
        )
    )
    assert all(a.status_code == 303 for a in answers), [a.status_code for a in answers]

    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(server.app.state.engine.sync_engine, "before_cursor_execute", seen)
    try:
        page = (await hall.get("/petitions")).text
    finally:
        event.remove(server.app.state.engine.sync_engine, "before_cursor_execute", seen)
    mine = (await hall.get(f"/petitions?q={marker}&view=mine")).text

    assert counts(page)["mine"] == before + 2
    assert await acted_on(sessionmaker, staff_users["hall_dispatcher"]) == (before + 2,) * 2
    # the unfiltered count read the kept row; filtered, it counts, and agrees
    assert any("staff_appeal_counts" in s for s in statements)
    assert counts(mine)["mine"] == 2
    assert sorted(numbers_in(mine)) == sorted(m["number"] for m in made[:2])


async def test_every_kept_count_is_the_count_of_the_events(sessionmaker):
    """Whatever the suite wrote so far (pages, the API, the demo's staff): for every staff
    member, the kept pairs and count are those of the events."""
    async with sessionmaker() as session:
        await assert_staff_kept(session)


async def assert_staff_kept(session) -> None:
    """The kept pairs and counts are those of the events (also after a bulk load:
    tests/test_slice_counts.py)."""
    e, pair, kept = models.PetitionEvent, models.StaffAppeal, models.StaffAppealCount
    events = set(
        (await session.execute(
            select(e.actor_user_id, e.petition_id).where(e.actor_user_id.is_not(None))
        )).all()
    )  # fmt: skip
    pairs = set((await session.execute(select(pair.user_id, pair.petition_id))).all())
    per_user = dict((await session.execute(select(kept.user_id, kept.appeals))).all())

    assert events and pairs == events
    expected: dict[int, int] = {}
    for user_id, _ in events:
        expected[user_id] = expected.get(user_id, 0) + 1
    assert per_user == expected


async def assert_leads_kept(session) -> None:
    """`lead_assignments` is the LEAD assignments with their appeal's matter, row for row."""
    a, p, lead = models.Assignment, models.Petition, models.LeadAssignment
    kept = set(
        (await session.execute(select(
            lead.assignment_id, lead.petition_id, lead.matter, lead.organisation_id,
            lead.assigned_at,
        ))).all()
    )  # fmt: skip
    leads = set(
        (await session.execute(
            select(a.id, a.petition_id, p.matter, a.organisation_id, a.assigned_at)
            .join(p, p.id == a.petition_id)
            .where(a.role == models.AssignmentRole.LEAD)
        )).all()
    )  # fmt: skip
    assert leads and kept == {(i, pid, m.name, o, at) for i, pid, m, o, at in leads}


async def test_the_lead_copy_is_the_lead_assignments_with_their_matter(client_for, sessionmaker):
    """Assigned, assisted, reclassified: `lead_assignments` is the LEAD assignments with
    their appeal's matter now, row for row."""
    window, hall = await client_for(factories.WINDOW), await client_for(factories.HALL)
    made = await submit(window, title=f"主办 {uuid.uuid4().hex[:6]}")
    await step(hall, "acceptPetition", id=made["id"])
    # (the care centre leads HOUSING in tests/test_dispatch.py too: no other test's
    # usual leads change)
    await step(hall, "assignPetition", id=made["id"], organisationCode=factories.PSY, role="LEAD")
    await step(
        hall, "assignPetition", id=made["id"], organisationCode=factories.COURT, role="ASSISTING"
    )
    before = await step(hall, "classifyPetition", id=made["id"], matter="HOUSING")
    assert before["matter"] == "HOUSING"

    async with sessionmaker() as session:
        await assert_leads_kept(session)
        lead = models.LeadAssignment
        mine = await session.scalar(select(lead.matter).where(lead.petition_id == int(made["id"])))

    assert mine == "HOUSING"
