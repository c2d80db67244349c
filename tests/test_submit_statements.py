"""A submission's cost in statements, and many submissions at once over HTTP.

Writers commit one at a time (`db/engine.py: begin_write`), so a submission's time
inside the writer lock is the hub's ceiling on submissions per second; these hold the
statements it sends where the database sees them (on PostgreSQL through the wire
counter `bench/pgcount.py`), so they cannot silently grow back.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select

from db import models
from db.engine import begin_write
from resolvers.pagination import decode_cursor
from tests import factories
from tests.conftest import BACKEND, GraphQLClient
from tests.factories import submission, submit
from tests.streams import subscription
from tests.test_event_stream import listening, token_of
from tests.test_read_statements import counted_server

# The bench's submission (`bench/run.py`): nothing asked that needs another read.
SUBMIT = """mutation($input: SubmitPetitionInput!) { submitPetition(input: $input) {
  id number status dueAt } }"""
# PostgreSQL, as the wire counts them: BEGIN; the token; the time limits and the
# community, with the petitioner's lock when an ID number is given; the petitioner's
# record and earlier appeals (only then); the one write, which takes the writer lock;
# COMMIT — a repeat as many. SQLite, as the engine counts them (BEGIN, not COMMIT): the
# token, the limits and community, BEGIN IMMEDIATE, the record and earlier appeals,
# then the petitioner, the number, the appeal and each event one statement each, the
# repeat links one a thousand.
EXPECTED = [6, 5, 6] if BACKEND == "postgresql" else [9, 8, 10]


async def test_a_submission_sends_a_fixed_handful_of_statements(server, client_for):
    token = (await client_for(factories.WINDOW)).http.headers["Authorization"]
    counts = []
    with counted_server(server) as (url, count):
        async with httpx.AsyncClient(
            base_url=url, headers={"Authorization": token}, timeout=30
        ) as http:
            window = GraphQLClient(http, factories.WINDOW)
            # (each shape of the write once first: a connection's first use of a
            # statement makes asyncpg read its parameters' types)
            again = {"idNumber": factories.resident_id()}
            for _ in range(2):
                await window.data(SUBMIT, {"input": submission(petitioner=again)})
            for person in ({}, {"idNumber": None}, again):
                started = count()
                await window.data(SUBMIT, {"input": submission(petitioner=person)})
                counts.append(count() - started)
    # A new person with an ID number, one without, a repeat
    assert counts == EXPECTED, counts


PEOPLE, EACH, STRANGERS = 8, 4, 16  # people coming EACH times at once, and one-off comers
SUBMIT_MORE = """mutation($input: SubmitPetitionInput!) { submitPetition(input: $input) {
  id number repeatCount } }"""


async def test_many_submissions_at_once_all_land_numbered_once_and_streamed_in_order(
    server, window, hall, session
):
    # Given the hall following the stream
    async with subscription(server.url, token_of(hall)) as stream:
        await stream.subscribe()
        await listening(server)

        # When forty-eight appeals are submitted at once: eight people four times each,
        # each person's at one receipt time (so every earlier one is a repeat), and
        # sixteen people once
        received = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        people = [{"idNumber": factories.resident_id()} for _ in range(PEOPLE)]
        inputs = [
            submission(petitioner=person, receivedAt=received)
            for person in people
            for _ in range(EACH)
        ] + [submission() for _ in range(STRANGERS)]
        answers = await asyncio.gather(
            *(window.post(SUBMIT_MORE, {"input": given}) for given in inputs)
        )

        # Then none failed and no number was given twice
        assert all("errors" not in a for a in answers), [a for a in answers if "errors" in a]
        appeals = [a["data"]["submitPetition"] for a in answers]
        assert len({a["number"] for a in appeals}) == len(inputs)

        # And each person has one record, and their appeals link to every one before
        for i, person in enumerate(people):
            hashes = select(func.count()).where(
                models.Petitioner.id_hash
                == server.app.state.services.keyed_hash(person["idNumber"])
            )
            assert await session.scalar(hashes) == 1
            theirs = appeals[i * EACH : (i + 1) * EACH]
            assert sorted(a["repeatCount"] for a in theirs) == list(range(EACH))

        # And the stream brought every event once, in id order, each appeal's
        # submission before its repeat link
        expected = len(inputs) + PEOPLE * (EACH - 1)
        events = [await stream.event() for _ in range(expected)]
        ids = [int(decode_cursor(e["cursor"])[0]) for e in events]
        assert ids == sorted(set(ids)), ids
        by_appeal: dict[str, list[str]] = {}
        for e in events:
            by_appeal.setdefault(e["petition"]["id"], []).append(e["kind"])
        assert set(by_appeal) == {a["id"] for a in appeals}
        for a in appeals:
            kinds = ["SUBMITTED"] + (["REPEAT_LINKED"] if a["repeatCount"] else [])
            assert by_appeal[a["id"]] == kinds, (a, by_appeal[a["id"]])


async def test_a_submission_writes_only_once_it_holds_the_writer_lock(sessionmaker, window):
    # Given another unit of work holding the writer lock (`begin_write`), once the
    # token's last use is written (a write of its own, at most once a minute)
    await submit(window)
    async with sessionmaker() as other:
        await begin_write(other)

        # When an appeal is submitted, it waits (its one write takes the lock first)
        submitted = asyncio.create_task(submit(window))
        await asyncio.sleep(0.5)
        assert not submitted.done()

        # Then it is written once the other commits
        await other.commit()
    appeal = await asyncio.wait_for(submitted, 10)
    assert appeal["number"]
