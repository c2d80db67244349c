"""A partner's compiled read costs ONE statement, counted where the database sees it.

On PostgreSQL the server is a second app instance whose connections pass through a
counting proxy (`bench/pgcount.py`: every `Query` and `Execute` message, `BEGIN`,
`COMMIT` and `ROLLBACK` included); on SQLite the engine's own counter sees every
statement, the `BEGIN` our engine sends included. The list (the benchmark's, at 5 and at
50 appeals) and the detail (with its events) cost the same fixed number: the token's
check and the answer are one statement; nothing else runs (no session, no last-use
write within the minute, no empty transaction).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import asyncpg
import httpx
import orjson
import pytest
from sqlalchemy import event

from bench.pgcount import StatementCounter
from db.config import load_settings
from tests import factories
from tests.conftest import BACKEND, PG_ADMIN_URL, GraphQLClient, LiveServer, serve
from tests.factories import submit
from web.graphql import READ_PATH_HEADER

LIST = """query List($first: Int) { petitions(first: $first) { totalCount edges { node {
  number title receivedBy { code name }
  assignments(first: 5) { role dueAt organisation { code name } } } } } }"""
DETAIL = """query Detail($id: ID!) { petition(id: $id) { number title status
  receivedBy { code name } events { kind occurredAt } } }"""
# What one compiled read sends: PostgreSQL, the one statement (outside a transaction);
# SQLite, BEGIN and the statement.
PER_READ = 1 if BACKEND == "postgresql" else 2


@contextlib.contextmanager
def counted_server(server: LiveServer) -> Iterator[tuple[str, Callable[[], int]]]:
    """A server's URL and a function counting the statements its database received."""
    if BACKEND != "postgresql":
        yield server.url, lambda: server.statements.count
        return
    settings = server.app.state.settings
    port = int(re.search(r":(\d+)/", settings.database_url).group(1))  # type: ignore[union-attr]
    counter = StatementCounter(port)
    # The proxy runs in a loop of its own: starting the server blocks this one.
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(counter.start(), loop).result(10)
    proxied = load_settings(
        database_url=re.sub(r":\d+/", f":{counter.port}/", settings.database_url),
        secret_key=settings.secret_key,
        var_dir=settings.var_dir,
        watch_interval=0,
    )
    try:
        with serve(proxied) as live:
            yield live.url, lambda: counter.count
    finally:
        asyncio.run_coroutine_threadsafe(counter.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


async def _statements(
    http: httpx.AsyncClient, count: Callable[[], int], query: str, variables: dict[str, Any]
) -> tuple[float, dict[str, Any]]:
    """Statements per request over 5 requests (after one more to warm up)."""

    async def ask() -> dict[str, Any]:
        response = await http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        assert response.headers.get(READ_PATH_HEADER) == "compiled", response.text
        body = response.json()
        assert "errors" not in body, body
        return body["data"]  # type: ignore[no-any-return]

    await ask()
    before = count()
    for _ in range(5):
        data = await ask()
    return (count() - before) / 5, data


async def test_a_compiled_list_and_detail_cost_one_statement(server, client_for):
    window = await client_for(factories.WINDOW)
    ids = [(await submit(window, title=f"语句计数 {i}"))["id"] for i in range(60)]
    for org in (factories.HALL, factories.WINDOW):
        token = (await client_for(org)).http.headers["Authorization"]
        with counted_server(server) as (url, count):
            async with httpx.AsyncClient(
                base_url=url, headers={"Authorization": token}, timeout=30
            ) as http:
                small, data = await _statements(http, count, LIST, {"first": 5})
                assert len(data["petitions"]["edges"]) == 5
                large, data = await _statements(http, count, LIST, {"first": 50})
                assert len(data["petitions"]["edges"]) == 50
                detail, data = await _statements(http, count, DETAIL, {"id": ids[-1]})
                assert data["petition"]["events"], data
        assert small == large == detail == PER_READ, (org, small, large, detail)


async def test_a_token_revoked_after_a_compiled_read_reads_nothing_more(client_for, session):
    # Given a partner whose list was answered by the compiled path (its caller known)
    client = await client_for(factories.LMC)
    for _ in range(2):
        response = await client.http.post("/graphql", json={"query": LIST})
        assert response.headers.get(READ_PATH_HEADER) == "compiled"
        assert "errors" not in response.json()

    # When its token is revoked
    await factories.revoke(session, client)

    # Then the same query is refused, every time
    for _ in range(2):
        response = await client.http.post("/graphql", json={"query": LIST})
        assert response.headers.get(READ_PATH_HEADER) is None
        body = response.json()
        assert body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_submission_costs_the_same_however_long_the_petitioner_s_history(
    server, client_for
):
    # Given a petitioner who has come before, twice and then twelve times
    token = (await client_for(factories.WINDOW)).http.headers["Authorization"]
    person = {"idNumber": factories.resident_id()}
    counts = {}
    with counted_server(server) as (url, count):
        async with httpx.AsyncClient(
            base_url=url, headers={"Authorization": token}, timeout=30
        ) as http:
            window = GraphQLClient(http, factories.WINDOW)
            for before in (2, 12):
                while (await submit(window, petitioner=person))["repeatCount"] < before - 1:
                    pass
                # When they come once more, the links to every earlier appeal are written
                started = count()
                appeal = await submit(window, petitioner=person)
                counts[before] = count() - started
                assert appeal["repeatCount"] == before
    # Then in as many statements either way, as the database counts them (one per
    # thousand links, not one per link)
    assert counts[2] == counts[12], counts


async def test_a_compiled_read_binds_its_variables_so_its_sql_is_prepared_once(server, client_for):
    # Given two appeals read with the same query by one partner
    window = await client_for(factories.WINDOW)
    ids = [(await submit(window, title=f"绑定参数 {i}"))["id"] for i in range(2)]
    hall = await client_for(factories.HALL)
    compiled = server.app.state.graphql.compiled
    for ident in ids:
        for _ in range(2):  # the first authenticates; the second is the token's own read
            response = await hall.http.post(
                "/graphql", json={"query": DETAIL, "variables": {"id": ident}}
            )
            assert response.headers.get(READ_PATH_HEADER) == "compiled", response.text
            assert response.json()["data"]["petition"]["events"]

    # Then the statements kept for them are one SQL text, the appeal's id bound, not
    # written into it (PostgreSQL prepares it once per connection and keeps its plan)
    dialect = server.app.state.engine.dialect
    kept = [
        guarded
        for key, guarded in compiled._guarded.items()
        if key[0] == DETAIL and orjson.loads(key[2]).get("id") in ids
    ]
    assert len(kept) == 2, list(compiled._guarded)
    texts = {str(guarded.statement.compile(dialect=dialect)) for guarded in kept}
    assert len(texts) == 1
    assert not any(ident in text for ident in ids for text in texts)
    if BACKEND == "postgresql":
        drivers = [guarded.driver for guarded in kept]
        assert all(d is not None for d in drivers)
        assert len({d.sql for d in drivers}) == 1  # type: ignore[union-attr]
        assert {int(i) for i in ids} <= {  # the ids are the statements' arguments
            a
            for d in drivers
            for a in d.arguments  # type: ignore[union-attr]
        }


async def test_a_compiled_read_recovers_when_its_connections_are_dropped(server, client_for):
    """PostgreSQL: the compiled read runs on the pool's asyncpg connection itself; a
    connection the server dropped is replaced, and no answer is wrong meanwhile."""
    if BACKEND != "postgresql":
        pytest.skip("the compiled read uses the driver's own connection on PostgreSQL only")
    window = await client_for(factories.WINDOW)
    ident = (await submit(window, title="断开连接"))["id"]
    token = (await client_for(factories.HALL)).http.headers["Authorization"]
    with serve(server.app.state.settings) as other:  # an app of its own: only its pool
        async with httpx.AsyncClient(
            base_url=other.url, headers={"Authorization": token}, timeout=30
        ) as http:

            async def read() -> tuple[Any, bool]:
                response = await http.post(
                    "/graphql", json={"query": DETAIL, "variables": {"id": ident}}
                )
                body = response.json()
                compiled = response.headers.get(READ_PATH_HEADER) == "compiled"
                return body, compiled

            pids: set[int] = set()

            def checked_out(dbapi_connection: Any, *_: Any) -> None:
                pids.add(dbapi_connection.driver_connection.get_server_pid())

            event.listen(other.app.state.engine.sync_engine, "checkout", checked_out)
            right, _ = await read()
            assert (await read())[1]

            # When the server drops the connections these reads used
            assert pids
            admin = await asyncpg.connect(PG_ADMIN_URL)
            try:
                dropped = await admin.fetchval(
                    "SELECT count(*) FROM unnest($1::int[]) AS pid WHERE pg_terminate_backend(pid)",
                    list(pids),
                )
                for _ in range(100):  # until they are gone
                    alive = "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1::int[])"
                    if not await admin.fetchval(alive, list(pids)):
                        break
                    await asyncio.sleep(0.05)
            finally:
                await admin.close()
            assert dropped == len(pids)
            answers = [await read() for _ in range(6)]

    # Then every answer is the right one or a plain error (a request that met a dropped
    # connection on the resolvers' side), never another answer; and the compiled path
    # answers again
    for body, _ in answers:
        assert body == right or (body.get("data") is None and body["errors"]), body
    assert all(body == right and compiled for body, compiled in answers[-3:]), answers
