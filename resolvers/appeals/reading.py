"""Reading appeals: filters, keyset pages, counts, one by id or number — all in the slice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import Category, Level, Matter, PetitionStatus
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_scope
from resolvers.deadlines import standing
from resolvers.pagination import Page, decode_time_id_cursor, encode_cursor
from resolvers.validation import text as clean_text


@dataclass
class PetitionFilter:
    """What a worklist or a partner's query narrows appeals by. Empty means all."""

    statuses: list[PetitionStatus] | None = None
    categories: list[Category] | None = None
    matters: list[Matter] | None = None
    levels: list[Level] | None = None
    organisation: str | None = None
    community: str | None = None
    street: str | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    overdue: bool | None = None
    collective: bool | None = None
    backlog: bool | None = None
    repeat: bool | None = None
    text: str | None = None


def _org_id(code: str) -> ColumnElement[int]:
    return select(models.Organisation.id).where(models.Organisation.code == code).scalar_subquery()


def _region_id(code: str) -> ColumnElement[int]:
    return select(models.Region.id).where(models.Region.code == code).scalar_subquery()


def filter_conditions(f: PetitionFilter, now: datetime) -> list[ColumnElement[bool]]:
    """The filter as SQL conditions on `petitions`."""
    p = models.Petition
    conditions: list[ColumnElement[bool]] = []
    if f.statuses:
        conditions.append(p.status.in_(f.statuses))
    if f.categories:
        conditions.append(p.category.in_(f.categories))
    if f.matters:
        conditions.append(p.matter.in_(f.matters))
    if f.levels:
        conditions.append(p.level.in_(f.levels))
    if f.organisation:
        org_id = _org_id(f.organisation)
        conditions.append(
            or_(
                p.received_by_id == org_id,
                exists().where(
                    models.Assignment.petition_id == p.id,
                    models.Assignment.organisation_id == org_id,
                ),
            )
        )
    if f.community:
        conditions.append(p.community_id == _region_id(f.community))
    if f.street:
        conditions.append(
            p.community_id.in_(
                select(models.Region.id).where(models.Region.parent_id == _region_id(f.street))
            )
        )
    if f.received_from:
        validation.moment(f.received_from, "receivedFrom")
        conditions.append(p.received_at >= f.received_from)
    if f.received_to:
        validation.moment(f.received_to, "receivedTo")
        conditions.append(p.received_at < f.received_to)
    if f.overdue is not None:
        condition = standing.overdue(now)
        conditions.append(condition if f.overdue else ~condition)
    if f.collective is not None:
        conditions.append(p.collective.is_(f.collective))
    if f.backlog is not None:
        conditions.append(p.backlog.is_(f.backlog))
    if f.repeat is not None:
        conditions.append(p.repeat_of_id.is_not(None) if f.repeat else p.repeat_of_id.is_(None))
    if f.text:
        words = clean_text(f.text, "filter.text", max_length=100).split()
        for word in words:
            conditions.append(
                or_(
                    p.title.icontains(word, autoescape=True),
                    p.description.icontains(word, autoescape=True),
                )
            )
    return conditions


def scoped_petitions(caller: Caller, f: PetitionFilter, now: datetime) -> Select:  # type: ignore[type-arg]
    """`select(Petition)` within the caller's slice, narrowed by the filter."""
    statement = petition_scope(select(models.Petition), caller)
    return statement.where(*filter_conditions(f, now))


async def list_petitions(
    *,
    session: AsyncSession,
    caller: Caller,
    where: PetitionFilter,
    first: int,
    after: str | None,
    now: datetime,
) -> Page[models.Petition]:
    """A page of appeals, newest received first."""
    p = models.Petition
    statement = scoped_petitions(caller, where, now)
    if after:
        at, ident = decode_time_id_cursor(after)
        statement = statement.where(tuple_(p.received_at, p.id) < tuple_(at, ident))
    statement = statement.order_by(p.received_at.desc(), p.id.desc()).limit(first + 1)
    rows = list((await session.scalars(statement)).all())
    has_next = len(rows) > first
    rows = rows[:first]
    return Page(rows, [encode_cursor(r.received_at, r.id) for r in rows], has_next)


async def count_petitions(
    *, session: AsyncSession, caller: Caller, where: PetitionFilter, now: datetime
) -> int:
    """How many appeals the filter matches in the slice."""
    subquery = scoped_petitions(caller, where, now).with_only_columns(models.Petition.id)
    return (
        await session.execute(select(func.count()).select_from(subquery.subquery()))
    ).scalar_one()


async def get_petition(
    *, session: AsyncSession, caller: Caller, id: int | None = None, number: str | None = None
) -> models.Petition | None:
    """One appeal by id or number; None when absent or outside the slice (alike)."""
    statement = petition_scope(select(models.Petition), caller)
    if id is not None:
        statement = statement.where(models.Petition.id == id)
    if number is not None:
        statement = statement.where(models.Petition.number == number)
    if id is None and number is None:
        return None
    return (await session.scalars(statement)).one_or_none()
