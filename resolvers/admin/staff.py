"""Administration: who may administer which organisations, staff accounts, the audit log.

Staff with the ADMIN role administer their own organisation; the hall's
administrators administer every organisation.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from resolvers.access.caller import Caller
from resolvers.access.sessions import end_sessions_of
from resolvers.errors import BadUserInput, Forbidden, NotFound


def require_admin(caller: Caller) -> None:
    """Refuse anyone without the `admin` scope (staff: the ADMIN role)."""
    if "admin" not in caller.scopes:
        raise Forbidden("only administrators may do this")


def sets_district_rules(caller: Caller | None) -> bool:
    """Whether `caller` sets the district's rules (the calendar, time limits, governance
    data, targets): the hall's administrators; `None` is the operator's command line."""
    return caller is None or (caller.is_hall and "admin" in caller.scopes)


def administered_ids(caller: Caller) -> list[int] | None:
    """The organisations `caller` administers: None means all (the hall)."""
    require_admin(caller)
    return None if caller.is_hall else [caller.organisation_id]


async def administered_organisations(
    *, session: AsyncSession, caller: Caller
) -> list[models.Organisation]:
    ids = administered_ids(caller)
    statement = select(models.Organisation).order_by(models.Organisation.code)
    if ids is not None:
        statement = statement.where(models.Organisation.id.in_(ids))
    return list((await session.scalars(statement)).all())


async def list_users(*, session: AsyncSession, caller: Caller) -> list[models.StaffUser]:
    """Staff accounts of the organisations the caller administers."""
    ids = administered_ids(caller)
    statement = select(models.StaffUser).order_by(
        models.StaffUser.organisation_id, models.StaffUser.username
    )
    if ids is not None:
        statement = statement.where(models.StaffUser.organisation_id.in_(ids))
    return list((await session.scalars(statement)).all())


def require_administers(caller: Caller | None, organisation: models.Organisation) -> None:
    """Refuse unless `caller` administers `organisation`. `None` is the operator at the
    server's command line, who administers every organisation."""
    if caller is None:
        return
    ids = administered_ids(caller)
    if ids is not None and organisation.id not in ids:
        raise BadUserInput("choose an organisation you administer", field="organisation")


async def set_user_active(
    *, session: AsyncSession, caller: Caller, user_id: int, active: bool
) -> models.StaffUser:
    """Deactivate (or reactivate) a staff account; a deactivated one cannot sign in,
    and its sessions (and so its open event streams) end."""
    ids = administered_ids(caller)
    await begin_write(session)
    user = await session.get(models.StaffUser, user_id)
    if user is None or (ids is not None and user.organisation_id not in ids):
        await session.rollback()
        raise NotFound("no such user", field="id")
    if user.id == caller.user_id and not active:
        await session.rollback()
        raise Forbidden("you cannot deactivate your own account")
    user.active = active
    if not active:
        await end_sessions_of(session, user.id)
    await session.commit()
    return user


def ids_of(rows: Sequence[models.StaffUser | models.ApiClient]) -> list[int]:
    return sorted({r.organisation_id for r in rows})
