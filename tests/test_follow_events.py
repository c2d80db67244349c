"""The stream's resolvers: `follow_events` (behind the subscription and the pages'
server-sent events), the starting point, writers in commit order, publishing after commit."""

from __future__ import annotations

import asyncio

import pytest

from db import models
from db.engine import begin_write, create_sessionmaker
from resolvers.access import tokens
from resolvers.errors import BadUserInput, Forbidden
from resolvers.events.broker import MemoryBroker
from resolvers.events.publishing import publish_after_commit
from resolvers.events.stream import follow_events, starting_point
from resolvers.events.timeline import record_system_event
from tests import factories
from tests.factories import submit
from tests.steps import step


async def caller_for(sessionmaker, org, scopes=None):
    async with sessionmaker() as session:
        token = await factories.token(session, org, scopes)
        return await tokens.authenticate_token(session=session, token=token, now=models.utcnow())


async def take(events, count, seconds=5.0):
    async with asyncio.timeout(seconds):
        return [await anext(events) for _ in range(count)]


async def test_one_appeals_events_in_small_batches_then_new_ones_by_polling(
    sessionmaker, world, window, hall
):
    # Given two appeals, one with four events, and a broker nobody rings
    caller = await caller_for(sessionmaker, factories.HALL)
    async with sessionmaker() as session:
        start = await starting_point(session=session, caller=caller, after=None)
    appeal = await submit(window)
    other = await submit(window)
    for text in ("一", "二", "三"):
        await step(hall, "addNote", id=appeal["id"], text=text)

    # When following that appeal from before, two events a read
    events = follow_events(
        sessionmaker,
        caller,
        MemoryBroker(),
        start,
        petition_id=int(appeal["id"]),
        poll_interval=0.1,
        batch=2,
    )
    try:
        replayed = await take(events, 4)
        # Then its events come in order, the other appeal's never
        assert [e.kind.name for e in replayed] == ["SUBMITTED"] + ["NOTE_ADDED"] * 3
        assert [e.id for e in replayed] == sorted(e.id for e in replayed)
        assert {e.petition_id for e in replayed} == {int(appeal["id"])}

        # And a later event is found by polling alone
        await step(hall, "addNote", id=other["id"], text="别的")
        await step(hall, "addNote", id=appeal["id"], text="四")
        [later] = await take(events, 1)
        assert later.data["text"] == "四"
    finally:
        await events.aclose()


async def test_the_starting_point_checks_scope_and_cursor(sessionmaker, world):
    reader = await caller_for(sessionmaker, factories.HALL, ("petitions:read",))
    hall = await caller_for(sessionmaker, factories.HALL)
    async with sessionmaker() as session:
        with pytest.raises(Forbidden):
            await starting_point(session=session, caller=reader, after=None)
        with pytest.raises(BadUserInput):
            await starting_point(session=session, caller=hall, after="@@@")


async def test_writers_commit_one_at_a_time_so_ids_become_visible_in_order(sessionmaker):
    # Given a write unit under way (it would hold the next event id)
    async with sessionmaker() as first, sessionmaker() as second:
        await begin_write(first)

        # When another write unit starts, it waits for the first to end
        started = asyncio.create_task(begin_write(second))
        await asyncio.sleep(0.3)
        assert not started.done()
        await first.commit()
        await asyncio.wait_for(started, 5)
        await second.rollback()


async def test_a_commit_with_events_rings_the_broker_and_a_rollback_does_not(engine, window):
    # Given a publishing sessionmaker and an appeal
    broker = MemoryBroker()
    sessionmaker = create_sessionmaker(engine)
    publish_after_commit(sessionmaker, broker)
    appeal = await submit(window)

    async with broker.listen() as listener, sessionmaker() as session:
        # When a unit of work writes an event and rolls back, nothing rings
        await begin_write(session)
        record_system_event(
            session,
            petition_id=int(appeal["id"]),
            kind=models.EventKind.OVERDUE,
            occurred_at=models.utcnow(),
        )
        await session.flush()
        await session.rollback()
        assert not await listener.wait(0.2)

        # And when one commits, the broker hears its newest id, after the commit
        await begin_write(session)
        event = record_system_event(
            session,
            petition_id=int(appeal["id"]),
            kind=models.EventKind.OVERDUE,
            occurred_at=models.utcnow(),
        )
        await session.flush()
        assert not await listener.wait(0.05)
        await session.commit()
        assert await listener.wait(1)
        assert listener.newest == event.id

        # And a commit without events rings nothing
        await begin_write(session)
        await session.commit()
        assert not await listener.wait(0.2)
