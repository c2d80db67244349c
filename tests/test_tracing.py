"""With `PETITION_HUB_OTLP_ENDPOINT` set, requests, GraphQL operations and SQL are traced
and exported over OTLP/HTTP; without it, nothing is (the default)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import uvicorn

from db.config import Settings
from tests import factories
from tests.conftest import _free_port
from web.app import create_app
from web.tracing import traced


class Collector(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        Collector.received.append((self.path, body))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        return None


def _wait(done: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)


async def test_spans_reach_the_configured_collector(settings: Settings, sessionmaker, world):
    collector = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=collector.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{collector.server_address[1]}"
    traced_settings = settings.model_copy(update={"otlp_endpoint": endpoint})
    app = create_app(traced_settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            traced(app, app.state.engine, endpoint),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    await asyncio.to_thread(_wait, lambda: server.started, 20)
    try:
        async with sessionmaker() as session:
            token = await factories.token(session, factories.HALL)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            answer = await client.post(
                "/graphql",
                json={"query": "query Traced { petitions(first: 1) { totalCount } }"},
                headers={"Authorization": f"Bearer {token}"},
            )
        assert answer.status_code == 200
        await asyncio.to_thread(_wait, lambda: bool(Collector.received), 10)
    finally:
        from opentelemetry import trace

        trace.get_tracer_provider().shutdown()  # type: ignore[attr-defined]  # flush, stop
        server.should_exit = True
        thread.join(timeout=10)
        collector.shutdown()
        collector.server_close()
        await app.state.engine.dispose()

    paths = {path for path, _ in Collector.received}
    assert paths == {"/v1/traces"}
    exported = b"".join(body for _, body in Collector.received)
    assert b"Traced" in exported  # the GraphQL operation's span
    assert b"SELECT" in exported  # an SQL span


def test_no_endpoint_no_tracing(settings: Settings):
    app = create_app(settings)
    assert traced(app, app.state.engine, "") is app
