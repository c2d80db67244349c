"""What operators reach for: `/metrics`, `/readyz`, one log line per request, and logs
that hold no personal data."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from pathlib import Path

import httpx
import pytest

from db.config import load_settings
from tests import factories
from tests.factories import submit
from web.app import create_app
from web.logs import configure_logging, json_formatter

FAMILIES = [
    "hub_http_requests_total",
    "hub_http_request_seconds_bucket",
    "hub_graphql_operations_total",
    "hub_graphql_operation_seconds_bucket",
    "hub_db_pool_in_use",
    "hub_open_subscriptions",
    "hub_open_sse_streams",
    "hub_events_written_total",
    "hub_wakeups_published_total",
    "hub_watcher_passes_total",
    "hub_watcher_pass_seconds_bucket",
    "hub_signin_failures_total",
    "hub_signin_locked_total",
]


async def test_metrics_carry_the_families_after_a_session(server, client_for, sign_in_as):
    # Given a scripted session: an appeal submitted, a named query, a refused sign-in
    window = await client_for(factories.WINDOW)
    await submit(window)
    await window.post("query Worklist { petitions(first: 3) { totalCount } }")
    async with httpx.AsyncClient(base_url=server.url) as browser:
        from tests.test_signin import sign_in

        await sign_in(browser, f"nobody-{uuid.uuid4().hex[:6]}", "wrong password")
    admin = await client_for(factories.HALL, ("petitions:read", "admin"))

    # When the operator's scraper reads /metrics with an admin token
    metrics = await admin.http.get("/metrics")

    # Then every family is there, with the route and the operation named
    assert metrics.status_code == 200
    text = metrics.text
    missing = [family for family in FAMILIES if family not in text]
    assert missing == []
    assert re.search(
        r'hub_http_requests_total\{method="POST",route="/graphql",status="200"\}', text
    )
    assert re.search(
        r'hub_graphql_operations_total\{operation="Worklist",outcome="OK"\} '
        r"[1-9]",
        text,
    )
    assert re.search(r'hub_events_written_total\{kind="SUBMITTED"\} [1-9]', text)
    assert re.search(r"hub_signin_failures_total [1-9]", text)


async def test_metrics_are_not_public(server, client_for):
    partner = await client_for(factories.LMC)  # every scope but admin
    async with httpx.AsyncClient(base_url=server.url) as anonymous:
        assert (await anonymous.get("/metrics")).status_code == 404
    assert (await partner.http.get("/metrics")).status_code == 404


async def test_readyz_says_what_is_not_ready(server, tmp_path: Path):
    async with httpx.AsyncClient(base_url=server.url) as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"

    # A database without the hub's schema: not ready, and the reason says why
    empty = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/empty.db",
        secret_key="x",
        var_dir=tmp_path,
        watch_interval=0,
    )
    app = create_app(empty, check_schema=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        behind = await c.get("/readyz")
        alive = await c.get("/healthz")
    await app.state.engine.dispose()
    assert behind.status_code == 503
    assert "db upgrade" in behind.json()["problems"]["migrations"]
    assert alive.status_code == 503  # liveness says the same, without the details


async def test_one_log_line_per_request_with_its_facts(server, client_for, caplog):
    window = await client_for(factories.WINDOW)
    with caplog.at_level(logging.INFO, logger="petition_hub.request"):
        response = await window.http.post(
            "/graphql",
            json={"query": "query Mine { petitions(first: 2) { totalCount } }"},
            headers={"X-Request-Id": "abc123"},
        )
    assert response.headers["x-request-id"] == "abc123"
    # The line is written once the response has gone: give the server a moment.
    for _ in range(100):
        lines = [r for r in caplog.records if getattr(r, "requestId", None) == "abc123"]
        if lines:
            break
        await asyncio.sleep(0.05)
    assert len(lines) == 1
    line = lines[0]
    assert (line.route, line.status, line.organisation, line.operation, line.outcome) == (
        "/graphql",
        200,
        factories.WINDOW,
        "Mine",
        "OK",
    )
    assert line.sqlStatements >= 2 and line.durationMs > 0


async def test_the_logs_of_a_working_session_hold_no_personal_data(
    server, client_for, sign_in_as, caplog, tmp_path
):
    # Given a person with a unique name, ID number, phone and address, and a note
    person = {
        "name": f"测试{uuid.uuid4().hex[:4]}",
        "idNumber": factories.resident_id(),
        "phone": f"139{uuid.uuid4().int % 10**8:08d}",
        "address": f"坪山{uuid.uuid4().hex[:6]}",
    }
    note = f"心理{uuid.uuid4().hex[:6]}"
    stream = tmp_path / "hub.log"
    configure_logging("json")
    handler = logging.FileHandler(stream, encoding="utf-8")
    handler.setFormatter(json_formatter())
    logging.getLogger("petition_hub").addHandler(handler)
    try:
        # When the hub receives, shows, searches and notes the appeal
        window = await client_for(factories.WINDOW)
        made = await submit(window, petitioner=person)
        hall = await client_for(factories.HALL)
        await hall.data(
            "query($id: ID!) { petition(id: $id) { petitioner { idNumber phone } } }",
            {"id": made["id"]},
        )
        await hall.data(
            "mutation($id: ID!, $t: String!) { addNote(id: $id, text: $t) { id } }",
            {"id": made["id"], "t": note},
        )
        browser = await sign_in_as("hall_dispatcher")
        await browser.get(f"/petitions?q={person['name']}")
        await browser.get(f"/petitions/{made['number']}")
    finally:
        logging.getLogger("petition_hub").removeHandler(handler)
        handler.close()

    # Then the log has lines, all JSON, and none of the personal data
    written = stream.read_text(encoding="utf-8")
    assert written.count("\n") >= 5
    for line in written.splitlines():
        json.loads(line)
    leaks = [value for value in (*person.values(), note) if value in written]
    assert leaks == []


def test_text_logs_on_a_terminal_and_json_elsewhere(monkeypatch, capsys):
    configure_logging("json")
    logging.getLogger("petition_hub.test").info("hello", extra={"count": 3})
    out = capsys.readouterr().err.strip().splitlines()[-1]
    assert json.loads(out)["count"] == 3
    configure_logging("text")
    logging.getLogger("petition_hub.test").info("hello")
    assert "INFO petition_hub.test: hello" in capsys.readouterr().err


@pytest.fixture(autouse=True)
def _quiet_logs():
    yield
    for name in ("petition_hub", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = False
