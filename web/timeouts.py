"""Deadlines for clients that dribble: a request's headers, and its body.

uvicorn waits as long as a client likes between the bytes of a request's headers (its
keep-alive timeout only covers a connection with no request begun), and the app
waits as long as a client likes for a body. A few hundred such connections would hold
a worker. So:

- `GuardedHttpToolsProtocol` (uvicorn's httptools protocol) gives a request's line and
  headers `PETITION_HUB_HEADER_TIMEOUT` seconds from its first byte (or from the
  connection), then answers 408 and closes;
- `BodyTimeout` (ASGI middleware) gives the app's reads of a request body
  `PETITION_HUB_BODY_TIMEOUT` seconds in all, then answers 408 and closes.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import uvicorn
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.main import STARTUP_FAILURE
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\n"
    b"content-length: 16\r\nconnection: close\r\n\r\nrequest too slow"
)


class HubConfig(uvicorn.Config):
    """uvicorn's configuration, carrying the header deadline to every worker."""

    def __init__(self, app: Any, *, header_timeout: float, **options: Any) -> None:
        super().__init__(app, http=GuardedHttpToolsProtocol, **options)
        self.header_timeout = header_timeout


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for each request's headers."""

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.header_timeout: float = getattr(config, "header_timeout", 0)
        self.header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self.header_deadline is None and self.header_timeout > 0:
            self.header_deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def _too_slow(self) -> None:
        self.header_deadline = None
        if not self.transport.is_closing():
            self.transport.write(TIMED_OUT)
            self.transport.close()


class _BodyTooSlow(Exception):
    pass


class BodyTimeout:
    """Refuses (408) a request whose body the app waited for longer than `seconds` in
    all; the clock runs only while the app waits for the client."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.seconds <= 0:
            await self.app(scope, receive, send)
            return
        left = self.seconds
        started = False

        async def timed_receive() -> Message:
            nonlocal left
            loop = asyncio.get_running_loop()
            begun = loop.time()
            try:
                async with asyncio.timeout(max(left, 0)):
                    return await receive()
            except TimeoutError:
                raise _BodyTooSlow from None
            finally:
                left -= loop.time() - begun

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, timed_receive, watched_send)
        except _BodyTooSlow:
            if started:
                raise
            response = Response(
                "request too slow", status_code=408, headers={"connection": "close"}
            )
            await response(scope, receive, send)


def serve(config: uvicorn.Config) -> None:
    """Run uvicorn with `config`, in several worker processes if it asks for them
    (what `uvicorn.run` does, for a configuration built here)."""
    if config.workers > 1:
        sock = config.bind_socket()
        Multiprocess(config, sockets=[sock]).run()
        return
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)
