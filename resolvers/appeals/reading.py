"""Reading appeals: filters, keyset pages, counts, one by id or number — all in the slice."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import AssignmentStatus, Category, Channel, Level, Matter, PetitionStatus
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.access.policy import SEES_ALL, petition_scope
from resolvers.appeals.repeats import repeat_filter
from resolvers.deadlines import standing
from resolvers.errors import BadUserInput
from resolvers.pagination import Page, decode_cursor, encode_cursor
from resolvers.services import Services
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
    due_soon: bool | None = None
    channels: list[Channel] | None = None
    level_skipping: bool | None = None
    # The worklist's own views (resolvers/appeals/worklist.py) narrow by these too:
    awaiting_signature_by: int | None = None  # an organisation holds a pending assignment
    acted_by: int | None = None  # a staff member wrote one of the appeal's events
    within: PetitionFilter | None = None  # and this filter holds as well


class PetitionOrder(enum.Enum):
    """How a list of appeals is sorted; the id breaks ties in the same direction."""

    RECEIVED_DESC = "received-desc"
    RECEIVED_ASC = "received-asc"
    DUE_ASC = "due-asc"
    DUE_DESC = "due-desc"

    @property
    def by_due(self) -> bool:
        return self in (PetitionOrder.DUE_ASC, PetitionOrder.DUE_DESC)

    @property
    def descending(self) -> bool:
        return self in (PetitionOrder.RECEIVED_DESC, PetitionOrder.DUE_DESC)


def _org_id(code: str) -> ColumnElement[int]:
    return select(models.Organisation.id).where(models.Organisation.code == code).scalar_subquery()


def _region_id(code: str) -> ColumnElement[int]:
    return select(models.Region.id).where(models.Region.code == code).scalar_subquery()


def filter_conditions(
    f: PetitionFilter, now: datetime, services: Services, caller: Caller
) -> list[ColumnElement[bool]]:
    """The filter as SQL conditions on `petitions` (`repeat` as far as `caller` may know)."""
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
    if f.channels:
        conditions.append(p.channel.in_(f.channels))
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
    if f.due_soon is not None:
        condition = standing.due_soon(now, services)
        conditions.append(condition if f.due_soon else ~condition)
    if f.collective is not None:
        conditions.append(p.collective.is_(f.collective))
    if f.backlog is not None:
        conditions.append(p.backlog.is_(f.backlog))
    if f.level_skipping is not None:
        skipping = repeat_filter(caller, level_skipping=True)
        conditions.append(skipping if f.level_skipping else ~skipping)
    if f.awaiting_signature_by is not None:
        pending = select(models.Assignment.petition_id).where(
            models.Assignment.organisation_id == f.awaiting_signature_by,
            models.Assignment.status == AssignmentStatus.PENDING,
        )  # IN, not EXISTS: found once by the (organisation, petition) index
        conditions.append(p.id.in_(pending))
    if f.acted_by is not None:  # the pairs kept from the events (migration 0014_pages_kept)
        acted = select(models.StaffAppeal.petition_id).where(
            models.StaffAppeal.user_id == f.acted_by
        )
        conditions.append(p.id.in_(acted))
    if f.within is not None:
        conditions.extend(filter_conditions(f.within, now, services, caller))
    if f.repeat is not None:
        repeat = repeat_filter(caller)
        conditions.append(repeat if f.repeat else ~repeat)
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


def scoped_petitions(
    caller: Caller, f: PetitionFilter, now: datetime, services: Services
) -> Select:  # type: ignore[type-arg]
    """`select(Petition)` within the caller's slice, narrowed by the filter."""
    statement = petition_scope(select(models.Petition), caller)
    return statement.where(*filter_conditions(f, now, services, caller))


def _sort_key(order: PetitionOrder) -> ColumnElement[datetime]:
    p = models.Petition
    return p.due_at if order.by_due else p.received_at  # type: ignore[return-value]


def encode_list_cursor(order: PetitionOrder, row: models.Petition) -> str:
    """A page cursor: the ordering it belongs to, the row's sort key and its id."""
    return encode_cursor(order.value, row.due_at if order.by_due else row.received_at, row.id)


def decode_list_cursor(
    cursor: str, order: PetitionOrder, field: str = "after"
) -> tuple[datetime, int]:
    """The sort key and id of a cursor `encode_list_cursor` gave for the same ordering."""
    parts = decode_cursor(cursor, field)
    try:
        kind, at, ident = parts
        if kind != order.value:
            raise ValueError(kind)
        return datetime.fromisoformat(at), int(ident)
    except ValueError:
        raise BadUserInput("not a cursor this API gave out", field=field) from None


def keyset_page(
    statement: Select,
    order: PetitionOrder,
    after: str | None,
    first: int,  # type: ignore[type-arg]
) -> Select:  # type: ignore[type-arg]
    """Order `statement` (rows of `petitions`) and keep the `first + 1` rows after the cursor."""
    p = models.Petition
    key = _sort_key(order)
    if after:
        at, ident = decode_list_cursor(after, order)
        if order.descending:
            statement = statement.where(tuple_(key, p.id) < tuple_(at, ident))
        else:
            statement = statement.where(tuple_(key, p.id) > tuple_(at, ident))
    if order.descending:
        statement = statement.order_by(key.desc(), p.id.desc())
    else:
        statement = statement.order_by(key.asc(), p.id.asc())
    return statement.limit(first + 1)


async def list_petitions(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    where: PetitionFilter,
    order: PetitionOrder = PetitionOrder.RECEIVED_DESC,
    first: int,
    after: str | None,
    now: datetime,
) -> Page[models.Petition]:
    """A keyset page of the appeals in the caller's slice that match the filter: the one
    list read of the API, the worklist and the exports."""
    statement = keyset_page(scoped_petitions(caller, where, now, services), order, after, first)
    rows = list((await session.scalars(statement)).all())
    has_next = len(rows) > first
    rows = rows[:first]
    return Page(rows, [encode_list_cursor(order, r) for r in rows], has_next)


def count_expression(
    caller: Caller, where: PetitionFilter, now: datetime, services: Services
) -> ColumnElement[int]:
    """How many appeals the filter matches in the slice, as SQL. Unfiltered, it is the
    slice's row of `slice_counts` (kept by triggers in every writing transaction, see
    migration 0007), read in constant time; so is 我经办的 alone over the whole district
    (`staff_appeal_counts`, migration 0014); filtered, it counts."""
    if not filter_conditions(where, now, services, caller):
        key = 0 if caller.organisation_kind in SEES_ALL else caller.organisation_id
        kept = select(models.SliceCount.appeals).where(models.SliceCount.organisation_id == key)
        return func.coalesce(kept.scalar_subquery(), 0)
    acted_by = _acted_by_alone(where)
    if acted_by is not None and caller.organisation_kind in SEES_ALL:
        mine = models.StaffAppealCount
        kept = select(mine.appeals).where(mine.user_id == acted_by)
        return func.coalesce(kept.scalar_subquery(), 0)
    matching = scoped_petitions(caller, where, now, services).with_only_columns(models.Petition.id)
    return select(func.count()).select_from(matching.subquery()).scalar_subquery()


def _acted_by_alone(where: PetitionFilter) -> int | None:
    """The staff member when `where` (with what it holds `within`) narrows by nothing but
    the appeals they wrote an event on (我经办的), else None."""
    layers = []
    f: PetitionFilter | None = where
    while f is not None:
        layers.append(replace(f, within=None))
        f = f.within
    acted = {layer.acted_by for layer in layers if layer.acted_by is not None}
    if len(acted) != 1 or any(replace(x, acted_by=None) != PetitionFilter() for x in layers):
        return None
    return acted.pop()


def counts_within(
    caller: Caller,
    where: PetitionFilter,
    withins: list[PetitionFilter],
    now: datetime,
    services: Services,
) -> Select:  # type: ignore[type-arg]
    """How many appeals match `where` and each of `withins` (a worklist's tabs): one
    statement of one row. With a text search, the slice, `where` and the search are
    evaluated once, in one pass over the appeals, and each count is its own conditions
    over the rows that passed (`count(CASE WHEN …)`); else each is a `count_expression`
    of its own, so each may use its index (and an unfiltered one is the kept count)."""
    if not where.text:
        return select(
            *(
                count_expression(caller, replace(where, within=within), now, services)
                for within in withins
            )
        )
    counted: list[ColumnElement[int]] = []
    for within in withins:
        conditions = filter_conditions(within, now, services, caller)
        counted.append(func.count(case((and_(*conditions), 1))) if conditions else func.count())
    return scoped_petitions(caller, where, now, services).with_only_columns(*counted)


async def count_petitions(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    where: PetitionFilter,
    now: datetime,
) -> int:
    """How many appeals the filter matches in the slice."""
    return int(
        (await session.execute(select(count_expression(caller, where, now, services)))).scalar_one()
    )


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
