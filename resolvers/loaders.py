"""Batch loads for nested fields: one statement per kind of thing, whatever the page size.

Each function takes the keys of one batch and returns one result per key, in
order. The GraphQL door wraps them in DataLoaders; the pages call them directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from resolvers.access.caller import Caller
from resolvers.access.policy import personal_data_filter, petition_scope
from resolvers.appeals.repeats import RepeatView, disclose_events, repeat_views

M = TypeVar("M", models.Organisation, models.Region, models.Petitioner, models.StaffUser)


async def _by_id(session: AsyncSession, model: type[M], ids: Sequence[int]) -> list[M | None]:
    if not ids:
        return []  # no statement for nothing
    rows = await session.scalars(select(model).where(model.id.in_(set(ids))))
    by_id = {row.id: row for row in rows}
    return [by_id.get(i) for i in ids]


async def organisations_by_id(
    session: AsyncSession, ids: Sequence[int]
) -> list[models.Organisation | None]:
    return await _by_id(session, models.Organisation, ids)


async def organisations_by_code(
    session: AsyncSession, codes: Sequence[str]
) -> list[models.Organisation | None]:
    """Organisations by code (the directory is public to every caller)."""
    rows = await session.scalars(
        select(models.Organisation).where(models.Organisation.code.in_(set(codes)))
    )
    by_code = {row.code: row for row in rows}
    return [by_code.get(c) for c in codes]


async def organisations_by_id_or_code(
    session: AsyncSession, ids: Sequence[int], codes: Sequence[str]
) -> list[models.Organisation]:
    """The organisations with these ids or these codes, in one statement (a page that
    names organisations both ways: its rows' ids and its events' codes)."""
    o = models.Organisation
    wanted = ([o.id.in_(set(ids))] if ids else []) + ([o.code.in_(set(codes))] if codes else [])
    if not wanted:
        return []
    return list((await session.scalars(select(o).where(or_(*wanted)))).all())


async def regions_by_id(session: AsyncSession, ids: Sequence[int]) -> list[models.Region | None]:
    return await _by_id(session, models.Region, ids)


async def petitioners_by_id(
    session: AsyncSession, ids: Sequence[int]
) -> list[models.Petitioner | None]:
    return await _by_id(session, models.Petitioner, ids)


async def assignments_by_petition(
    session: AsyncSession, petition_ids: Sequence[int]
) -> list[list[models.Assignment]]:
    """Each appeal's assignments, oldest first. Callers pass only visible appeals."""
    rows = await session.scalars(
        select(models.Assignment)
        .where(models.Assignment.petition_id.in_(set(petition_ids)))
        .order_by(
            models.Assignment.petition_id, models.Assignment.assigned_at, models.Assignment.id
        )
    )
    grouped: dict[int, list[models.Assignment]] = defaultdict(list)
    for row in rows:
        grouped[row.petition_id].append(row)
    return [grouped.get(i, []) for i in petition_ids]


async def events_by_petition(
    session: AsyncSession, petition_ids: Sequence[int]
) -> list[list[models.PetitionEvent]]:
    """Each appeal's timeline, in order. Callers pass only visible appeals."""
    rows = await session.scalars(
        select(models.PetitionEvent)
        .where(models.PetitionEvent.petition_id.in_(set(petition_ids)))
        .order_by(models.PetitionEvent.petition_id, models.PetitionEvent.id)
    )
    grouped: dict[int, list[models.PetitionEvent]] = defaultdict(list)
    for row in rows:
        grouped[row.petition_id].append(row)
    return [grouped.get(i, []) for i in petition_ids]


async def shown_events_by_petition(
    session: AsyncSession, caller: Caller, petition_ids: Sequence[int]
) -> list[list[models.PetitionEvent]]:
    """Each appeal's timeline as `caller` is shown it (`repeats.disclose_events`)."""
    timelines = await events_by_petition(session, petition_ids)
    shown = await disclose_events(session, caller, [e for t in timelines for e in t])
    kept = {id(e) for e in shown}
    return [[e for e in t if id(e) in kept] for t in timelines]


async def repeats_by_petition(
    session: AsyncSession, caller: Caller, petitions: Sequence[models.Petition]
) -> list[RepeatView]:
    """Each appeal's repeat history as `caller` is shown it; no statement when none of
    them is a repeat at all."""
    repeated = [p.id for p in petitions if p.repeat_count]
    views = (
        dict(zip(repeated, await repeat_views(session, caller, repeated), strict=True))
        if repeated
        else {}
    )
    return [views.get(p.id, RepeatView()) for p in petitions]


async def personal_data_visible(
    session: AsyncSession, caller: Caller, petition_ids: Sequence[int]
) -> list[bool]:
    """For each appeal, whether `caller` may read its petitioner's ID number and phone."""
    rows = await session.scalars(
        select(models.Petition.id).where(
            models.Petition.id.in_(set(petition_ids)), personal_data_filter(caller)
        )
    )
    allowed = set(rows)
    return [i in allowed for i in petition_ids]


async def visible_petitions_by_id(
    session: AsyncSession, caller: Caller, ids: Sequence[int]
) -> list[models.Petition | None]:
    """Appeals by id, None for those absent or outside `caller`'s slice."""
    rows = await session.scalars(
        petition_scope(select(models.Petition), caller).where(models.Petition.id.in_(set(ids)))
    )
    by_id = {row.id: row for row in rows}
    return [by_id.get(i) for i in ids]


async def staff_users_by_id(
    session: AsyncSession, ids: Sequence[int]
) -> list[models.StaffUser | None]:
    """Staff users by id: who acted, for a timeline."""
    return await _by_id(session, models.StaffUser, ids)
