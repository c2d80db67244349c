"""One rule for how an appeal stands against its deadline: the SQL predicates (lists,
counts, figures, the watcher) and the badge a page shows agree on every appeal."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db import models
from resolvers.deadlines import standing
from resolvers.deadlines.calendars import load_calendar
from resolvers.services import Services
from tests import factories
from tests.factories import submit

# Offsets from now covering overdue, due today, tomorrow, after a weekend and far ahead.
OFFSETS = [
    timedelta(days=-3),
    timedelta(hours=-1),
    timedelta(hours=1),
    timedelta(hours=20),
    timedelta(days=1, hours=6),
    timedelta(days=2),
    timedelta(days=4),
    timedelta(days=9),
]


async def test_the_badge_and_the_sql_agree(client_for, sessionmaker, settings):
    window = await client_for(factories.WINDOW)
    appeals = [await submit(window) for _ in OFFSETS]
    ids = [int(a["id"]) for a in appeals]
    now = models.utcnow()
    async with sessionmaker() as session:
        services = Services(settings, calendar=await load_calendar(session))
        for petition_id, offset in zip(ids, OFFSETS, strict=True):
            (await session.get(models.Petition, petition_id)).due_at = now + offset
        await session.commit()
        in_ids = models.Petition.id.in_(ids)
        overdue = set(
            await session.scalars(select(models.Petition.id).where(in_ids, standing.overdue(now)))
        )
        soon = set(
            await session.scalars(
                select(models.Petition.id).where(in_ids, standing.due_soon(now, services))
            )
        )
        rows = (await session.scalars(select(models.Petition).where(in_ids))).all()
        badges = {row.id: standing.badge(row, services, now).kind for row in rows}

    assert overdue == {i for i, kind in badges.items() if kind == "overdue"} != set()
    assert soon == {i for i, kind in badges.items() if kind == "soon"} != set()
    assert {kind for kind in badges.values()} == {"overdue", "soon", "left"}
