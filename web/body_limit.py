"""A ceiling on request bodies, applied before anything else reads them.

A body announced larger than the limit (`Content-Length`) is refused with 413 before
a byte of it is read; a body that does not say its length (chunked) is counted as it
arrives and refused as soon as it passes the limit. Either way the app never holds
more than the limit in memory, and this runs before authentication: a stranger's
200 MB upload costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    """The request's body is over its path's limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body too large: at most {limit} bytes")
        self.limit = limit


DRAIN_FACTOR = 4  # an announced body up to 4× the limit is read and discarded, not cut off


def too_large_response(path: str, limit: int, *, close: bool = True) -> Response:
    """413 with the limit. `close` ends the connection, which stops the server reading
    (and discarding) the rest; a client still sending then may see a reset instead of
    the answer, so a body only somewhat too large is drained and answered politely."""
    message = f"request body too large: at most {limit} bytes"
    close_header = {"Connection": "close"} if close else {}
    if path.startswith("/graphql"):
        return JSONResponse(
            {
                "data": None,
                "errors": [
                    {
                        "message": message,
                        "extensions": {"code": "BAD_USER_INPUT", "field": "body", "limit": limit},
                    }
                ],
            },
            status_code=413,
            headers=close_header,
        )
    return PlainTextResponse(
        f"请求内容过大：最多 {limit} 字节\n{message}\n", status_code=413, headers=close_header
    )


async def body_too_large(request: Request, exc: Exception) -> Response:
    """The exception handler for `BodyTooLarge` raised while a view reads the body."""
    limit = exc.limit if isinstance(exc, BodyTooLarge) else 0
    return too_large_response(request.url.path, limit)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            # ASCII digits only: `int()` would accept "²"-like digits and spaces.
            return int(text) if text.isascii() and text.isdigit() else -1
    return None


class BodyLimit:
    """ASGI middleware: refuse (413) bodies over `limit` bytes, or over the limit
    `by_path` gives the request's path (the calendar import has a larger one)."""

    def __init__(
        self, app: ASGIApp, *, limit: int, by_path: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.by_path = dict(by_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.by_path.get(scope["path"], self.limit)
        declared = _declared_length(scope)
        if declared is not None and (declared < 0 or declared > limit):
            response = (
                too_large_response(
                    scope["path"],
                    limit,
                    close=declared > DRAIN_FACTOR * limit,
                )
                if declared > limit
                else PlainTextResponse("bad Content-Length", status_code=400)
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised inside the view's read: Starlette's exception middleware
                    # answers 413 (`body_too_large`), and nothing more is read.
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)
