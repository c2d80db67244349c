"""Reading care records: the care centre's lists, through `care_scope`, newest first.

Everyone else gets empty lists: outside the slice looks like nothing there. Scores and
notes are audited where a door shows them (`Disclosures.show_care`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import CareSessionKind, RiskLevel
from resolvers.access.caller import Caller
from resolvers.access.care_policy import care_filter, care_scope
from resolvers.access.policy import petition_scope
from resolvers.pagination import Page, decode_time_id_cursor, encode_cursor


@dataclass(frozen=True)
class CareFilter:
    """Narrows a care list; every given condition holds."""

    petition_id: int | None = None  # the person behind this appeal
    person_id: int | None = None
    risk_level: RiskLevel | None = None
    kind: CareSessionKind | None = None
    refused: bool | None = None


def _person(where: CareFilter, caller: Caller, column: Any) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.petition_id is not None:
        conditions.append(
            column.in_(
                petition_scope(select(models.Petition.petitioner_id), caller).where(
                    models.Petition.id == where.petition_id
                )
            )
        )
    if where.person_id is not None:
        conditions.append(column == where.person_id)
    return conditions


def _screenings(caller: Caller, where: CareFilter) -> Select:  # type: ignore[type-arg]
    s = models.Screening
    statement = care_scope(select(s), caller).where(*_person(where, caller, s.petitioner_id))
    if where.risk_level is not None:
        statement = statement.where(s.risk_level == where.risk_level)
    return statement


def _sessions(caller: Caller, where: CareFilter) -> Select:  # type: ignore[type-arg]
    c = models.CareSession
    statement = care_scope(select(c), caller).where(*_person(where, caller, c.petitioner_id))
    if where.kind is not None:
        statement = statement.where(c.kind == where.kind)
    if where.refused is not None:
        statement = statement.where(c.refused.is_(where.refused))
    return statement


async def _page(
    session: AsyncSession,
    statement: Select,
    at: Any,
    ident: Any,  # type: ignore[type-arg]
    first: int,
    after: str | None,
) -> Page[Any]:
    if after:
        moment, last = decode_time_id_cursor(after)
        statement = statement.where(tuple_(at, ident) < tuple_(moment, last))
    rows = list(
        (await session.scalars(statement.order_by(at.desc(), ident.desc()).limit(first + 1))).all()
    )
    has_next = len(rows) > first
    rows = rows[:first]
    return Page(rows, [encode_cursor(getattr(r, at.key), r.id) for r in rows], has_next)


async def list_screenings(
    *, session: AsyncSession, caller: Caller, where: CareFilter, first: int, after: str | None
) -> Page[models.Screening]:
    """Screenings in the caller's slice, newest first."""
    s = models.Screening
    return await _page(session, _screenings(caller, where), s.screened_at, s.id, first, after)


async def count_screenings(*, session: AsyncSession, caller: Caller, where: CareFilter) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(_screenings(caller, where).subquery())
        )
        or 0
    )


async def list_care_sessions(
    *, session: AsyncSession, caller: Caller, where: CareFilter, first: int, after: str | None
) -> Page[models.CareSession]:
    """Sessions in the caller's slice, newest first."""
    c = models.CareSession
    return await _page(session, _sessions(caller, where), c.held_at, c.id, first, after)


async def count_care_sessions(*, session: AsyncSession, caller: Caller, where: CareFilter) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(_sessions(caller, where).subquery()))
        or 0
    )


async def person_plans(
    *, session: AsyncSession, caller: Caller, person_id: int
) -> list[models.CounsellingPlan]:
    """A person's counselling plans, newest first (the care centre's only)."""
    p = models.CounsellingPlan
    return list(
        await session.scalars(
            care_scope(select(p), caller)
            .where(p.petitioner_id == person_id)
            .order_by(p.created_at.desc(), p.id.desc())
        )
    )


async def person_crises(
    *, session: AsyncSession, caller: Caller, person_id: int
) -> list[models.CrisisRecord]:
    """A person's crisis records, newest first (the care centre's only)."""
    c = models.CrisisRecord
    return list(
        await session.scalars(
            care_scope(select(c), caller)
            .where(c.petitioner_id == person_id)
            .order_by(c.recorded_at.desc(), c.id.desc())
        )
    )


@dataclass(frozen=True)
class PersonUnderCare:
    """A row of the care centre's list of people at risk."""

    person_id: int
    name: str
    risk_level: RiskLevel
    screened_at: Any
    sessions: int
    home_visits: int
    refused_visits: int


async def people_under_care(*, session: AsyncSession, caller: Caller) -> list[PersonUnderCare]:
    """Everyone the centre has screened, highest current risk first (its page's list)."""
    s, c = models.Screening, models.CareSession
    screenings = list(
        await session.scalars(
            care_scope(select(s), caller).order_by(s.petitioner_id, s.screened_at, s.id)
        )
    )
    latest = {row.petitioner_id: row for row in screenings}
    if not latest:
        return []
    counts: dict[int, list[int]] = {}
    rows = await session.execute(
        care_scope(select(c.petitioner_id, c.kind, c.refused, func.count()), caller)
        .where(c.petitioner_id.in_(latest))
        .group_by(c.petitioner_id, c.kind, c.refused)
    )
    for person, kind, refused, n in rows:
        tally = counts.setdefault(person, [0, 0, 0])
        tally[0] += n
        if kind is CareSessionKind.HOME_VISIT:
            tally[1] += n
            tally[2] += n if refused else 0
    names = dict(
        (
            await session.execute(
                select(models.Petitioner.id, models.Petitioner.name).where(
                    models.Petitioner.id.in_(latest)
                )
            )
        ).all()
    )
    order = list(RiskLevel)
    people = [
        PersonUnderCare(
            person,
            names.get(person, ""),
            row.risk_level,
            row.screened_at,
            *counts.get(person, [0, 0, 0]),
        )
        for person, row in latest.items()
    ]
    return sorted(people, key=lambda p: (-order.index(p.risk_level), p.person_id))


async def screening_by_id(
    *, session: AsyncSession, caller: Caller, ident: int
) -> models.Screening | None:
    """One screening, None when absent or not the caller's to read."""
    s = models.Screening
    return await session.scalar(care_scope(select(s), caller).where(s.id == ident))


async def care_session_by_id(
    *, session: AsyncSession, caller: Caller, ident: int
) -> models.CareSession | None:
    """One care session, None when absent or not the caller's to read."""
    c = models.CareSession
    return await session.scalar(care_scope(select(c), caller).where(c.id == ident))


MAX_APPEALS = 200


async def person_appeals(
    *, session: AsyncSession, caller: Caller, person_id: int
) -> list[models.Petition]:
    """The person's appeals in the caller's slice, newest first: those a care record can
    be made on (the centre's forms name one). Empty for anyone but the care centre."""
    p = models.Petition
    return list(
        await session.scalars(
            petition_scope(select(p), caller)
            .where(care_filter(caller), p.petitioner_id == person_id)
            .order_by(p.received_at.desc(), p.id.desc())
            .limit(MAX_APPEALS)
        )
    )


async def awaiting_screening(*, session: AsyncSession, caller: Caller) -> list[models.Petition]:
    """Appeals referred to the centre (in its slice) whose person was never screened,
    newest first: where a counsellor starts. Empty for anyone but the care centre."""
    p, s = models.Petition, models.Screening
    screened = care_scope(select(s.id), caller).where(s.petitioner_id == p.petitioner_id)
    return list(
        await session.scalars(
            petition_scope(select(p), caller)
            .where(care_filter(caller), p.petitioner_id.is_not(None), ~screened.exists())
            .order_by(p.received_at.desc(), p.id.desc())
            .limit(MAX_APPEALS)
        )
    )
