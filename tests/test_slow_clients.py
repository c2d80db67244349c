"""Clients that dribble a request's headers or body are cut off, at configurable
deadlines, instead of holding a connection (and the app) for as long as they like."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import pytest

from tests.conftest import LiveServer, serve


@pytest.fixture(scope="module")
def strict(settings) -> Iterator[LiveServer]:
    """A hub giving one second for headers and one for a body."""
    with serve(settings.model_copy(update={"header_timeout": 1, "body_timeout": 1})) as live:
        yield live


@contextlib.asynccontextmanager
async def raw(url: str) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        yield reader, writer
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _dribble(
    writer: asyncio.StreamWriter, reader: asyncio.StreamReader, piece: bytes, seconds: float
) -> tuple[bytes, float]:
    """Send `piece` every 0.2 s until the server answers or closes (or `seconds` pass);
    what it answered, and when."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            writer.write(piece)
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(200), timeout=0.2)
        except TimeoutError:
            continue
        except (ConnectionError, OSError):
            return b"", time.monotonic() - started
        return answer, time.monotonic() - started
    return b"(still open)", time.monotonic() - started


async def test_headers_sent_a_line_at_a_time_are_cut_off(strict):
    async with raw(strict.url) as (reader, writer):
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: hub\r\n")
        answer, after = await _dribble(writer, reader, b"X-Slow: yes\r\n", seconds=6)

    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert after < 3


async def test_a_connection_that_never_speaks_is_closed(strict):
    async with raw(strict.url) as (reader, _):
        started = time.monotonic()
        answer = await asyncio.wait_for(reader.read(200), timeout=6)

    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert time.monotonic() - started < 3


async def test_a_body_sent_a_byte_at_a_time_is_cut_off(strict):
    async with raw(strict.url) as (reader, writer):
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n{"
        )
        answer, after = await _dribble(writer, reader, b" ", seconds=6)

    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert after < 3


async def test_a_prompt_client_is_served_on_the_same_strict_hub(strict):
    async with raw(strict.url) as (reader, writer):
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n")
        answer = await asyncio.wait_for(reader.read(), timeout=10)
    assert answer.startswith(b"HTTP/1.1 200"), answer
