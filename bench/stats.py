"""Benchmark: a year's `stats` grouped by street over 1,000,000 appeals in PostgreSQL.

    make bench-stats            # or: .venv/bin/python -m bench.stats [--appeals N]
    .venv/bin/python -m bench.stats --reuse --cpu --database hub_bench_NAME

Creates (or reuses) the database `hub_bench` on PETITION_HUB_BENCH_PG
(default postgresql://postgres@127.0.0.1:5432/postgres), migrates it, loads the
appeals with one INSERT … SELECT over generate_series (deterministic: no random()),
VACUUM ANALYZEs, then times `resolvers.stats.petition_stats` — the same function
`Query.stats` calls — for the hall (everything) and for a street platform (its slice);
with `--cpu`, also the database's CPU per call without parallel workers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from db import migrate, models, slice_counts
from db.config import load_settings
from db.engine import PG_SETTINGS, create_engine, create_sessionmaker
from resolvers.access.caller import STAFF_SCOPES, Caller
from resolvers.services import Services
from resolvers.stats.figures import GroupBy, petition_stats

ADMIN_URL = os.environ.get("PETITION_HUB_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
NAME = "hub_bench"  # --database to use another
STREETS = ["PINGSHAN", "MALUAN", "BILING", "SHIJING", "KENGZI", "LONGTIAN"]
COMMUNITIES_PER_STREET = 4  # 24 communities, close to Pingshan's 23

WORLD = """
INSERT INTO regions (code, name, name_pinyin, kind) VALUES ('PS', '坪山区', 'Pingshan', 'DISTRICT');
INSERT INTO regions (code, name, name_pinyin, kind, parent_id)
  SELECT 'PS-S-' || s, s || '街道', s, 'STREET', (SELECT id FROM regions WHERE code = 'PS')
  FROM unnest($1::text[]) AS s;
INSERT INTO regions (code, name, name_pinyin, kind, parent_id)
  SELECT 'PS-C-' || s || '-' || n, s || n || '社区', s || n, 'COMMUNITY', r.id
  FROM unnest($1::text[]) AS s JOIN regions r ON r.code = 'PS-S-' || s,
       generate_series(1, $2::int) AS n;
INSERT INTO organisations (code, name, name_en, kind, region_id, address, phone, active, created_at)
  SELECT 'PS-HALL', '区群众诉求服务大厅', 'hall', 'APPEALS_HALL', id, '', '', true, now()
  FROM regions WHERE code = 'PS';
INSERT INTO organisations (code, name, name_en, kind, region_id, address, phone, active, created_at)
  SELECT 'PS-ST-' || name_pinyin, name || '平台', name_pinyin, 'STREET_PLATFORM', id, '', '',
         true, now()
  FROM regions WHERE kind = 'STREET';
INSERT INTO organisations (code, name, name_en, kind, region_id, address, phone, active, created_at)
  SELECT 'PS-CW-' || name_pinyin, name || '窗口', name_pinyin, 'COMMUNITY_WINDOW', id, '', '',
         true, now()
  FROM regions WHERE kind = 'COMMUNITY';
"""

# Two years of appeals (2025 and 2026), so a year holds about half of them; 60% received
# by community windows, 25% by street platforms, 15% by the hall.
APPEALS = """
WITH c AS (SELECT array_agg(id ORDER BY id) AS ids FROM regions WHERE kind = 'COMMUNITY'),
     w AS (SELECT array_agg(o.id ORDER BY r.id) AS ids FROM organisations o
           JOIN regions r ON r.id = o.region_id WHERE o.kind = 'COMMUNITY_WINDOW'),
     h AS (SELECT id FROM organisations WHERE kind = 'APPEALS_HALL'),
     g AS (
       SELECT i,
              timestamptz '2025-01-01 00:00+08' + (i % 730) * interval '1 day'
                + (i % 600) * interval '1 minute' + interval '8 hours' AS received_at,
              (i * 7919) % 24 AS community,
              (i * 104729) % 100 AS roll
       FROM generate_series(1::bigint, $1::bigint) AS i
     )
INSERT INTO petitions (
  number, title, description, category, matter, channel, level, status, received_at,
  received_by_id, community_id, people_count, collective, repeat_of_id, repeat_count,
  level_skipping, backlog, due_at, deadline_provisional, time_limit_days, extension_days,
  closed_at, resolved, satisfaction, version, created_at, updated_at)
SELECT
  'B-' || i, '工资', '', (ARRAY['CONSULTATION','SUGGESTION','COMPLAINT','COMPLAINT'])[1 + i % 4],
  (ARRAY['LABOUR_WAGES','HOUSING','ENVIRONMENT','TRAFFIC','OTHER'])[1 + i % 5], 'WALK_IN',
  CASE WHEN roll < 60 THEN 'COMMUNITY' WHEN roll < 85 THEN 'STREET' ELSE 'DISTRICT' END,
  CASE WHEN roll % 10 = 0 AND received_at > timestamptz '2026-10-01' THEN 'IN_PROGRESS'
       ELSE 'CLOSED' END,
  received_at,
  CASE WHEN roll < 85 THEN w.ids[1 + community] ELSE h.id END,
  c.ids[1 + community], 1, false, NULL, 0, false, roll = 99,
  received_at + (1 + i % 10) * interval '1 day', false, 7, 0,
  CASE WHEN roll % 10 = 0 AND received_at > timestamptz '2026-10-01' THEN NULL
       ELSE received_at + (i % 12) * interval '1 day' END,
  roll < 97,
  (ARRAY['SATISFIED','SATISFIED','BASICALLY_SATISFIED','DISSATISFIED','REFUSED'])[1 + i % 5],
  1, now(), now()
FROM g, c, w, h
"""


async def load(appeals: int, name: str) -> str:
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    settings = load_settings(
        database_url=url.replace("postgresql://", "postgresql+asyncpg://"), secret_key="bench"
    )
    engine = create_engine(settings)
    await migrate.upgrade(engine, settings)
    await engine.dispose()
    connection = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        for statement in WORLD.split(";\n"):
            if statement.strip():
                args = [STREETS, COMMUNITIES_PER_STREET][: statement.count("$")]
                await connection.execute(statement, *args)
        # The slice counts' row triggers off while the million rows go in, then one
        # recount (db/slice_counts.py): a trigger per row in one statement is quadratic.
        async with connection.transaction():
            for statement in slice_counts.BEFORE_LOAD:
                await connection.execute(statement)
            await connection.execute(APPEALS, appeals)
            for statement in slice_counts.AFTER_LOAD:
                await connection.execute(statement)
        # As autovacuum would leave it (it vacuums insert-only tables too): hint bits set and
        # the visibility map current, so the first timed run does not pay for them.
        await connection.execute("VACUUM ANALYZE")
        print(f"loaded {appeals:,} appeals in {time.perf_counter() - started:.1f} s")
    finally:
        await connection.close()
    return settings.database_url


def _backend_cpu_ms(pid: int) -> float | None:
    """A local PostgreSQL backend's CPU time so far (user + system), or None if not local."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


async def measure(database_url: str, runs: int, cpu: bool = False) -> None:
    settings = load_settings(database_url=database_url, secret_key="bench")
    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    services = Services(settings)
    try:
        async with sessionmaker() as session:
            orgs = {
                o.code: o
                for o in await session.scalars(
                    select(models.Organisation).where(
                        models.Organisation.code.in_(("PS-HALL", "PS-ST-PINGSHAN"))
                    )
                )
            }
            callers = {}
            for label, code in (
                ("hall (all appeals)", "PS-HALL"),
                ("street platform (its slice)", "PS-ST-PINGSHAN"),
            ):
                org = orgs[code]
                callers[label] = Caller(
                    org.id, org.code, org.kind, org.region_id, scopes=STAFF_SCOPES
                )
            now = datetime(2026, 11, 26, 4, tzinfo=UTC)
            for label, caller in callers.items():
                timings = []
                for _ in range(runs):
                    started = time.perf_counter()
                    result = await petition_stats(
                        session=session, caller=caller, services=services,
                        start=date(2026, 1, 1), end=date(2026, 12, 31),
                        group_by=GroupBy.STREET, now=now,
                    )  # fmt: skip
                    timings.append((time.perf_counter() - started) * 1000)
                    await session.commit()
                print(
                    f"{label}: 2026 by street, {len(result.rows)} rows, "
                    f"{result.total.received:,} received — "
                    f"median {statistics.median(timings):.0f} ms, "
                    f"best {min(timings):.0f} ms, worst {max(timings):.0f} ms over {runs} runs"
                )
                if cpu:
                    await _cpu(database_url, caller, services, now, runs, label)
    finally:
        await engine.dispose()


async def _cpu(
    database_url: str, caller: Caller, services: Services, now: datetime, runs: int, label: str
) -> None:
    """The database's CPU time per call, in one process: a connection of its own without
    parallel workers (whose time the leader's counters miss; a setting changed on a
    connection would not reach the plans it has cached): the figure load moves least."""
    engine = create_async_engine(
        database_url,
        poolclass=NullPool,
        connect_args={"server_settings": PG_SETTINGS | {"max_parallel_workers_per_gather": "0"}},
    )
    try:
        async with create_sessionmaker(engine)() as session:
            pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            before = _backend_cpu_ms(pid)
            for _ in range(runs):
                await petition_stats(
                    session=session, caller=caller, services=services,
                    start=date(2026, 1, 1), end=date(2026, 12, 31), group_by=GroupBy.STREET,
                    now=now,
                )  # fmt: skip
            after = _backend_cpu_ms(pid)
    finally:
        await engine.dispose()
    if before is not None and after is not None:
        print(f"{label}: the database's CPU {(after - before) / runs:.0f} ms per call, serial")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="measure without reloading")
    parser.add_argument("--database", default=NAME, help="the database to (re)load and use")
    parser.add_argument(
        "--cpu", action="store_true", help="also the database's CPU per call (local server)"
    )
    args = parser.parse_args()
    if args.reuse:
        url = (ADMIN_URL.rsplit("/", 1)[0] + "/" + args.database).replace(
            "postgresql://", "postgresql+asyncpg://"
        )
    else:
        url = asyncio.run(load(args.appeals, args.database))
    asyncio.run(measure(url, args.runs, args.cpu))


if __name__ == "__main__":
    main()
