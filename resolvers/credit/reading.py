"""Reading credit records: lists, one by id, and the batches nested fields use — each
through `credit_scope`, after `require_reading_credit`. Outside the slice looks like
nothing there."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import CreditEventKind, CreditRecordKind, CreditStatus, DisputeStage
from resolvers.access.caller import Caller
from resolvers.access.credit_policy import credit_scope, require_reading_credit
from resolvers.pagination import Page, decode_time_id_cursor, encode_cursor


@dataclass(frozen=True)
class CreditFilter:
    """Narrows a list of credit records; every given condition holds."""

    uscc: str | None = None
    kind: CreditRecordKind | None = None
    status: CreditStatus | None = None
    stage: DisputeStage | None = None
    petition_id: int | None = None
    public: bool | None = None


def _records(caller: Caller, where: CreditFilter) -> Select:  # type: ignore[type-arg]
    require_reading_credit(caller)
    r = models.CreditRecord
    statement = credit_scope(select(r), caller)
    if where.uscc is not None:
        statement = statement.where(
            r.enterprise_id.in_(
                select(models.Enterprise.id).where(
                    models.Enterprise.uscc == where.uscc.strip().upper()
                )
            )
        )
    for column, value in (
        (r.kind, where.kind),
        (r.status, where.status),
        (r.stage, where.stage),
        (r.petition_id, where.petition_id),
        (r.public, where.public),
    ):
        if value is not None:
            statement = statement.where(column == value)
    return statement


async def _keyset_page(
    session: AsyncSession,
    statement: Select,  # type: ignore[type-arg]
    moment: Any,
    first: int,
    after: str | None,
) -> Page[models.CreditRecord]:
    """A keyset page of `statement`'s records, newest `moment` (a column) first."""
    r = models.CreditRecord
    if after:
        at, last = decode_time_id_cursor(after)
        statement = statement.where(tuple_(moment, r.id) < tuple_(at, last))
    rows = list(
        await session.scalars(statement.order_by(moment.desc(), r.id.desc()).limit(first + 1))
    )
    has_next = len(rows) > first
    rows = rows[:first]
    key = moment.key
    return Page(rows, [encode_cursor(getattr(row, key), row.id) for row in rows], has_next)


async def list_credit_records(
    *, session: AsyncSession, caller: Caller, where: CreditFilter, first: int, after: str | None
) -> Page[models.CreditRecord]:
    """The credit records in the caller's slice, newest recorded first."""
    statement = _records(caller, where)
    return await _keyset_page(session, statement, models.CreditRecord.recorded_at, first, after)


DECIDED = (CreditStatus.CONFIRMED, CreditStatus.REJECTED, CreditStatus.REPAIRED)


def _decided_proposals(caller: Caller) -> Select:  # type: ignore[type-arg]
    r, e = models.CreditRecord, models.CreditEvent
    was_proposed = (
        select(e.id).where(e.record_id == r.id, e.kind == CreditEventKind.CREDIT_PROPOSED).exists()
    )
    return _records(caller, CreditFilter()).where(
        r.status.in_(DECIDED), r.decided_at.is_not(None), was_proposed
    )


async def list_decided_proposals(
    *, session: AsyncSession, caller: Caller, first: int, after: str | None
) -> Page[models.CreditRecord]:
    """The proposals the centre has decided (confirmed — and maybe since repaired — or
    rejected) in the caller's slice, newest decision first."""
    statement = _decided_proposals(caller)
    return await _keyset_page(session, statement, models.CreditRecord.decided_at, first, after)


async def count_decided_proposals(*, session: AsyncSession, caller: Caller) -> int:
    statement = _decided_proposals(caller).with_only_columns(func.count()).order_by(None)
    return int(await session.scalar(statement) or 0)


async def count_credit_records(
    *, session: AsyncSession, caller: Caller, where: CreditFilter
) -> int:
    statement = _records(caller, where).with_only_columns(func.count()).order_by(None)
    return int(await session.scalar(statement) or 0)


async def credit_record_by_id(
    *, session: AsyncSession, caller: Caller, ident: int
) -> models.CreditRecord | None:
    """One record, if the caller may read it."""
    statement = _records(caller, CreditFilter()).where(models.CreditRecord.id == ident)
    return (await session.scalars(statement)).one_or_none()


async def credit_records_by_id(
    session: AsyncSession, caller: Caller, ids: Sequence[int]
) -> list[models.CreditRecord | None]:
    """Records by id within the caller's slice (a repair's original, an original's repair)."""
    rows = await session.scalars(
        _records(caller, CreditFilter()).where(models.CreditRecord.id.in_(set(ids)))
    )
    by_id = {row.id: row for row in rows}
    return [by_id.get(i) for i in ids]


async def repairs_by_record(
    session: AsyncSession, caller: Caller, ids: Sequence[int]
) -> list[models.CreditRecord | None]:
    """The repair of each record, if any and the caller may read it."""
    r = models.CreditRecord
    rows = await session.scalars(_records(caller, CreditFilter()).where(r.repairs_id.in_(set(ids))))
    by_original = {row.repairs_id: row for row in rows}
    return [by_original.get(i) for i in ids]


async def credit_records_by_enterprise(
    session: AsyncSession, caller: Caller, enterprise_ids: Sequence[int]
) -> list[list[models.CreditRecord]]:
    """Each enterprise's records in the caller's slice, newest first (its profile)."""
    r = models.CreditRecord
    rows = await session.scalars(
        _records(caller, CreditFilter())
        .where(r.enterprise_id.in_(set(enterprise_ids)))
        .order_by(r.enterprise_id, r.recorded_at.desc(), r.id.desc())
    )
    grouped: dict[int, list[models.CreditRecord]] = defaultdict(list)
    for row in rows:
        grouped[row.enterprise_id].append(row)
    return [grouped.get(i, []) for i in enterprise_ids]


async def credit_events_by_record(
    session: AsyncSession, caller: Caller, record_ids: Sequence[int]
) -> list[list[models.CreditEvent]]:
    """Each record's history, oldest first; only of records the caller may read."""
    e = models.CreditEvent
    visible = _records(caller, CreditFilter()).with_only_columns(models.CreditRecord.id)
    rows = await session.scalars(
        select(e)
        .where(e.record_id.in_(set(record_ids)), e.record_id.in_(visible))
        .order_by(e.record_id, e.id)
    )
    grouped: dict[int, list[models.CreditEvent]] = defaultdict(list)
    for row in rows:
        grouped[row.record_id].append(row)
    return [grouped.get(i, []) for i in record_ids]
