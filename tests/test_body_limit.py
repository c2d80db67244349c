"""Request bodies are limited before anything reads them, authentication included:
413 and no more read than the limit, whether the length is announced or chunked."""

from __future__ import annotations

import asyncio
import socket
import time
from urllib.parse import urlsplit

import httpx

MB = 1024 * 1024


def rss_bytes() -> int:
    """This process's resident memory (the test server runs in it)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def send_raw(
    url: str, path: str, *, total: int, chunked: bool, content_type: str = "application/json"
) -> tuple[str, int]:
    """Send a POST of `total` bytes (chunked, or with Content-Length) as fast as the
    server takes it; the status line, and how much was sent before the server stopped
    reading (it answered, or closed the connection)."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    head = [f"POST {path} HTTP/1.1", f"Host: {host}", f"Content-Type: {content_type}"]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}")
    block = b"x" * MB
    sent = 0
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        sock.settimeout(2)
        try:
            while sent < total:
                piece = f"{len(block):x}\r\n".encode() + block + b"\r\n" if chunked else block
                sock.sendall(piece)
                sent += len(block)
        except OSError:
            pass  # the server answered and closed: the rest was never read
        sock.settimeout(10)
        answer = b""
        try:
            while b"\r\n" not in answer:
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
        except OSError:
            pass
    return answer.split(b"\r\n", 1)[0].decode(), sent


async def test_an_announced_large_body_is_refused_unread(server):
    started = time.monotonic()
    status, sent = await asyncio.to_thread(
        send_raw, server.url, "/graphql", total=200 * MB, chunked=False
    )
    assert " 413 " in status
    assert sent < 64 * MB, "the server went on reading after it refused"
    assert time.monotonic() - started < 20


async def test_a_chunked_large_body_is_refused_and_memory_stays_flat(server):
    before = rss_bytes()
    status, sent = await asyncio.to_thread(
        send_raw, server.url, "/graphql", total=200 * MB, chunked=True
    )
    grown = rss_bytes() - before

    assert " 413 " in status
    assert sent < 64 * MB, "the server went on reading after it refused"
    assert grown < 40 * MB, f"the server's memory grew by {grown // MB} MB"


async def test_the_sign_in_form_reads_no_large_body(server):
    """Before anyone is signed in; the form parser refuses an oversized field (400)
    even before the limit (413): either way the 200 MB are never held."""
    before = rss_bytes()
    status, _ = await asyncio.to_thread(
        send_raw,
        server.url,
        "/login",
        total=200 * MB,
        chunked=True,
        content_type="application/x-www-form-urlencoded",
    )
    grown = rss_bytes() - before

    assert " 413 " in status or " 400 " in status
    assert grown < 40 * MB, f"the server's memory grew by {grown // MB} MB"


async def test_graphql_says_why_in_its_own_envelope(anonymous, server):
    big = {"query": "{ me { name } }", "variables": {"pad": "x" * (5 * MB)}}
    response = await anonymous.post("/graphql", json=big)

    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "body"


async def test_the_calendar_import_has_its_own_larger_limit(server, settings):
    limits = server.app.state.settings
    assert limits.max_calendar_import_bytes > limits.max_body_bytes
    body = b"x" * (limits.max_body_bytes + MB)
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        general = await client.post("/login", content=body)
        calendar = await client.post("/admin/calendar", content=body)

    assert general.status_code == 413
    # Past the body limit: refused later, for want of a session (not 413).
    assert calendar.status_code != 413
