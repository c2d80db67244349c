"""The test harness: a real database (SQLite or PostgreSQL), a real server over HTTP.

`PETITION_HUB_TEST_DATABASE=postgresql` runs the suite on PostgreSQL
(127.0.0.1:5432); the default is a fresh SQLite file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db import migrate
from db.config import Settings, load_settings
from db.engine import create_engine, create_sessionmaker
from tests import factories
from web.app import create_app
from web.logs import json_formatter
from web.timeouts import HubConfig

pytest_plugins = ["tests.staff"]

# Every log line of the whole run goes here too, and is scanned for personal data at the
# end (`pytest_sessionfinish`): a resident ID number or a mobile number in a log fails the
# run. The hub logs ids, codes and counts, never a person.
RUN_LOG = Path(tempfile.gettempdir()) / f"petition-hub-test-{os.getpid()}.log"
RUN_LOG_HANDLER = pytest.StashKey[logging.Handler]()
PERSONAL = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|1[3-9]\d{9})(?![0-9A-Za-z])")


def pytest_configure(config: pytest.Config) -> None:
    handler = logging.FileHandler(RUN_LOG, encoding="utf-8")
    handler.setFormatter(json_formatter())
    logging.getLogger().addHandler(handler)
    logging.getLogger("petition_hub").setLevel(logging.INFO)
    config.stash[RUN_LOG_HANDLER] = handler


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    handler = session.config.stash.get(RUN_LOG_HANDLER, None)
    if handler is None:
        return
    logging.getLogger().removeHandler(handler)
    handler.close()
    text = RUN_LOG.read_text(encoding="utf-8", errors="replace")
    RUN_LOG.unlink(missing_ok=True)
    leaks = sorted({m.group(1) for m in PERSONAL.finditer(text)})
    if leaks:
        print(f"\nthe logs of this run hold personal data: {leaks[:10]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


BACKEND = os.environ.get("PETITION_HUB_TEST_DATABASE", "sqlite")
PG_ADMIN_URL = os.environ.get(
    "PETITION_HUB_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _pg_url(name: str) -> str:
    return (
        PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        + "/"
        + name
    )


async def _pg_admin(sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@contextlib.asynccontextmanager
async def fresh_database(var: Path, **overrides: Any) -> AsyncIterator[Settings]:
    """Settings for a new, empty database of the suite's kind, dropped afterwards."""
    if BACKEND == "postgresql":
        name = f"hub_extra_{uuid.uuid4().hex[:10]}"
        await _pg_admin(f'CREATE DATABASE "{name}"')
        url = _pg_url(name)
    else:
        name, url = "", f"sqlite+aiosqlite:///{var}/extra-{uuid.uuid4().hex[:8]}.db"
    try:
        yield load_settings(
            database_url=url, secret_key="test-secret", var_dir=var, watch_interval=0, **overrides
        )
    finally:
        if name:
            await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def settings(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Settings]:
    var = tmp_path_factory.mktemp("var")
    if BACKEND == "postgresql":
        name = f"hub_test_{uuid.uuid4().hex[:10]}"
        await _pg_admin(f'CREATE DATABASE "{name}"')
        url = _pg_url(name)
    else:
        name = ""
        url = f"sqlite+aiosqlite:///{var}/hub.db"
    test_settings = load_settings(
        database_url=url, secret_key="test-secret", var_dir=Path(var), watch_interval=0
    )
    engine = create_engine(test_settings)
    await migrate.upgrade(engine, test_settings)
    await engine.dispose()
    yield test_settings
    if BACKEND == "postgresql":
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    test_engine = create_engine(settings)
    yield test_engine
    await test_engine.dispose()


@pytest.fixture(scope="session")
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as test_session:
        yield test_session


class StatementCounter:
    """Counts the SQL statements the server's engine runs."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, *_: Any) -> None:
        with self._lock:
            self.count += 1

    def reset(self) -> None:
        with self._lock:
            self.count = 0


@dataclass
class LiveServer:
    url: str
    app: Any
    statements: StatementCounter


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(settings: Settings) -> Iterator[LiveServer]:
    """The whole app, served by uvicorn on a loopback port in a thread."""
    with serve(settings) as live:
        yield live


@contextlib.contextmanager
def serve(settings: Settings) -> Iterator[LiveServer]:
    """Serve `create_app(settings)` with uvicorn on a loopback port in a thread (a
    second app instance for a test needs one of its own)."""
    app = create_app(settings)
    counter = StatementCounter()
    event.listen(app.state.engine.sync_engine, "before_cursor_execute", counter)
    port = _free_port()
    config = HubConfig(
        app,
        header_timeout=settings.header_timeout,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        ws="websockets-sansio",
        proxy_headers=False,
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", app=app, statements=counter)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
async def world(sessionmaker: async_sessionmaker[AsyncSession]) -> factories.World:
    """A small district: one street, two communities, the hall and some partners."""
    async with sessionmaker() as s:
        return await factories.build_world(s)


@dataclass
class GraphQLClient:
    """An organisation's integration talking to the live server."""

    http: httpx.AsyncClient
    org: str

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The answer's data; fails the test on any error."""
        body = await self.post(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The answer's first error; fails the test if there is none."""
        body = await self.post(query, variables)
        assert body.get("errors"), (variables, body)
        return body["errors"][0]


async def _client(
    server: LiveServer,
    sessionmaker: async_sessionmaker[AsyncSession],
    org: str,
    scopes: tuple[str, ...] | None = None,
) -> GraphQLClient:
    async with sessionmaker() as s:
        token = await factories.token(s, org, scopes)
    http = httpx.AsyncClient(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return GraphQLClient(http=http, org=org)


@pytest.fixture
async def client_for(
    server: LiveServer, sessionmaker: async_sessionmaker[AsyncSession], world: factories.World
) -> AsyncIterator[Any]:
    """`await client_for("PS-LMC")`: a GraphQL client with a fresh token of that organisation."""
    made: list[GraphQLClient] = []

    async def make(org: str, scopes: tuple[str, ...] | None = None) -> GraphQLClient:
        client = await _client(server, sessionmaker, org, scopes)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.http.aclose()


@pytest.fixture
async def hall(client_for: Any) -> GraphQLClient:
    return await client_for(factories.HALL)


@pytest.fixture
async def window(client_for: Any) -> GraphQLClient:
    return await client_for(factories.WINDOW)


@pytest.fixture
async def street_platform(client_for: Any) -> GraphQLClient:
    return await client_for(factories.STREET)


@pytest.fixture
async def labour_committee(client_for: Any) -> GraphQLClient:
    return await client_for(factories.LMC)


@pytest.fixture
async def court(client_for: Any) -> GraphQLClient:
    return await client_for(factories.COURT)


@pytest.fixture
async def anonymous(server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        yield client
