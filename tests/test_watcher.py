"""The deadline watcher raises each alert exactly once, however many passes run at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from db import models
from db.models import AssignmentRole, EventKind
from resolvers.deadlines.calendars import load_calendar
from resolvers.deadlines.watcher import run_watch
from resolvers.services import Services
from tests import factories
from tests.factories import submit

KINDS = "query One($number: String!) { petition(number: $number) { events { kind } } }"


async def _alerts(session, petition_id: int) -> list[tuple[EventKind, int | None]]:
    rows = await session.execute(
        select(models.PetitionEvent.kind, models.PetitionEvent.assignment_id)
        .where(
            models.PetitionEvent.petition_id == petition_id,
            models.PetitionEvent.kind.in_((EventKind.DEADLINE_APPROACHING, EventKind.OVERDUE)),
        )
        .order_by(models.PetitionEvent.id)
    )
    return [(kind, assignment) for kind, assignment in rows.all()]


async def test_concurrent_passes_raise_each_alert_once(hall, window, sessionmaker, settings, world):
    # Given an overdue complaint with an overdue assignment, and a consultation due tomorrow
    late = await submit(window, receivedAt="2026-02-13T10:00:00+08:00")
    soon = await submit(window, category="CONSULTATION")
    now = models.utcnow()
    async with sessionmaker() as session:
        late_row = await session.get(models.Petition, int(late["id"]))
        soon_row = await session.get(models.Petition, int(soon["id"]))
        assignment = models.Assignment(
            petition_id=late_row.id,
            organisation_id=world.organisations[factories.LMC],
            role=AssignmentRole.LEAD,
            assigned_at=now - timedelta(days=30),
            due_at=now - timedelta(days=20),
        )
        session.add(assignment)
        await session.commit()
        services = Services(settings, calendar=await load_calendar(session))
        await session.commit()

    # When two watchers run the same pass at the same moment, and again after a "restart"
    async def one_pass() -> None:
        async with sessionmaker() as session:
            await run_watch(session, now, services)

    await asyncio.gather(one_pass(), one_pass())
    await asyncio.gather(one_pass(), one_pass(), one_pass())

    # Then each alert exists exactly once
    async with sessionmaker() as session:
        assert await _alerts(session, late_row.id) == [
            (EventKind.OVERDUE, None),
            (EventKind.OVERDUE, assignment.id),
        ]
        assert await _alerts(session, soon_row.id) == [(EventKind.DEADLINE_APPROACHING, None)]
        count = await session.scalar(
            select(func.count()).where(models.DeadlineAlert.petition_id == late_row.id)
        )
        assert count == 2
    # And they appear in the timeline
    data = await hall.data(KINDS, {"number": late["number"]})
    assert [e["kind"] for e in data["petition"]["events"]].count("OVERDUE") == 2
