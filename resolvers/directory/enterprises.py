"""Enterprises (用人单位): looked up by credit code or searched by name or code, with what
their profile shows — projects, and the open appeals and mediations naming them within
the caller's slices. Their credit records: `resolvers/credit/reading.py`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import OPEN_STATUSES, MediationStatus
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.access.disputes import mediation_scope
from resolvers.access.policy import petition_scope
from resolvers.errors import BadUserInput
from resolvers.pagination import Page, decode_cursor, encode_cursor


async def get_enterprise(
    *, session: AsyncSession, caller: Caller, uscc: str
) -> models.Enterprise | None:
    statement = select(models.Enterprise).where(models.Enterprise.uscc == uscc.strip().upper())
    return (await session.scalars(statement)).one_or_none()


async def list_enterprises(
    *, session: AsyncSession, caller: Caller, limit: int = 1000
) -> list[models.Enterprise]:
    """Known enterprises by name: what intake's employer field offers as the clerk types."""
    statement = select(models.Enterprise).order_by(models.Enterprise.name).limit(limit)
    return list((await session.scalars(statement)).all())


def _matching(search: str | None) -> Select:  # type: ignore[type-arg]
    """Enterprises whose name contains `search`, or whose credit code starts with it."""
    e = models.Enterprise
    statement = select(e)
    words = validation.text(search, "filter.search", required=False, max_length=128)
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(
            or_(
                e.name.like(f"%{escaped}%", escape="\\"),
                e.uscc.like(f"{escaped.upper()}%", escape="\\"),
            )
        )
    return statement


async def search_enterprises(
    *, session: AsyncSession, caller: Caller, search: str | None, first: int, after: str | None
) -> Page[models.Enterprise]:
    """Enterprises by credit code order (the directory is every partner's)."""
    e = models.Enterprise
    statement = _matching(search)
    if after:
        (code,) = decode_cursor(after)[:1] or [""]
        if len(code) != 18:
            raise BadUserInput("not a cursor this API gave out", field="after")
        statement = statement.where(e.uscc > code)
    rows = list((await session.scalars(statement.order_by(e.uscc).limit(first + 1))).all())
    has_next = len(rows) > first
    rows = rows[:first]
    return Page(rows, [encode_cursor(row.uscc) for row in rows], has_next)


async def count_enterprises(*, session: AsyncSession, caller: Caller, search: str | None) -> int:
    statement = _matching(search).with_only_columns(func.count()).order_by(None)
    return int(await session.scalar(statement) or 0)


async def projects_by_enterprise(
    session: AsyncSession, enterprise_ids: Sequence[int]
) -> list[list[models.Project]]:
    """The projects each enterprise works on (directory data)."""
    pe = models.ProjectEnterprise
    rows = await session.execute(
        select(pe.enterprise_id, models.Project)
        .join(models.Project, models.Project.id == pe.project_id)
        .where(pe.enterprise_id.in_(set(enterprise_ids)))
        .order_by(pe.enterprise_id, models.Project.code)
    )
    grouped: dict[int, list[models.Project]] = defaultdict(list)
    for enterprise_id, project in rows.all():
        grouped[enterprise_id].append(project)
    return [grouped.get(i, []) for i in enterprise_ids]


async def open_appeals_by_enterprise(
    session: AsyncSession, caller: Caller, enterprise_ids: Sequence[int]
) -> list[list[models.Petition]]:
    """The open appeals naming each enterprise as a party, within the caller's slice,
    newest received first."""
    p, pp = models.Petition, models.PetitionParty
    rows = await session.execute(
        petition_scope(select(pp.enterprise_id, p), caller)
        .join(pp, pp.petition_id == p.id)
        .where(pp.enterprise_id.in_(set(enterprise_ids)), p.status.in_(OPEN_STATUSES))
        .distinct()
        .order_by(pp.enterprise_id, p.received_at.desc(), p.id.desc())
    )
    grouped: dict[int, list[models.Petition]] = defaultdict(list)
    for enterprise_id, petition in rows.all():
        grouped[enterprise_id].append(petition)
    return [grouped.get(i, []) for i in enterprise_ids]


async def open_mediations_by_enterprise(
    session: AsyncSession, caller: Caller, enterprise_ids: Sequence[int]
) -> list[list[models.MediationCase]]:
    """The mediations under way naming each enterprise as a party, within the caller's
    slice of mediation cases (`access/disputes.py`), newest opened first."""
    m, mp = models.MediationCase, models.MediationParty
    rows = await session.execute(
        mediation_scope(select(mp.enterprise_id, m), caller)
        .join(mp, mp.case_id == m.id)
        .where(mp.enterprise_id.in_(set(enterprise_ids)), m.status == MediationStatus.OPEN)
        .distinct()
        .order_by(mp.enterprise_id, m.opened_at.desc(), m.id.desc())
    )
    grouped: dict[int, list[models.MediationCase]] = defaultdict(list)
    for enterprise_id, case in rows.all():
        grouped[enterprise_id].append(case)
    return [grouped.get(i, []) for i in enterprise_ids]
