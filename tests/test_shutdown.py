"""SIGTERM on a serving hub: in-flight writes finish, the subscription is closed with
1012 (service restart), nothing committed is lost, and a client that resumes from its
last cursor on the restarted hub gets every event exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
from httpx_ws import WebSocketDisconnect
from sqlalchemy import select

from db import migrate, models
from db.config import Settings
from db.engine import create_engine, create_sessionmaker
from tests import factories
from tests.conftest import fresh_database
from tests.factories import SUBMIT, submission
from tests.streams import PETITION_EVENTS, subscription

ROOT = Path(__file__).parent.parent
WRITES = 20


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def hub(settings: Settings, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """`petition-hub serve` in a process of its own, ready."""
    env = {
        **os.environ,
        "PETITION_HUB_DATABASE_URL": settings.database_url,
        "PETITION_HUB_SECRET_KEY": "x",
        "PETITION_HUB_VAR_DIR": str(settings.var_dir),
        "PETITION_HUB_WATCH_INTERVAL": "0",
        "PETITION_HUB_LOG_FORMAT": "json",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, "the hub did not start"
        time.sleep(0.2)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


async def _submit(url: str, token: str, title: str) -> str | None:
    """The appeal's id, or None when the request never reached a serving hub."""
    try:
        async with httpx.AsyncClient(
            base_url=url, timeout=60, headers={"Authorization": f"Bearer {token}"}
        ) as client:
            response = await client.post(
                "/graphql", json={"query": SUBMIT, "variables": {"input": submission(title=title)}}
            )
    except httpx.TransportError:
        return None
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return str(body["data"]["submitPetition"]["id"])


async def test_sigterm_loses_nothing_and_a_resumed_stream_gets_each_event_once(tmp_path):
    async with fresh_database(tmp_path) as settings:
        engine = create_engine(settings)
        await migrate.upgrade(engine, settings)
        sessionmaker = create_sessionmaker(engine)
        async with sessionmaker() as session:
            await factories.build_world(session)
            writer = await factories.token(session, factories.WINDOW)
            reader = await factories.token(session, factories.HALL)
        port = _port()
        url = f"http://127.0.0.1:{port}"
        marker = f"停机{uuid.uuid4().hex[:6]}"
        seen: list[dict[str, object]] = []

        with hub(settings, port) as process:
            async with subscription(url, reader) as stream:
                await stream.subscribe(PETITION_EVENTS, kinds=["SUBMITTED"])
                burst = [
                    asyncio.create_task(_submit(url, writer, f"{marker} {i}"))
                    for i in range(1, WRITES + 1)
                ]
                # When SIGTERM arrives while the writes are in flight
                seen.append(await stream.event(30))
                process.send_signal(signal.SIGTERM)
                closed = None
                try:
                    while True:
                        seen.append(await stream.event(30))
                except WebSocketDisconnect as gone:
                    closed = gone.code
                answered = await asyncio.gather(*burst)
            # uvicorn shuts down gracefully, then re-raises SIGTERM to exit as signalled
            assert process.wait(timeout=60) in (0, -signal.SIGTERM)

        # Then the subscription was told to resume (1012), every answered write is stored
        assert closed == 1012
        async with sessionmaker() as session:
            stored = {
                str(i)
                for i in await session.scalars(
                    select(models.Petition.id).where(models.Petition.title.like(f"{marker}%"))
                )
            }
        assert {a for a in answered if a is not None} <= stored
        assert len([a for a in answered if a is not None]) >= 1

        # And resuming from the last cursor on the restarted hub delivers each event once
        with hub(settings, port):
            async with subscription(url, reader) as stream:
                await stream.subscribe(
                    PETITION_EVENTS, kinds=["SUBMITTED"], after=seen[-1]["cursor"]
                )
                while {str(e["petition"]["id"]) for e in seen} < stored:  # type: ignore[index]
                    seen.append(await stream.event(30))
        ours = [
            str(e["petition"]["id"])
            for e in seen  # type: ignore[index]
            if str(e["petition"]["id"]) in stored
        ]  # type: ignore[index]
        assert sorted(ours) == sorted(stored)  # every one, none twice
        await engine.dispose()
