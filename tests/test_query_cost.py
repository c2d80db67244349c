"""Query cost: refused before it runs when the answer would be too large, cut off while it
runs when the answer grows too large anyway, and never a reason for others to wait."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx

from db import models
from tests import factories
from tests.conftest import serve

# Each level of `events { petition { … } }` multiplies the answer by the appeal's events.
MULTIPLYING = """
query($t: String, $n: Int) { petitions(filter: {text: $t}, first: $n) { edges { node {
  number events { kind petition { events { kind petition { events { kind petition {
    events { kind } } } } } } } } } } }
"""
SMALL = "query($n: Int) { petitions(first: $n) { edges { node { number events { kind } } } } }"
DIRECTORY = "{ organisations { code name kind } }"


async def _appeals_with_long_timelines(hall, session, count: int, events: int) -> str:
    """`count` appeals of the hall, each with `events` notes on its timeline."""
    marker = f"成本{uuid.uuid4().hex[:8]}"
    for _ in range(count):
        appeal = await factories.submit(hall, title=f"{marker} 长时间线")
        session.add_all(
            models.PetitionEvent(
                petition_id=int(appeal["id"]),
                kind=models.EventKind.NOTE_ADDED,
                data={"text": f"备注{i}"},
            )
            for i in range(events)
        )
    await session.commit()
    return marker


async def test_a_multiplying_query_is_refused_before_it_runs_with_its_cost(hall, server):
    error = await hall.error(MULTIPLYING, {"n": 100})

    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    # 100 appeals, and four nested lists of the default size 10 under each
    assert error["extensions"]["cost"] > 100 * 10**4
    assert error["extensions"]["limit"] == server.app.state.settings.max_query_cost


async def test_fragments_that_multiply_a_document_are_refused_at_once(hall):
    # Each fragment spreads the next twice: 2**40 copies of `me { name }`, in 40 lines
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40)]
    document = "\n".join(["query { ...F0 }", *fragments, "fragment F40 on Query { me { name } }"])

    started = time.monotonic()
    error = await hall.error(document)

    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert time.monotonic() - started < 5


async def test_the_cost_follows_first_given_by_a_variable(hall):
    assert "petitions" in await hall.data(SMALL, {"n": 5})

    # Four nested `events` lists of the default size 10, under 1 and then 2 appeals:
    # the innermost costs 10 x (1 + kind) = 20, each outer one 10 x (3 + the inner).
    inner = 20
    for _ in range(3):
        inner = 10 * (3 + inner)
    per_appeal = 1 + 1 + 1 + inner  # edge, node, number, events
    for n in (1, 2):
        refused = await hall.error(MULTIPLYING, {"n": n})
        assert refused["extensions"]["cost"] == 1 + n * per_appeal


async def test_an_answer_growing_past_its_cap_is_cut_off(settings, sessionmaker, world):
    # Given a hub that trusts every estimate but caps answers at 20 values
    capped = settings.model_copy(update={"max_query_cost": 10**9, "max_answer_values": 20})
    with serve(capped) as live:
        async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
            async with sessionmaker() as session:
                token = await factories.token(session, factories.HALL)
            http.headers["Authorization"] = f"Bearer {token}"

            # When the directory (estimated at 10 organisations, more in fact) is asked for
            body = (await http.post("/graphql", json={"query": DIRECTORY})).json()

    # Then the answer stops with one coded error and no partial data
    assert body["data"] is None
    assert [e["extensions"] for e in body["errors"]] == [{"code": "QUERY_TOO_COMPLEX", "limit": 20}]


async def test_healthz_answers_while_a_heavy_query_is_sent(hall, session, server):
    # Given appeals whose timelines multiply a nested query into millions of values
    marker = await _appeals_with_long_timelines(hall, session, count=3, events=12)

    async def heavy() -> dict:
        return await hall.post(MULTIPLYING, {"t": marker, "n": 3})

    async def probes() -> float:
        worst = 0.0
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            await asyncio.sleep(0.1)
            for _ in range(10):
                started = time.monotonic()
                assert (await http.get("/healthz")).status_code == 200
                worst = max(worst, time.monotonic() - started)
                await asyncio.sleep(0.05)
        return worst

    # When a heavy query runs while /healthz is asked ten times
    answer, worst = await asyncio.wait_for(asyncio.gather(heavy(), probes()), timeout=20)

    # Then the probes never waited for it, and the query was refused
    assert worst < 1.0, worst
    assert answer["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
