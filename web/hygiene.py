"""Text no database can store, refused at the pages' door with a 400 page.

The pages' forms and query strings are decoded leniently (a byte that is not UTF-8
becomes U+FFFD), so the only unstorable character that can arrive is NUL (U+0000,
which PostgreSQL refuses): `%00` in a query string, a path or a urlencoded form, or a
raw 0x00 byte in a multipart form. This middleware looks for exactly those, before any
view reads them, the sign-in form included. GraphQL has its own check, which names the
field (`schema/hygiene.py`); both follow `resolvers.validation.unstorable`.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.pages import render

ENCODED_NUL = b"%00"
RAW_NUL = b"\x00"


class UnstorableInput(HTTPException):
    """A form carried a NUL character."""

    def __init__(self) -> None:
        super().__init__(400, "the request contains a NUL character (U+0000)")


async def unstorable_input(request: Request, _: Exception) -> Response:
    """The 400 page (also the exception handler for `UnstorableInput`)."""
    return render(request, "errors/400.html", None, {"staff": None}, status_code=400)


def _content_type(scope: Scope) -> bytes:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return bytes(value.split(b";", 1)[0].strip().lower())
    return b""


class RefuseNul:
    """ASGI middleware for the pages (not `/graphql`): 400 for a NUL character in the
    path, the query string or a form body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/graphql"):
            await self.app(scope, receive, send)
            return
        head = bytes(scope.get("raw_path") or b"") + b"?" + bytes(scope.get("query_string", b""))
        if ENCODED_NUL in head or RAW_NUL in head or "\x00" in scope["path"]:
            response = await unstorable_input(Request(scope, receive), UnstorableInput())
            await response(scope, receive, send)
            return
        kind = _content_type(scope)
        patterns = {
            b"application/x-www-form-urlencoded": (ENCODED_NUL, RAW_NUL),
            b"multipart/form-data": (RAW_NUL,),
        }.get(kind)
        if patterns is None:
            await self.app(scope, receive, send)
            return
        tail = b""

        async def checked() -> Message:
            nonlocal tail
            message = await receive()
            if message["type"] == "http.request":
                body = tail + message.get("body", b"")
                if any(p in body for p in patterns):
                    # Raised inside the view's read: the app's handler answers the 400 page.
                    raise UnstorableInput
                tail = body[-2:]  # "%0" may end one chunk and "0" begin the next
            return message

        await self.app(scope, checked, send)
