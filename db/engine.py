"""Engine and session factories. Nothing connects at import time."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, event, func, literal, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from db.config import Settings

SQLITE_BUSY_TIMEOUT_MS = 15_000
WRITE_OPTION = "hub_write"
WRITER_LOCK = 0x50485542  # "PHUB": the one advisory lock writers take on PostgreSQL
PG_SETTINGS = {"jit": "off"}


def b64url(text: str | None) -> str | None:
    """`resolvers.pagination.encode_cursor`'s encoding as an SQL function for SQLite
    (`hub_b64url`), which has no base64 of its own; the compiled read path writes
    cursors with it."""
    if text is None:
        return None
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers go on while one writer writes; the busy timeout makes a
    # second writer wait instead of failing with "database is locked".
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    dbapi_connection.create_function("hub_b64url", 1, b64url, deterministic=True)


def _on_sqlite_begin(conn: Any) -> None:
    # pysqlite's own transaction handling defers BEGIN and never takes the write
    # lock up front; BEGIN IMMEDIATE serialises writers at the start of a
    # transaction, so read-then-write sequences cannot deadlock on upgrade.
    write = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def create_engine(settings: Settings) -> AsyncEngine:
    """Build the async engine for the configured database."""
    url = make_url(settings.database_url)
    kwargs: dict[str, Any] = {"echo": settings.sql_echo}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    else:
        # No pre-ping: it costs every request a round trip; a connection the server
        # dropped fails one request and is replaced (and none outlives an hour).
        # Twenty kept: with ten, sixteen concurrent requests opened (and closed) a new
        # connection for every request past the tenth, a third of a read's time.
        kwargs.update(pool_size=20, max_overflow=10, pool_recycle=3600)
        # No JIT: compiling a statement's expressions costs more than it saves for every
        # statement the hub runs, and a parallel plan compiles them in every process
        # (0.5–0.9 s of CPU for a year's `stats` over 1,000,000 appeals, more than the
        # scan itself: bench/RESULTS.md). Sent with the connection, no extra round trip.
        kwargs["connect_args"] = {"server_settings": PG_SETTINGS}
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        event.listen(engine.sync_engine, "begin", _on_sqlite_begin)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A session factory whose objects stay usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def writer_lock() -> ColumnElement[None]:
    """The writers' advisory lock on PostgreSQL as an SQL expression (`begin_write`)."""
    return func.pg_advisory_xact_lock(literal(WRITER_LOCK, BigInteger))


def on_postgresql(session: AsyncSession) -> bool:
    return session.bind is not None and session.bind.dialect.name == "postgresql"


async def begin_write(session: AsyncSession) -> None:
    """Start the session's transaction as a writer (BEGIN IMMEDIATE on SQLite).

    Call before the first statement of a unit of work that will write.

    On PostgreSQL the writer first takes one transaction-level advisory lock, so
    writers commit one after another, as SQLite's BEGIN IMMEDIATE makes them: event
    ids then become visible in id order, and a subscriber that has read up to id N
    can never see an id below N appear later (`resolvers.events.stream` relies on it). The
    lock is taken before any row lock, so it cannot deadlock with them.

    What the guarantee needs is narrower than "first": a writer must hold the lock
    before it draws an event id and before it takes its first row lock, and keep it
    until it commits (a transaction-level lock does). Plain reads before it are
    harmless. So a unit of work whose reads need no writer's exclusion may read
    first and take the lock inside its first writing statement, as a common table
    expression every write of that statement depends on (`writer_lock()`; intake,
    `resolvers/appeals/registering.py`): the lock is then held only for that
    statement and the COMMIT, not for the reads. Its reads see the data as of their
    own statements, not as of the lock, so whatever must be exact against a
    concurrent writer needs a lock of its own taken before those reads (intake's
    per-person lock) or a statement that sees the latest rows (`ON CONFLICT`).
    """
    if session.in_transaction():
        # Reads done so far need no preserving; the write starts afresh.
        await session.commit()
    connection = await session.connection(execution_options={WRITE_OPTION: True})
    if connection.dialect.name == "postgresql":
        await connection.execute(select(writer_lock()))
