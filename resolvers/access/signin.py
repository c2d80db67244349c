"""Staff sign-in: passwords checked, failures slowed and then locked, per user and address.

Locks are keyed by (username, address) and by address alone, never by username
alone: someone guessing from one address locks out that address, not the person
whose name they guess, who can still sign in from the counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from resolvers import metrics
from resolvers.access.caller import Caller
from resolvers.access.tokens import hash_password, staff_caller, verify_password
from resolvers.errors import RateLimited, Unauthenticated

WINDOW = timedelta(minutes=15)
SLOW_AFTER = 3  # failures of one name from one address before each try is slowed
LOCK_USER_AT = 5  # failures of one name from one address that lock it for the window
LOCK_ADDRESS_AT = 20  # failures from one address, any names, that lock the address
SLOWDOWN_PER_FAILURE = 0.5  # seconds
WRONG = "wrong username or password"
# Verifying against this hash when the user does not exist keeps the timing alike.
_DUMMY_HASH = hash_password("no-such-user-placeholder")


@dataclass
class SignedIn:
    user: models.StaffUser
    caller: Caller


async def recent_failures(session: AsyncSession, *, username: str, ip: str, now: datetime
                          ) -> tuple[int, int]:
    """Failures in the window: (this name from this address, this address for any name)."""
    since = now - WINDOW
    f = models.SignInFailure
    pair = await session.scalar(select(func.count()).where(
        f.username == username, f.ip == ip, f.at >= since))
    address = await session.scalar(select(func.count()).where(f.ip == ip, f.at >= since))
    return pair or 0, address or 0


def slowdown(failures: int) -> float:
    """Seconds to wait before answering the next try."""
    return max(failures - SLOW_AFTER + 1, 0) * SLOWDOWN_PER_FAILURE


async def sign_in(*, session: AsyncSession, username: str, password: str, ip: str,
                  now: datetime) -> SignedIn:
    """Check a staff member's password; `Unauthenticated` or `RateLimited` if not."""
    username = username.strip()[:64]
    pair, address = await recent_failures(session, username=username, ip=ip, now=now)
    if pair >= LOCK_USER_AT or address >= LOCK_ADDRESS_AT:
        metrics.SIGNIN_LOCKS.inc()
        raise RateLimited(
            "too many failed sign-ins; try again in {minutes} minutes",
            params={"minutes": int(WINDOW.total_seconds() // 60)},
        )
    row = (await session.execute(
        select(models.StaffUser, models.Organisation)
        .join(models.Organisation, models.Organisation.id == models.StaffUser.organisation_id)
        .where(models.StaffUser.username == username)
    )).one_or_none()
    user, organisation = row if row is not None else (None, None)
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    await begin_write(session)
    if not valid or user is None or organisation is None or not user.active \
            or not organisation.active:
        session.add(models.SignInFailure(username=username, ip=ip, at=now))
        await session.commit()
        metrics.SIGNIN_FAILURES.inc()
        raise Unauthenticated(WRONG)
    await session.execute(delete(models.SignInFailure).where(
        models.SignInFailure.username == username, models.SignInFailure.ip == ip))
    await session.execute(update(models.StaffUser).where(models.StaffUser.id == user.id)
                          .values(last_login_at=now))
    await session.commit()
    return SignedIn(user, staff_caller(user, organisation))


async def caller_for_user(session: AsyncSession, user_id: int) -> Caller | None:
    """The caller a signed-in session stands for; None if the user or organisation is gone."""
    row = (await session.execute(
        select(models.StaffUser, models.Organisation)
        .join(models.Organisation, models.Organisation.id == models.StaffUser.organisation_id)
        .where(models.StaffUser.id == user_id)
    )).one_or_none()
    if row is None:
        return None
    user, organisation = row
    if not user.active or not organisation.active:
        return None
    return staff_caller(user, organisation)
