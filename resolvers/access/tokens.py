"""Who the caller is: API tokens (stored hashed) and staff passwords (argon2)."""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import Select, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db import models
from db.engine import begin_write
from db.models import Role
from resolvers.access.caller import DEFAULT_TOKEN_SCOPES, SCOPES, STAFF_SCOPES, Caller
from resolvers.admin.staff import require_administers
from resolvers.errors import BadUserInput, NotFound

TOKEN_PREFIX = "phub_"
LAST_USED_RESOLUTION = timedelta(minutes=1)  # at most one write per token a minute
_hasher = PasswordHasher()


@functools.lru_cache(maxsize=4096)
def hash_token(token: str) -> str:
    # Tokens are 256 random bits: a plain digest is enough, and lookups stay indexed.
    # Kept for the tokens in use: every request of a partner's system hashes its token.
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class IssuedToken:
    client: models.ApiClient
    token: str


async def create_token(
    *,
    session: AsyncSession,
    caller: Caller | None,
    organisation_code: str,
    name: str,
    scopes: Iterable[str] = DEFAULT_TOKEN_SCOPES,
    expires_at: datetime | None = None,
) -> IssuedToken:
    """Issue a token for an organisation `caller` administers (`None`: the operator at the
    command line); the plain token exists only in the answer."""
    scopes = list(dict.fromkeys(scopes))
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise BadUserInput(
            "unknown scope {scope}; known: {known}",
            field="scopes",
            params={"scope": repr(unknown[0]), "known": ", ".join(SCOPES)},
        )
    organisation = await organisation_by_code(session, organisation_code)
    require_administers(caller, organisation)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    await begin_write(session)
    client = models.ApiClient(
        organisation_id=organisation.id,
        name=name,
        token_prefix=token[:12],
        token_hash=hash_token(token),
        scopes=scopes,
        expires_at=expires_at,
    )
    session.add(client)
    await session.commit()
    return IssuedToken(client, token)


def token_lookup(*columns: Any) -> Select:  # type: ignore[type-arg]
    """The token's row: the columns a caller is made of (no ORM objects), and `columns`
    read in the same statement (the compiled read path reads its answer here: one
    statement checks the token and answers). Its tables are aliased, so nothing read
    beside it can be correlated with them by accident."""
    client = aliased(models.ApiClient, name="token_client")
    organisation = aliased(models.Organisation, name="token_organisation")
    return (
        select(
            client.id.label("client_id"),
            client.name,
            client.scopes,
            client.revoked_at,
            client.expires_at,
            client.last_used_at,
            organisation.id.label("organisation_id"),
            organisation.code,
            organisation.kind,
            organisation.region_id,
            organisation.active,
            *columns,
        )
        .join(organisation, organisation.id == client.organisation_id)
        .where(client.token_hash == bindparam("token_hash"))
    )


# Every API request runs this: built once.
_TOKEN_LOOKUP = token_lookup()


def caller_of(row: Any, now: datetime) -> Caller | None:
    """The caller a row of `token_lookup` stands for; None if revoked, expired or its
    organisation is inactive."""
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if not row.active:
        return None
    return Caller(
        organisation_id=row.organisation_id,
        organisation_code=row.code,
        organisation_kind=row.kind,
        region_id=row.region_id,
        scopes=frozenset(row.scopes),
        client_id=row.client_id,
        name=row.name,
    )


def needs_touch(row: Any, now: datetime) -> bool:
    """Whether the token's last use is older than the resolution (one write a minute)."""
    return row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION


async def touch(session: AsyncSession, client_id: int, now: datetime) -> None:
    """Record the token's use: a write unit of its own. (Upgrading a read transaction to
    a writer would fail at once on SQLite, "database is locked", when parallel requests
    on one token all find it unused and write together.)"""
    await begin_write(session)
    await session.execute(
        update(models.ApiClient)
        .where(
            models.ApiClient.id == client_id,
            or_(
                models.ApiClient.last_used_at.is_(None),
                models.ApiClient.last_used_at <= now - LAST_USED_RESOLUTION,
            ),
        )
        .values(last_used_at=now)
    )
    await session.commit()


async def authenticate_token(*, session: AsyncSession, token: str, now: datetime) -> Caller | None:
    """The caller a bearer token stands for, or None if unknown, revoked or expired."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = (await session.execute(_TOKEN_LOOKUP, {"token_hash": hash_token(token)})).one_or_none()
    if row is None:
        return None
    caller = caller_of(row, now)
    if caller is not None and needs_touch(row, now):
        await touch(session, row.client_id, now)
    return caller


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def staff_caller(user: models.StaffUser, organisation: models.Organisation) -> Caller:
    """The caller a signed-in staff member stands for."""
    roles = frozenset(Role[r] for r in user.roles)
    scopes = STAFF_SCOPES | ({"admin"} if Role.ADMIN in roles else set())
    return Caller(
        organisation_id=organisation.id,
        organisation_code=organisation.code,
        organisation_kind=organisation.kind,
        region_id=organisation.region_id,
        roles=roles,
        scopes=frozenset(scopes),
        user_id=user.id,
        name=user.display_name,
    )


async def organisation_caller(session: AsyncSession, code: str) -> Caller:
    """The organisation itself as a caller with read scopes: the operator's command line
    acting in that organisation's slice (a report, an export), never writing."""
    organisation = await organisation_by_code(session, code)
    return Caller(
        organisation_id=organisation.id,
        organisation_code=organisation.code,
        organisation_kind=organisation.kind,
        region_id=organisation.region_id,
        roles=frozenset(),
        scopes=frozenset({"petitions:read"}),
        client_id=None,
        name=f"command line ({organisation.code})",
    )


async def create_user(
    *,
    session: AsyncSession,
    caller: Caller | None,
    organisation_code: str,
    username: str,
    password: str,
    roles: Iterable[Role],
    display_name: str | None = None,
) -> models.StaffUser:
    """Create a staff user, with the given roles, of an organisation `caller` administers
    (`None`: the operator at the command line)."""
    username = username.strip()
    if not username or len(username) > 64:
        raise BadUserInput("a username has 1 to 64 characters", field="username")
    if len(password) < 10:
        raise BadUserInput("a password has at least 10 characters", field="password")
    roles = list(roles)
    if not roles:
        raise BadUserInput("choose at least one role", field="roles")
    organisation = await organisation_by_code(session, organisation_code)
    require_administers(caller, organisation)
    taken = await session.scalar(
        select(models.StaffUser.id).where(models.StaffUser.username == username)
    )
    if taken is not None:
        raise BadUserInput("that username is taken", field="username")
    await begin_write(session)
    user = models.StaffUser(
        organisation_id=organisation.id,
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        roles=sorted({r.name for r in roles}),
    )
    session.add(user)
    await session.commit()
    return user


async def organisation_by_code(session: AsyncSession, code: str) -> models.Organisation:
    """The organisation with `code`; `NotFound` (field `org`) if there is none."""
    organisation = (
        await session.scalars(select(models.Organisation).where(models.Organisation.code == code))
    ).one_or_none()
    if organisation is None:
        raise NotFound("no organisation with code {code}", field="org", params={"code": repr(code)})
    return organisation


async def list_tokens(
    *, session: AsyncSession, organisation_ids: Iterable[int] | None = None
) -> list[models.ApiClient]:
    """API clients, newest first; only those of `organisation_ids` when given."""
    statement = select(models.ApiClient).order_by(models.ApiClient.id.desc())
    if organisation_ids is not None:
        statement = statement.where(models.ApiClient.organisation_id.in_(list(organisation_ids)))
    return list((await session.scalars(statement)).all())


async def revoke_token(
    *,
    session: AsyncSession,
    client_id: int,
    now: datetime,
    organisation_ids: Iterable[int] | None = None,
) -> models.ApiClient:
    """Revoke an API client's token (idempotent); `NotFound` outside `organisation_ids`."""
    await begin_write(session)
    client = await session.get(models.ApiClient, client_id)
    allowed = None if organisation_ids is None else set(organisation_ids)
    if client is None or (allowed is not None and client.organisation_id not in allowed):
        await session.rollback()
        raise NotFound("no such token", field="id")
    if client.revoked_at is None:
        client.revoked_at = now
    await session.commit()
    return client
