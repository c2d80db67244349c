"""Staff sessions kept on the server, so that they can be ended.

The cookie carries a random token; the `staff_sessions` table keeps only its SHA-256.
Signing out deletes the row; deactivation and a password change delete all of the
person's rows (`end_sessions_of`, inside their own transaction). Who a live session
stands for is `resolvers.access.signin.session_caller`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write

LIFETIME = timedelta(hours=13)  # past the cookie's 12 hours: no one can present it any more


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_session(session: AsyncSession, *, user_id: int, now: datetime) -> str:
    """A new session for the person, inside the caller's write transaction; its token.
    Sessions nobody can present any more are forgotten on the way."""
    await session.execute(
        delete(models.StaffSession).where(models.StaffSession.seen_at < now - LIFETIME)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        models.StaffSession(
            token_hash=token_hash(token), user_id=user_id, created_at=now, seen_at=now
        )
    )
    return token


async def end_session(session: AsyncSession, *, token: str) -> None:
    """Sign one session out: its token works nowhere from now on."""
    await begin_write(session)
    await session.execute(
        delete(models.StaffSession).where(models.StaffSession.token_hash == token_hash(token))
    )
    await session.commit()


async def end_sessions_of(session: AsyncSession, user_id: int) -> None:
    """End every session of a person, inside the caller's write transaction (the
    deactivation or password change that needs it); open event streams notice at
    their next check and end too."""
    await session.execute(delete(models.StaffSession).where(models.StaffSession.user_id == user_id))
