"""Staff sessions on the pages: who is signed in, idle sign-out, and CSRF tokens.

The cookie is Starlette's signed session (HttpOnly, SameSite=Lax, Secure behind
TLS); it holds the CSRF token, the language, and the token of a session kept on the
server (`resolvers.access.sessions`): signing out, deactivation and a password change delete
that session, so a copy of the cookie taken before is worth nothing after.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request

from db import models
from resolvers.access import signin
from resolvers.access.caller import Caller

SESSION_COOKIE = "phub_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_token(connection: HTTPConnection) -> str:
    """This session's CSRF token, made on first use; every form carries it."""
    token = connection.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        connection.session["csrf"] = token
    return str(token)


def csrf_valid(connection: HTTPConnection, submitted: str | None) -> bool:
    expected = connection.session.get("csrf")
    return bool(expected and submitted and hmac.compare_digest(str(expected), submitted))


async def require_csrf(request: Request) -> None:
    """Refuse an unsafe request whose form or header lacks this session's token."""
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    if not csrf_valid(request, submitted):
        raise HTTPException(403, "CSRF token missing or wrong: reload the page and try again")


def start_session(connection: HTTPConnection, session_token: str) -> None:
    """Sign a user in: a fresh cookie session (no fixation) holding the server-side
    session's token, and a fresh CSRF token."""
    language = connection.session.get("lang")
    connection.session.clear()
    connection.session.update(sid=session_token, csrf=secrets.token_urlsafe(32))
    if language:
        connection.session["lang"] = language


def session_token(connection: HTTPConnection) -> str | None:
    token = connection.session.get("sid")
    return token if isinstance(token, str) else None


async def end_session(
    connection: HTTPConnection, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Sign out: the server forgets the session, so a copy of the cookie is worthless."""
    token = session_token(connection)
    if token is not None:
        async with sessionmaker() as session:
            await signin.end_session(session, token=token)
    connection.session.clear()


async def staff_caller(
    connection: HTTPConnection, sessionmaker: async_sessionmaker[AsyncSession], idle_minutes: int
) -> Caller | None:
    """The signed-in staff member, or None (never signed in, signed out, or idle too long)."""
    cached: Caller | bool | None = getattr(connection.state, "staff_caller", False)
    if not isinstance(cached, bool):
        return cached
    caller = None
    token = session_token(connection)
    if token is not None:
        async with sessionmaker() as session:
            caller = await signin.session_caller(
                session, token=token, now=models.utcnow(), idle=timedelta(minutes=idle_minutes)
            )
        if caller is None:
            connection.session.pop("sid", None)
    connection.state.staff_caller = caller
    return caller
