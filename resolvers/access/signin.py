"""Staff sign-in: passwords checked, failures slowed and then locked, per user and address.

Locks are keyed by (username, address) and by address alone, never by username
alone: someone guessing from one address locks out that address, not the person
whose name they guess, who can still sign in from the counter.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from resolvers import metrics
from resolvers.access.caller import Caller
from resolvers.access.sessions import end_session, end_sessions_of, open_session, token_hash
from resolvers.access.tokens import hash_password, staff_caller, verify_password
from resolvers.errors import BadUserInput, NotFound, RateLimited, Unauthenticated

WINDOW = timedelta(minutes=15)
SLOW_AFTER = 3  # failures of one name from one address before each try is slowed
LOCK_USER_AT = 5  # failures of one name from one address that lock it for the window
LOCK_ADDRESS_AT = 20  # failures from one address, any names, that lock the address
SLOWDOWN_PER_FAILURE = 0.5  # seconds
WRONG = "wrong username or password"
# Verifying against this hash when the user does not exist keeps the timing alike.
_DUMMY_HASH = hash_password("no-such-user-placeholder")


SEEN_RESOLUTION = timedelta(minutes=1)  # refresh a session's "last seen" at most this often


@dataclass
class SignedIn:
    user: models.StaffUser
    caller: Caller
    session_token: str  # for the cookie; the database keeps only its hash


async def recent_failures(
    session: AsyncSession, *, username: str, ip: str, now: datetime
) -> tuple[int, int]:
    """Failures in the window: (this name from this address, this address for any name)."""
    since = now - WINDOW
    f = models.SignInFailure
    pair = await session.scalar(
        select(func.count()).where(f.username == username, f.ip == ip, f.at >= since)
    )
    address = await session.scalar(select(func.count()).where(f.ip == ip, f.at >= since))
    return pair or 0, address or 0


def slowdown(failures: int) -> float:
    """Seconds to wait before answering the next try."""
    return max(failures - SLOW_AFTER + 1, 0) * SLOWDOWN_PER_FAILURE


async def sign_in(
    *, session: AsyncSession, username: str, password: str, ip: str, now: datetime
) -> SignedIn:
    """Check a staff member's password; `Unauthenticated` or `RateLimited` if not.

    The try is counted before the password is checked, in one write transaction
    (writers take turns: `begin_write`), so parallel tries cannot all read "four
    failures so far": exactly `LOCK_USER_AT` of them reach the check, the rest are
    refused. A successful sign-in then clears the name's failures at that address.
    """
    username = username.strip()[:64]
    await begin_write(session)
    pair, address = await recent_failures(session, username=username, ip=ip, now=now)
    if pair >= LOCK_USER_AT or address >= LOCK_ADDRESS_AT:
        metrics.SIGNIN_LOCKS.inc()
        await session.rollback()
        raise RateLimited(
            "too many failed sign-ins; try again in {minutes} minutes",
            params={"minutes": int(WINDOW.total_seconds() // 60)},
        )
    session.add(models.SignInFailure(username=username, ip=ip, at=now))
    await session.commit()
    row = (
        await session.execute(
            select(models.StaffUser, models.Organisation)
            .join(models.Organisation, models.Organisation.id == models.StaffUser.organisation_id)
            .where(models.StaffUser.username == username)
        )
    ).one_or_none()
    await session.commit()  # no transaction held open during the slow hash
    user, organisation = row if row is not None else (None, None)
    # argon2 takes tens of milliseconds of CPU: off the event loop.
    valid = await asyncio.to_thread(
        verify_password, user.password_hash if user else _DUMMY_HASH, password
    )
    if (
        not valid
        or user is None
        or organisation is None
        or not user.active
        or not organisation.active
    ):
        metrics.SIGNIN_FAILURES.inc()
        raise Unauthenticated(WRONG)
    await begin_write(session)
    await session.execute(
        delete(models.SignInFailure).where(
            models.SignInFailure.username == username, models.SignInFailure.ip == ip
        )
    )
    await session.execute(
        update(models.StaffUser).where(models.StaffUser.id == user.id).values(last_login_at=now)
    )
    token = await open_session(session, user_id=user.id, now=now)
    await session.commit()
    return SignedIn(user, staff_caller(user, organisation), token)


async def session_caller(
    session: AsyncSession, *, token: str, now: datetime, idle: timedelta, touch: bool = True
) -> Caller | None:
    """The caller a session token stands for; None once it was ended (signed out,
    the person deactivated or their password changed), has been idle longer than
    `idle`, or the person or organisation is inactive. `touch` records the visit."""
    row = (
        await session.execute(
            select(models.StaffSession, models.StaffUser, models.Organisation)
            .join(models.StaffUser, models.StaffUser.id == models.StaffSession.user_id)
            .join(models.Organisation, models.Organisation.id == models.StaffUser.organisation_id)
            .where(models.StaffSession.token_hash == token_hash(token))
        )
    ).one_or_none()
    if row is None:
        return None
    staff_session, user, organisation = row
    if now - staff_session.seen_at > idle:
        await end_session(session, token=token)
        return None
    if not user.active or not organisation.active:
        return None
    if touch and now - staff_session.seen_at >= SEEN_RESOLUTION:
        await begin_write(session)
        await session.execute(
            update(models.StaffSession)
            .where(models.StaffSession.id == staff_session.id)
            .values(seen_at=now)
        )
        await session.commit()
    return staff_caller(user, organisation)


async def set_password(*, session: AsyncSession, username: str, password: str) -> models.StaffUser:
    """Give a staff member a new password and end every session they have, in one
    transaction: whoever held a session under the old password holds nothing now."""
    if len(password) < 10:
        raise BadUserInput("a password has at least 10 characters", field="password")
    await begin_write(session)
    user = await session.scalar(
        select(models.StaffUser).where(models.StaffUser.username == username.strip())
    )
    if user is None:
        await session.rollback()
        raise NotFound("no such user", field="username")
    user.password_hash = hash_password(password)
    await end_sessions_of(session, user.id)
    await session.commit()
    return user
