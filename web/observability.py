"""What operators see of a running hub: a log line and metrics per request, `/metrics`,
`/readyz`, and optional tracing.

Every request gets a record (`RequestRecord`) in a context variable: the request id,
the organisation acting, the GraphQL operation's name, its outcome code and the SQL
statements it ran. When the response has gone, one JSON line is logged from it and the
request metrics are counted. Nothing personal goes into either: the route's template,
never the path or the query string (a search may hold a name); the organisation's
code, never a person.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

log = logging.getLogger("petition_hub.request")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
HTTP_REQUESTS = Counter(
    "hub_http_requests",
    "HTTP requests answered, by route, method and status.",
    ["route", "method", "status"],
)
HTTP_SECONDS = Histogram(
    "hub_http_request_seconds",
    "Time to answer an HTTP request, by route.",
    ["route"],
    buckets=LATENCY_BUCKETS,
)
GRAPHQL_OPERATIONS = Counter(
    "hub_graphql_operations",
    "GraphQL operations, by operation name and outcome code.",
    ["operation", "outcome"],
)
GRAPHQL_SECONDS = Histogram(
    "hub_graphql_operation_seconds",
    "Time to execute a GraphQL operation, by name.",
    ["operation"],
    buckets=LATENCY_BUCKETS,
)


_CHILDREN: dict[tuple[Any, ...], Any] = {}


def _child(metric: Any, *labels: str) -> Any:
    """`metric.labels(*labels)`, looked up once per metric and labels (every request
    counts four figures; `labels` checks and locks each time)."""
    key = (metric, *labels)
    child = _CHILDREN.get(key)
    if child is None:
        child = _CHILDREN[key] = metric.labels(*labels)
    return child


@dataclass
class RequestRecord:
    """What one request's log line says."""

    request_id: str
    organisation: str | None = None
    operation: str | None = None
    outcome: str | None = None
    statements: int = 0


current: ContextVar[RequestRecord | None] = ContextVar("request_record", default=None)


def note(
    *, organisation: str | None = None, operation: str | None = None, outcome: str | None = None
) -> None:
    """Add to this request's record (a no-op outside a request)."""
    record = current.get()
    if record is None:
        return
    if organisation is not None:
        record.organisation = organisation
    if operation is not None:
        record.operation = operation
    if outcome is not None:
        record.outcome = outcome


def request_id() -> str:
    """This request's id (a new one outside a request)."""
    record = current.get()
    return record.request_id if record is not None else uuid.uuid4().hex


def statement_ran(*_: Any) -> None:
    """Count one SQL statement against the request running it (a no-op outside one)."""
    record = current.get()
    if record is not None:
        record.statements += 1


def count_statements(engine: AsyncEngine) -> None:
    """Count each SQL statement `engine` runs against the request that ran it (the
    compiled read path's statements on the driver itself count theirs: `statement_ran`)."""
    event.listen(engine.sync_engine, "before_cursor_execute", statement_ran)


class RequestLog:
    """ASGI middleware: the request's record, its log line and its metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"").decode(
            "latin-1"
        )
        # 128 random bits, as uuid4's hex without the UUID object
        record = RequestRecord(
            given if given.isalnum() and len(given) <= 64 else os.urandom(16).hex()
        )
        token = current.set(record)
        status = 500 if scope["type"] == "http" else 101
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", record.request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            elapsed = time.perf_counter() - started
            route = route_of(scope)
            _child(HTTP_REQUESTS, route, scope.get("method", "WS"), str(status)).inc()
            _child(HTTP_SECONDS, route).observe(elapsed)
            log.info(
                "request",
                extra={
                    "requestId": record.request_id,
                    "method": scope.get("method", "WS"),
                    "route": route,
                    "status": status,
                    "durationMs": round(elapsed * 1000, 2),
                    "organisation": record.organisation,
                    "operation": record.operation,
                    "outcome": record.outcome,
                    "sqlStatements": record.statements,
                },
            )
            current.reset(token)


def route_of(scope: Scope) -> str:
    """The route's path template (`/petitions/{number}`), never the path itself."""
    app = scope.get("app")
    for route in getattr(getattr(app, "router", None), "routes", ()):
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return str(getattr(route, "path", "") or "?")
    return "unmatched"


def operation_done(caller: Any, name: str | None, outcome: str, seconds: float) -> None:
    """Name a GraphQL operation in the request's record and count it (the resolvers'
    and the compiled read path's alike)."""
    name = name or "anonymous"
    note(organisation=caller.organisation_code if caller else None, operation=name, outcome=outcome)
    _child(GRAPHQL_OPERATIONS, name, outcome).inc()
    _child(GRAPHQL_SECONDS, name).observe(seconds)


class OperationMetrics(SchemaExtension):
    """Names the GraphQL operation in the request's record and counts it."""

    async def on_operation(self) -> AsyncIterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        errors = context.result.errors if context.result else None
        outcome = "OK"
        if errors:
            outcome = str((errors[0].extensions or {}).get("code", "INTERNAL_SERVER_ERROR"))
        operation_done(
            getattr(context.context, "maybe_caller", None),
            context.operation_name,
            outcome,
            time.perf_counter() - started,
        )


class PoolCollector(Collector):
    """The database pool as it is now: connections in use, idle and over the pool size."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.pool = engine.sync_engine.pool

    def collect(self) -> Any:
        in_use = GaugeMetricFamily("hub_db_pool_in_use", "Database connections checked out.")
        idle = GaugeMetricFamily("hub_db_pool_idle", "Database connections idle in the pool.")
        overflow = GaugeMetricFamily(
            "hub_db_pool_overflow",
            "Connections beyond the pool's size (requests queue for one past the limit).",
        )
        checked_out = getattr(self.pool, "checkedout", lambda: 0)()
        in_use.add_metric([], checked_out)
        idle.add_metric([], getattr(self.pool, "checkedin", lambda: 0)())
        overflow.add_metric([], max(getattr(self.pool, "overflow", lambda: 0)(), 0))
        yield from (in_use, idle, overflow)


def registry_for(engine: AsyncEngine) -> CollectorRegistry:
    """What `/metrics` serves: every process's figures when several workers share
    `PROMETHEUS_MULTIPROC_DIR`, else this process's; and this process's pool."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    combined = CollectorRegistry()
    combined.register(_Everything(registry))
    combined.register(PoolCollector(engine))
    return combined


class _Everything(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Any:
        return self.registry.collect()


def metrics_endpoint(
    engine: AsyncEngine, allowed_addresses: frozenset[str], authenticate: Any
) -> Any:
    """`/metrics`: for an `admin`-scoped token, or a scraper at an allowed address.
    Anyone else gets 404, as if there were nothing there."""
    registry = registry_for(engine)

    async def metrics(request: Request) -> Response:
        client = request.client.host if request.client else ""
        allowed = client in allowed_addresses
        if not allowed:
            caller = await authenticate(request.headers.get("authorization"))
            allowed = caller is not None and "admin" in caller.scopes
        if not allowed:
            return JSONResponse({"detail": "not found"}, 404)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return metrics
