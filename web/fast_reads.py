"""The compiled read path's own door: a partner's query answered before strawberry runs.

A `POST /graphql` with a bearer token this process has seen before, a JSON body and a
query the compiled path takes (`CompiledReads.plan`: parsed and validated through the
same caches and limits, costed) is answered here with ONE SQL statement: the token's
lookup with the compiled answer as one more column (`CompiledReads.guarded`), on
PostgreSQL outside any explicit transaction (no BEGIN, no ROLLBACK: one statement is
its own transaction), run by asyncpg itself on the pool's connection (the statement
compiled once: `schema/compiler/driver.py`). The statement was built for the caller the token stood for last
time; if the row now says otherwise (revoked, expired, other scopes, another slice)
the answer is thrown away and the request goes the usual way, which authenticates
afresh. Everything else (no token, an unknown one, a cookie session, a body that is
not one JSON operation, a query the compiler leaves to the resolvers, a database
error) goes to strawberry as before, the body replayed. The token's last use is
recorded at most once a minute, after the answer, in a write of its own.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Any

import asyncpg
import orjson
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.util import greenlet_spawn
from starlette.types import Message, Receive, Scope, Send

from db import models
from resolvers.access.caller import Caller
from resolvers.access.tokens import caller_of, hash_token, needs_touch, touch
from resolvers.services import Services
from schema.compiler import CompiledReads
from schema.compiler.driver import DriverStatement
from web import observability

log = logging.getLogger("petition_hub.compiled")
CALLERS_KEPT = 10_000
READ_PATH_HEADER = "x-read-path"


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def _token(scope: Scope) -> str | None:
    header = _header(scope, b"authorization")
    if header is None:
        return None
    scheme, _, token = header.decode("latin-1").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _plain_json(scope: Scope) -> bool:
    """A JSON body, and an answer wanted as one JSON document (no multipart or
    server-sent stream, which strawberry chooses by `Accept`)."""
    kind = (_header(scope, b"content-type") or b"").split(b";", 1)[0].strip().lower()
    accept = (_header(scope, b"accept") or b"").lower()
    return (
        kind == b"application/json" and b"multipart" not in accept and b"event-stream" not in accept
    )


def replay(body: bytes, receive: Receive) -> Receive:
    """`receive` with `body` given back first (the fast path read it, then declined)."""
    given = False

    async def again() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class FastReads:
    """The door above, for one app: the callers its tokens stood for, the touches."""

    def __init__(
        self,
        compiled: CompiledReads,
        engine: AsyncEngine,
        sessionmaker: async_sessionmaker[AsyncSession],
        services: Services,
    ) -> None:
        self.compiled = compiled
        self.engine = engine
        self.sessionmaker = sessionmaker
        self.services = services
        self.pool_connect = engine.sync_engine.raw_connection
        # Token hash → the caller it stood for at its last full check.
        self.callers: OrderedDict[str, Caller] = OrderedDict()
        self._touching: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def remember(self, token: str, caller: Caller | None) -> None:
        """What a full authentication found for `token` (None forgets it)."""
        digest = hash_token(token)
        if caller is None:
            self.callers.pop(digest, None)
            return
        self.callers[digest] = caller
        self.callers.move_to_end(digest)
        if len(self.callers) > CALLERS_KEPT:
            self.callers.popitem(last=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """Answer the request and return None, or return the `receive` strawberry
        should read it from."""
        if scope["method"] != "POST" or not self.compiled.enabled or not _plain_json(scope):
            return receive
        token = _token(scope)
        digest = hash_token(token) if token is not None else None
        known = self.callers.get(digest) if digest is not None else None
        if known is None:
            return receive
        started = time.perf_counter()
        body = await _read_body(receive)
        answer = await self._answer(digest, known, body)  # type: ignore[arg-type]
        if answer is None:
            return replay(body, receive)
        data, caller, name = answer
        content = b'{"data":' + data + b"}"
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(content)).encode()),
                    (READ_PATH_HEADER.encode(), b"compiled"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": content})
        observability.operation_done(caller, name, "OK", time.perf_counter() - started)
        return None

    async def _answer(
        self, digest: str, known: Caller, body: bytes
    ) -> tuple[bytes, Caller, str | None] | None:
        try:
            request = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(request, dict):
            return None
        query, variables = request.get("query"), request.get("variables")
        operation_name = request.get("operationName")
        if not isinstance(query, str) or not isinstance(operation_name, str | None):
            return None
        if not isinstance(variables, dict | None) or not isinstance(
            request.get("extensions"), dict | None
        ):
            return None
        plan = self.compiled.plan(query, variables, operation_name)
        if plan is None:
            return None
        guarded = self.compiled.guarded(plan, known, self.services, self.engine.dialect)
        if guarded is None:
            return None
        try:
            if guarded.driver is not None:
                row = await self._driver_row(guarded.driver, digest)
            else:
                row = await self._row(guarded.statement, digest)
        except (SQLAlchemyError, asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
            log.exception("compiled read failed; answering with the resolvers")
            return None
        now = models.utcnow()
        caller = caller_of(row, now) if row is not None else None
        if caller != known:
            # Revoked, expired, or changed: the usual path authenticates afresh.
            self.callers.pop(digest, None)
            return None
        assert row is not None and caller is not None
        if needs_touch(row, now):
            self._touch(row.client_id, now)
        self.compiled.answered += 1
        # The driver's statement gives the answer's bytes; SQLAlchemy's, its text.
        data = row.answer if guarded.driver is not None else row.answer.encode()
        return data, caller, plan.name

    async def _driver_row(self, driver: DriverStatement, digest: str) -> Any:
        """PostgreSQL: the statement on the pool's own asyncpg connection, outside a
        transaction (one statement is its own: no BEGIN, no ROLLBACK), with no SQLAlchemy
        execution around it (`schema/compiler/driver.py`)."""
        pooled = await greenlet_spawn(self.pool_connect)
        connection = pooled.driver_connection
        assert connection is not None
        try:
            record = await connection.fetchrow(driver.sql, *driver.arguments_for(digest))
        except BaseException as error:
            if connection.is_closed() or not isinstance(error, asyncpg.PostgresError):
                # Broken, or cut off mid-statement: the pool replaces it.
                await greenlet_spawn(pooled.invalidate, error)
            raise
        finally:
            await greenlet_spawn(pooled.close)
        observability.statement_ran()
        return None if record is None else driver.row_of(record)

    async def _row(self, statement: Any, digest: str) -> Any:
        """SQLite (and any database without the driver's form): through SQLAlchemy."""
        async with self.engine.connect() as connection:
            return (await connection.execute(statement, {"token_hash": digest})).one_or_none()

    def _touch(self, client_id: int, now: Any) -> None:
        """Record the token's use after the answer, once however many ask meanwhile."""
        if client_id in self._touching:
            return
        self._touching.add(client_id)

        async def write() -> None:
            try:
                async with self.sessionmaker() as session:
                    await touch(session, client_id, now)
            except Exception:  # a missed last-use is harmless; the next minute tries again
                log.exception("could not record the token's last use")
            finally:
                self._touching.discard(client_id)

        task = asyncio.create_task(write())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
