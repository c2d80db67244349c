"""Reading the chain: mediation cases (filters, keyset pages, counts), one case, the
stages of an appeal — all through the slice in `resolvers.access.disputes` — and the
child rows of a case already read (sessions, tiers, instalments, payments, parties)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, exists, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import ConfirmationStatus, MediationKind, MediationStatus, MetroTier
from resolvers.access.caller import Caller
from resolvers.access.disputes import arbitration_scope, litigation_scope, mediation_scope
from resolvers.disputes import rules
from resolvers.pagination import Page, decode_time_id_cursor, encode_cursor


@dataclass
class MediationFilter:
    """What a list of mediation cases narrows by. Empty means all in the slice."""

    statuses: list[MediationStatus] | None = None
    kinds: list[MediationKind] | None = None
    tiers: list[MetroTier] | None = None
    confirmation: list[ConfirmationStatus] | None = None
    mediator: str | None = None
    petition_id: int | None = None


def _conditions(f: MediationFilter) -> list[ColumnElement[bool]]:
    case = models.MediationCase
    conditions: list[ColumnElement[bool]] = []
    if f.statuses:
        conditions.append(case.status.in_(f.statuses))
    if f.kinds:
        conditions.append(case.kind.in_(f.kinds))
    if f.tiers:
        conditions.append(case.tier.in_(f.tiers))
    if f.confirmation:
        conditions.append(case.confirmation_status.in_(f.confirmation))
    if f.mediator:
        conditions.append(
            case.mediator_org_id
            == select(models.Organisation.id)
            .where(models.Organisation.code == f.mediator)
            .scalar_subquery()
        )
    if f.petition_id is not None:
        conditions.append(case.petition_id == f.petition_id)
    return conditions


def scoped_mediations(caller: Caller, f: MediationFilter) -> Select:  # type: ignore[type-arg]
    return mediation_scope(select(models.MediationCase), caller).where(*_conditions(f))


async def list_mediation_cases(
    *, session: AsyncSession, caller: Caller, where: MediationFilter, first: int, after: str | None
) -> Page[models.MediationCase]:
    """A page of mediation cases, newest opened first."""
    caller.require_scope("petitions:read")
    case = models.MediationCase
    statement = scoped_mediations(caller, where)
    if after:
        at, ident = decode_time_id_cursor(after)
        statement = statement.where(tuple_(case.opened_at, case.id) < tuple_(at, ident))
    statement = statement.order_by(case.opened_at.desc(), case.id.desc()).limit(first + 1)
    rows = list((await session.scalars(statement)).all())
    has_next = len(rows) > first
    rows = rows[:first]
    return Page(rows, [encode_cursor(r.opened_at, r.id) for r in rows], has_next)


async def count_mediation_cases(
    *, session: AsyncSession, caller: Caller, where: MediationFilter
) -> int:
    subquery = scoped_mediations(caller, where).with_only_columns(models.MediationCase.id)
    return (
        await session.execute(select(func.count()).select_from(subquery.subquery()))
    ).scalar_one()


async def get_mediation_case(
    *, session: AsyncSession, caller: Caller, id: int
) -> models.MediationCase | None:
    """One mediation case; None when absent or outside the slice (alike)."""
    caller.require_scope("petitions:read")
    statement = mediation_scope(select(models.MediationCase), caller)
    return (await session.scalars(statement.where(models.MediationCase.id == id))).one_or_none()


async def get_arbitration_case(
    *, session: AsyncSession, caller: Caller, id: int
) -> models.ArbitrationCase | None:
    caller.require_scope("petitions:read")
    statement = arbitration_scope(select(models.ArbitrationCase), caller)
    return (await session.scalars(statement.where(models.ArbitrationCase.id == id))).one_or_none()


async def get_litigation_case(
    *, session: AsyncSession, caller: Caller, id: int
) -> models.LitigationCase | None:
    caller.require_scope("petitions:read")
    statement = litigation_scope(select(models.LitigationCase), caller)
    return (await session.scalars(statement.where(models.LitigationCase.id == id))).one_or_none()


Stage = TypeVar("Stage", models.ArbitrationCase, models.LitigationCase)
STAGE_SCOPES: dict[type, Any] = {
    models.ArbitrationCase: arbitration_scope,
    models.LitigationCase: litigation_scope,
}


async def list_stage_cases(
    *,
    session: AsyncSession,
    caller: Caller,
    kind: type[Stage],
    statuses: Sequence[Any] | None,
    first: int,
) -> tuple[list[Stage], int]:
    """The newest `first` arbitration (or litigation) cases in the caller's slice, of
    `statuses` if given, and how many there are in all (two statements)."""
    caller.require_scope("petitions:read")
    statement = STAGE_SCOPES[kind](select(kind), caller)
    if statuses:
        statement = statement.where(kind.status.in_(list(statuses)))
    rows = await session.scalars(
        statement.order_by(kind.filed_at.desc(), kind.id.desc()).limit(first)
    )
    counted = select(func.count()).select_from(statement.with_only_columns(kind.id).subquery())
    return list(rows.all()), (await session.execute(counted)).scalar_one()


@dataclass
class Chain:
    """One dispute's stages, each as far as the caller may see it, oldest first."""

    mediations: list[models.MediationCase]
    arbitrations: list[models.ArbitrationCase]
    litigations: list[models.LitigationCase]


async def chains_by_petition(
    session: AsyncSession, caller: Caller, petition_ids: Sequence[int]
) -> list[Chain]:
    """The chain of each appeal (batched: three statements for any number of appeals)."""
    ids = list(petition_ids)
    found: dict[int, Chain] = {i: Chain([], [], []) for i in ids}
    mediations = mediation_scope(select(models.MediationCase), caller).where(
        models.MediationCase.petition_id.in_(ids)
    )
    for m in await session.scalars(mediations.order_by(models.MediationCase.id)):
        found[m.petition_id].mediations.append(m)
    arbitrations = arbitration_scope(select(models.ArbitrationCase), caller).where(
        models.ArbitrationCase.petition_id.in_(ids)
    )
    for a in await session.scalars(arbitrations.order_by(models.ArbitrationCase.id)):
        found[a.petition_id].arbitrations.append(a)
    litigations = litigation_scope(select(models.LitigationCase), caller).where(
        models.LitigationCase.petition_id.in_(ids)
    )
    for c in await session.scalars(litigations.order_by(models.LitigationCase.id)):
        found[c.petition_id].litigations.append(c)
    return [found[i] for i in ids]


async def _children(
    session: AsyncSession, model: Any, key: Any, ids: Sequence[int], order: Any
) -> list[list[Any]]:
    if not ids:
        return []  # no statement for nothing
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in await session.scalars(select(model).where(key.in_(list(ids))).order_by(*order)):
        grouped[getattr(row, key.key)].append(row)
    return [grouped[i] for i in ids]


async def sessions_by_case(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[models.MediationSession]]:
    s = models.MediationSession
    return await _children(session, s, s.case_id, ids, (s.held_at, s.id))


async def tiers_by_case(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[models.MediationTier]]:
    t = models.MediationTier
    return await _children(session, t, t.case_id, ids, (t.started_at, t.id))


async def instalments_by_case(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[models.Instalment]]:
    i = models.Instalment
    return await _children(session, i, i.case_id, ids, (i.seq,))


async def payments_by_instalment(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[models.Payment]]:
    p = models.Payment
    return await _children(session, p, p.instalment_id, ids, (p.paid_on, p.id))


async def mediation_parties_by_case(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[models.MediationParty]]:
    p = models.MediationParty
    return await _children(session, p, p.case_id, ids, (p.id,))


async def parties_by_petition(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[models.PetitionParty]]:
    p = models.PetitionParty
    return await _children(session, p, p.petition_id, ids, (p.id,))


async def project_enterprises(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[models.ProjectEnterprise]]:
    p = models.ProjectEnterprise
    return await _children(session, p, p.project_id, ids, (p.role, p.enterprise_id))


async def list_projects(*, session: AsyncSession, caller: Caller) -> list[models.Project]:
    """The construction projects (a directory, as organisations are)."""
    return list((await session.scalars(select(models.Project).order_by(models.Project.code))).all())


async def get_project(*, session: AsyncSession, caller: Caller, code: str) -> models.Project | None:
    return await session.scalar(select(models.Project).where(models.Project.code == code))


async def enterprises_by_id(
    session: AsyncSession, ids: Sequence[int]
) -> list[models.Enterprise | None]:
    rows = await session.scalars(select(models.Enterprise).where(models.Enterprise.id.in_(ids)))
    found = {r.id: r for r in rows}
    return [found.get(i) for i in ids]


async def projects_by_id(session: AsyncSession, ids: Sequence[int]) -> list[models.Project | None]:
    rows = await session.scalars(select(models.Project).where(models.Project.id.in_(ids)))
    found = {r.id: r for r in rows}
    return [found.get(i) for i in ids]


async def mediation_facts(
    session: AsyncSession, petition_id: int
) -> list[tuple[models.MediationCase, rules.MediationFacts]]:
    """The appeal's mediations, oldest first, with what the rules need. The rule reads
    them whoever asks: the answer is yes or no, never the cases themselves."""
    case = models.MediationCase
    missed = exists().where(
        models.Instalment.case_id == case.id, models.Instalment.missed_at.is_not(None)
    )
    rows = await session.execute(
        select(case, missed).where(case.petition_id == petition_id).order_by(case.id)
    )
    return [(c, rules.MediationFacts(c.status, bool(m))) for c, m in rows.all()]
