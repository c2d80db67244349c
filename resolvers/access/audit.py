"""The audit log: every unmasked read of personal data, every read of psychological
data, on every path (GraphQL, pages, exports, subscriptions), and who read it."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_scope
from resolvers.errors import Forbidden
from resolvers.pagination import Page, decode_time_id_cursor, encode_cursor


class AuditAction(enum.Enum):
    READ_PERSONAL_DATA = "查看未脱敏个人信息"
    READ_PSYCH_DATA = "查看心理数据"
    UPDATE_PETITIONER = "更正信访人信息"


class AuditPath(enum.Enum):
    GRAPHQL = "graphql"
    PAGE = "page"
    EXPORT = "export"
    SUBSCRIPTION = "subscription"


def audit_entry(
    caller: Caller,
    *,
    action: AuditAction,
    path: AuditPath,
    object_kind: str,
    ids: Iterable[int],
    at: datetime,
    detail: dict[str, Any] | None = None,
) -> models.AuditEntry:
    """One audit row for reads of `ids` by `caller` (added by the caller's unit of work)."""
    return models.AuditEntry(
        at=at,
        action=action.name,
        path=path.value,
        organisation_id=caller.organisation_id,
        user_id=caller.user_id,
        client_id=caller.client_id,
        object_kind=object_kind,
        object_ids=sorted(set(ids)),
        detail=detail or {},
    )


async def record_reads(session: AsyncSession, entries: list[models.AuditEntry]) -> None:
    """Write audit rows in a transaction of their own (reads leave nothing else to commit)."""
    if not entries:
        return
    await begin_write(session)
    session.add_all(entries)
    await session.commit()


# How many of an entry's appeals the audit page names (an export may name thousands).
SHOWN_PER_ENTRY = 5


async def petition_numbers(
    session: AsyncSession, caller: Caller, entries: Iterable[models.AuditEntry]
) -> dict[int, str]:
    """The numbers of the appeals the entries name (the first `SHOWN_PER_ENTRY` of each),
    within the caller's slice, in one query: id → number."""
    ids = {
        i for e in entries if e.object_kind == "Petition" for i in e.object_ids[:SHOWN_PER_ENTRY]
    }
    if not ids:
        return {}
    statement = petition_scope(select(models.Petition.id, models.Petition.number), caller)
    rows = await session.execute(statement.where(models.Petition.id.in_(ids)))
    return {ident: number for ident, number in rows.all()}


def require_auditor(caller: Caller) -> None:
    """Only administrators read the audit log."""
    if "admin" not in caller.scopes:
        raise Forbidden("only administrators read the audit log")


async def list_audit(
    *, session: AsyncSession, caller: Caller, first: int, after: str | None
) -> Page[models.AuditEntry]:
    """The audit log, newest first: all of it for the hall's administrators, their own
    organisation's reads for another organisation's administrators."""
    require_auditor(caller)
    entry = models.AuditEntry
    statement = select(entry)
    if not caller.is_hall:
        statement = statement.where(entry.organisation_id == caller.organisation_id)
    if after:
        at, ident = decode_time_id_cursor(after)
        statement = statement.where(tuple_(entry.at, entry.id) < tuple_(at, ident))
    rows = list(
        (
            await session.scalars(
                statement.order_by(entry.at.desc(), entry.id.desc()).limit(first + 1)
            )
        ).all()
    )
    has_next = len(rows) > first
    rows = rows[:first]
    return Page(rows, [encode_cursor(r.at, r.id) for r in rows], has_next)


async def record_unmasked(
    session: AsyncSession,
    caller: Caller,
    petition_ids: Iterable[int],
    path: AuditPath,
    detail: dict[str, Any] | None = None,
) -> None:
    """Audit that `caller` was shown these appeals' petitioners unmasked (if any)."""
    ids = set(petition_ids)
    if ids:
        await record_reads(
            session,
            [
                audit_entry(
                    caller,
                    action=AuditAction.READ_PERSONAL_DATA,
                    path=path,
                    object_kind="Petition",
                    ids=ids,
                    at=models.utcnow(),
                    detail=detail,
                )
            ],
        )
