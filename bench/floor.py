"""The floor of `make bench`: the hub's answers from one hand-written SQL statement each,
through asyncpg, behind a bare Starlette route — no GraphQL, no ORM, no access checks
beyond the slice written into the SQL. Nothing serves faster on this database.

    .venv/bin/python -m bench.floor --dsn postgresql://…/hub_bench_read --port 8102

`GET /list?org=PS-LMC` answers what `petitions(first: 50) { totalCount edges { node {
number title receivedBy { code name } assignments(first: 5) { role dueAt organisation {
code name } } } } }` answers for that organisation's token (the hall's without `org`);
`GET /detail?id=N` what `petition(id: N) { number title status receivedBy { code name }
events { kind occurredAt data } }` answers.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

# The hall sees everything; another organisation what it received or was ever assigned
# (the slice of `resolvers.access.petition_filter` for a partner that is not a street).
SLICE = (
    "($1::bigint IS NULL OR p.received_by_id = $1 OR p.id IN "
    "(SELECT petition_id FROM assignments WHERE organisation_id = $1))"
)

LIST = f"""
SELECT json_build_object('data', json_build_object('petitions', json_build_object(
  'totalCount', (SELECT count(*) FROM petitions p WHERE {SLICE}),
  'edges', coalesce((
    SELECT json_agg(json_build_object('node', json_build_object(
      'number', p.number, 'title', p.title,
      'receivedBy', json_build_object('code', o.code, 'name', o.name),
      'assignments', coalesce((
        SELECT json_agg(json_build_object(
          'role', a.role, 'dueAt', a.due_at,
          'organisation', json_build_object('code', ao.code, 'name', ao.name))
          ORDER BY a.assigned_at, a.id)
        FROM (SELECT * FROM assignments WHERE petition_id = p.id
              ORDER BY assigned_at, id LIMIT 5) a
        JOIN organisations ao ON ao.id = a.organisation_id), '[]'::json)))
      ORDER BY p.received_at DESC, p.id DESC)
    FROM (SELECT * FROM petitions p WHERE {SLICE}
          ORDER BY received_at DESC, id DESC LIMIT 50) p
    JOIN organisations o ON o.id = p.received_by_id), '[]'::json))))::text
"""

DETAIL = """
SELECT json_build_object('data', json_build_object('petition', (
  SELECT json_build_object(
    'number', p.number, 'title', p.title, 'status', p.status,
    'receivedBy', json_build_object('code', o.code, 'name', o.name),
    'events', coalesce((
      SELECT json_agg(json_build_object('kind', e.kind, 'occurredAt', e.occurred_at,
                                        'data', e.data) ORDER BY e.id)
      FROM petition_events e WHERE e.petition_id = p.id), '[]'::json))
  FROM petitions p JOIN organisations o ON o.id = p.received_by_id
  WHERE p.id = $1)))::text
"""


def create_floor(dsn: str) -> Starlette:
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        pool = await asyncpg.create_pool(
            dsn, min_size=2, max_size=16, ssl=False, server_settings={"timezone": "Asia/Shanghai"}
        )
        async with pool.acquire() as connection:
            rows = await connection.fetch("SELECT code, id FROM organisations")
        state.update(pool=pool, organisations={r["code"]: r["id"] for r in rows})
        yield
        await pool.close()

    async def answer(sql: str, *args: Any) -> Response:
        async with state["pool"].acquire() as connection:
            body = await connection.fetchval(sql, *args)
        return Response(body, media_type="application/json")

    async def petitions(request: Request) -> Response:
        org = request.query_params.get("org")
        return await answer(LIST, state["organisations"][org] if org else None)

    async def petition(request: Request) -> Response:
        return await answer(DETAIL, int(request.query_params["id"]))

    return Starlette(
        routes=[Route("/list", petitions), Route("/detail", petition)], lifespan=lifespan
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    uvicorn.run(
        create_floor(args.dsn),
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
    )


if __name__ == "__main__":
    main()
