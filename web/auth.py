"""Staff sessions on the pages: who is signed in, idle sign-out, and CSRF tokens.

The session is Starlette's signed cookie (HttpOnly, SameSite=Lax, Secure behind
TLS); it holds the user's id, when they were last seen, and their CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
import time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request

from resolvers.access.caller import Caller
from resolvers.access.signin import caller_for_user

SESSION_COOKIE = "phub_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SEEN_RESOLUTION = 60  # seconds: refresh "last seen" at most once a minute


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


def start_session(connection: HTTPConnection, user_id: int) -> None:
    """Sign a user in: a fresh session (no fixation), a fresh CSRF token."""
    connection.session.clear()
    connection.session.update(uid=user_id, seen=int(time.time()),
                              csrf=secrets.token_urlsafe(32))


def end_session(connection: HTTPConnection) -> None:
    connection.session.clear()


async def staff_caller(connection: HTTPConnection,
                       sessionmaker: async_sessionmaker[AsyncSession],
                       idle_minutes: int) -> Caller | None:
    """The signed-in staff member, or None (never signed in, signed out, or idle too long)."""
    cached: Caller | bool | None = getattr(connection.state, "staff_caller", False)
    if not isinstance(cached, bool):
        return cached
    caller = None
    user_id, seen = connection.session.get("uid"), connection.session.get("seen", 0)
    now = int(time.time())
    if user_id is not None and now - int(seen) > idle_minutes * 60:
        end_session(connection)
    elif user_id is not None:
        async with sessionmaker() as session:
            caller = await caller_for_user(session, int(user_id))
        if caller is None:
            end_session(connection)
        elif now - int(seen) >= SEEN_RESOLUTION:
            connection.session["seen"] = now
    connection.state.staff_caller = caller
    return caller
