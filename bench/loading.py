"""The bench's databases: loading the demo into PostgreSQL and SQLite, the tokens, and
which appeals the workloads read."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg

HERE = Path(__file__).parent
ROOT = HERE.parent
OUT = HERE / "out"
TOOL = Path(sys.executable).parent / "petition-hub"
ADMIN_URL = os.environ.get("PETITION_HUB_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_url(name: str, driver: str = "postgresql+asyncpg", port: int | None = None) -> str:
    base = ADMIN_URL.rsplit("/", 1)[0]
    if port is not None:
        base = re.sub(r":\d+$", f":{port}", base)
    return base.replace("postgresql://", f"{driver}://") + "/" + name


def hub_env(database_url: str) -> dict[str, str]:
    return os.environ | {
        "PETITION_HUB_DATABASE_URL": database_url,
        "PETITION_HUB_SECRET_KEY": "bench",
        "PETITION_HUB_WATCH_INTERVAL": "0",
        "PETITION_HUB_BROKER_URL": "memory://",
        "PETITION_HUB_VAR_DIR": str(OUT / "var"),
        # The fan-out runs a thousand subscriptions on one token.
        "PETITION_HUB_MAX_SUBSCRIPTIONS_PER_TOKEN": "100000",
    }


def upgrade(database_url: str) -> None:
    """Bring a kept database up to the code's migrations."""
    subprocess.run(
        [TOOL, "db", "upgrade"], env=hub_env(database_url), check=True, capture_output=True
    )


def load(database_url: str, appeals: int) -> float:
    started = time.perf_counter()
    env = hub_env(database_url)
    subprocess.run([TOOL, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [TOOL, "demo", "--appeals", str(appeals)], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


async def load_postgresql(database: str, appeals: int, reuse: bool) -> float | None:
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if exists and reuse:
            upgrade(pg_url(database))
            return None
        await admin.execute(f'DROP database IF EXISTS "{database}" WITH (FORCE)')
        await admin.execute(f'CREATE database "{database}"')
    finally:
        await admin.close()
    seconds = await asyncio.to_thread(load, pg_url(database), appeals)
    connection = await asyncpg.connect(pg_url(database, "postgresql"))
    try:
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    return seconds


def load_sqlite(path: Path, appeals: int, reuse: bool) -> float | None:
    if reuse and path.exists():
        upgrade(f"sqlite+aiosqlite:///{path}")
        return None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return load(f"sqlite+aiosqlite:///{path}", appeals)


def token(database_url: str, org: str) -> str:
    done = subprocess.run(
        [TOOL, "token", "create", "--org", org, "--name", "bench"],
        env=hub_env(database_url),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().split()[-1]


# Which appeals the workloads read. The detail reads a usual appeal: the one at the
# median of the timelines' lengths (the issue's PostGraphile figure, 2,320 req/s, is a
# usual appeal's); "detail (longest timeline)" reads the appeal with the most events, as
# does the appeal page (the staff's worst case). The fan-out's notes go to the oldest
# appeal, which neither reads: a run with --reuse then reads what the first run read.
TIMELINES = """WITH t AS (SELECT p.id, p.number, count(*) AS n FROM petitions p
  JOIN petition_events e ON e.petition_id = p.id
  WHERE p.id > (SELECT min(id) FROM petitions) GROUP BY p.id)
SELECT (SELECT id FROM t ORDER BY n DESC, id LIMIT 1),
       (SELECT number FROM t ORDER BY n DESC, id LIMIT 1),
       (SELECT max(n) FROM t),
       (SELECT id FROM t ORDER BY n, id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM t)),
       (SELECT n FROM t ORDER BY n, id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM t)),
       (SELECT min(id) FROM petitions)"""


def picked_from(row: Any) -> dict[str, Any]:
    keys = ("busiest_id", "busiest_number", "busiest_events", "detail_id", "detail_events")
    return dict(zip((*keys, "note_id"), row, strict=True))


async def pick(database_url: str) -> dict[str, Any]:
    dsn = database_url.replace("postgresql+asyncpg", "postgresql")
    connection = await asyncpg.connect(dsn)
    try:
        return picked_from(await connection.fetchrow(TIMELINES))
    finally:
        await connection.close()


async def pick_sqlite(path: Path) -> dict[str, Any]:
    import aiosqlite

    async with aiosqlite.connect(path) as connection:
        cursor = await connection.execute(TIMELINES)
        row = await cursor.fetchone()
    assert row is not None
    return picked_from(row)


async def postgres_version() -> str:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()
