"""Dispatch (分办): which organisations to give an appeal to, and accepting and assigning
in one step.

`suggestions` is the one rule for "who should take this": by matter and place, ranked,
each with the basis it rests on. The appeal page's 交办 form, intake's routing field and
`Petition.dispatchSuggestions` all ask it. It is two steps: `gather` reads what the
ranking needs for a whole batch of appeals in a fixed number of statements, and `rank`
orders one appeal's candidates from that without a statement; `petitions_suggestions`
answers a page of appeals (with who may dispatch each) that way.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import AssignmentRole, Matter, RegionKind
from db.models import OrganisationKind as Kind
from resolvers import validation
from resolvers.access.authority import Standing, may
from resolvers.access.caller import Caller
from resolvers.access.policy import ACTIVE_ASSIGNMENT as ACTIVE
from resolvers.access.policy import SEES_ALL, petition_filter
from resolvers.services import Services
from resolvers.workflow import assignments, readiness, triage
from resolvers.workflow.steps import PetitionRef, Step, standing_of, take_step
from resolvers.workflow.transitions import Action

LABOUR = frozenset({Matter.LABOUR_WAGES, Matter.LABOUR_CONTRACT})
METRO_PROJECT = "METRO"  # Project.kind of a metro line's sites
USUAL_WINDOW = timedelta(days=365)
USUAL_COUNT = 3
# Suggested by place, not by how often they led the matter.
BY_PLACE = frozenset({Kind.APPEALS_HALL, Kind.STREET_PLATFORM, Kind.COMMUNITY_WINDOW})
USUAL_LIMIT = USUAL_COUNT + len(BY_PLACE) + 8  # leads read per matter


class Basis(enum.Enum):
    """What a suggestion rests on (the values are the page's Chinese message ids)."""

    METRO_SITE = "地铁项目工地"
    SITE_ROOM = "项目工地调解室"
    SITE_STATION = "项目所在站点"
    LABOUR_MEDIATION = "劳动争议调解"
    LABOUR_REGULATOR = "劳动保障主管部门"
    USUAL = "近一年常办"
    STREET = "所在街道"
    COMMUNITY = "所在社区"


@dataclass(frozen=True)
class Suggestion:
    """An organisation to give the appeal to, and why."""

    organisation: models.Organisation
    basis: Basis
    matter: Matter | None = None  # the matter the basis rests on, if it does
    place: str = ""  # the project, street or community named
    count: int = 0  # USUAL: appeals of the matter it led in the last year

    @property
    def reason(self) -> str:
        """In Chinese, e.g. "劳资欠薪事项 · 地铁项目工地 · 深圳地铁16号线（坪山段）"."""
        parts = [f"{self.matter.value}事项"] if self.matter else []
        parts.append(f"近一年主办{self.count}件" if self.basis is Basis.USUAL else self.basis.value)
        if self.place:
            parts.append(self.place)
        return " · ".join(parts)


class Ask(NamedTuple):
    """What one appeal's suggestions rest on: its matter, community and project."""

    matter: Matter | None
    community_id: int | None = None
    project_id: int | None = None


@dataclass(frozen=True)
class Gathered:
    """Everything `rank` needs for a batch of appeals, read at once by `gather`."""

    organisations: list[models.Organisation]  # the active ones, by code
    projects: Mapping[int, models.Project]
    regions: Mapping[int, models.Region]  # the communities and the streets over them
    usual: Mapping[Matter, list[tuple[int, int]]]  # `_usual_leads`, by matter

    @cached_property
    def by_id(self) -> dict[int, models.Organisation]:
        return {o.id: o for o in self.organisations}


async def suggestions(
    *,
    session: AsyncSession,
    caller: Caller,
    now: datetime,
    matter: Matter | None,
    community_id: int | None = None,
    project_id: int | None = None,
    exclude: Collection[int] = (),
) -> list[Suggestion]:
    """Who should take an appeal of `matter` in this community (and project), best first
    (`rank`): `gather` for a batch of one, then `rank`."""
    ask = Ask(matter, community_id, project_id)
    gathered = await gather(session=session, caller=caller, now=now, asks=[ask])
    return rank(gathered, caller, ask, exclude)


async def gather(
    *,
    session: AsyncSession,
    caller: Caller,
    now: datetime,
    asks: Collection[Ask],
    regions: Mapping[int, models.Region] | None = None,
) -> Gathered:
    """What `rank` needs for every ask of a batch, in at most four statements whatever the
    batch's and the directory's size: the active organisations, the projects, the
    communities with their streets (unless given, by `_regions`), and the usual leads of
    every matter asked about within the caller's slice."""
    organisations = list(
        await session.scalars(
            select(models.Organisation)
            .where(models.Organisation.active.is_(True))
            .order_by(models.Organisation.code)
        )
    )
    ids = {a.project_id for a in asks if a.project_id}
    of_ids = select(models.Project).where(models.Project.id.in_(ids))
    projects = {p.id: p for p in await session.scalars(of_ids)} if ids else {}
    if regions is None:
        regions = await _regions(session, {a.community_id for a in asks if a.community_id})
    matters = {a.matter for a in asks if a.matter is not None}
    usual = await _usual_leads(session, caller, matters, now) if matters else {}
    return Gathered(organisations, projects, regions, usual)


def rank(
    gathered: Gathered, caller: Caller, ask: Ask, exclude: Collection[int] = ()
) -> list[Suggestion]:
    """Who should take an appeal of `ask.matter` in its community (and project), best first:

    1. a labour matter on a metro project's site: the metro centre over the site;
       on any project's site: its mediation room; then the project's site station;
    2. a labour matter: the labour dispute mediation committee, then the department the
       metro centre reports to (the labour regulator, e.g. the human-resources bureau);
    3. the organisations that led most appeals of the matter in the caller's slice in
       the last year (the hall, street platforms and windows come by place instead);
    4. the street platform over the community, then the community's window.

    Never the caller's own organisation, the hall, an inactive one, or one in `exclude`.
    No statement: everything comes from `gathered`.
    """
    organisations, by_id, matter = gathered.organisations, gathered.by_id, ask.matter
    taken = {caller.organisation_id, *exclude}
    ranked: list[Suggestion] = []

    def add(organisation: models.Organisation | None, basis: Basis, **why: object) -> None:
        if organisation is None or organisation.id in taken:
            return
        if organisation.kind is Kind.APPEALS_HALL:
            return
        taken.add(organisation.id)
        ranked.append(Suggestion(organisation, basis, **why))  # type: ignore[arg-type]

    def of_kind(kind: Kind) -> list[models.Organisation]:
        return [o for o in organisations if o.kind is kind]

    labour = matter in LABOUR
    project = gathered.projects.get(ask.project_id or 0)
    community = gathered.regions.get(ask.community_id or 0)
    street = gathered.regions.get(community.parent_id or 0) if community else None
    if project is not None:
        room, station = (
            by_id.get(project.mediation_room_id or 0),
            by_id.get(project.station_id or 0),
        )
        if labour and project.kind == METRO_PROJECT:
            above = [by_id.get(o.parent_id or 0) for o in (room, station) if o is not None]
            centres = [o for o in above if o and o.kind is Kind.METRO_DISPUTE_CENTRE]
            for centre in (centres or of_kind(Kind.METRO_DISPUTE_CENTRE))[:1]:
                add(centre, Basis.METRO_SITE, matter=matter, place=project.name)
        if labour:
            add(room, Basis.SITE_ROOM, matter=matter, place=project.name)
        add(station, Basis.SITE_STATION, place=project.name)
    if labour:
        for committee in of_kind(Kind.LABOUR_MEDIATION_COMMITTEE):
            add(committee, Basis.LABOUR_MEDIATION, matter=matter)
        for centre in of_kind(Kind.METRO_DISPUTE_CENTRE):
            regulator = by_id.get(centre.parent_id or 0)
            if regulator is not None and regulator.kind is Kind.DEPARTMENT:
                add(regulator, Basis.LABOUR_REGULATOR, matter=matter)
    if matter is not None:
        usual = 0
        for organisation_id, count in gathered.usual.get(matter, []):
            organisation = by_id.get(organisation_id)
            if usual < USUAL_COUNT and organisation and organisation.kind not in BY_PLACE:
                before = len(ranked)
                add(organisation, Basis.USUAL, matter=matter, count=count)
                usual += len(ranked) - before
    if community is not None:
        for platform in of_kind(Kind.STREET_PLATFORM):
            if street is not None and platform.region_id == street.id:
                add(platform, Basis.STREET, place=street.name)
        for window in of_kind(Kind.COMMUNITY_WINDOW):
            if window.region_id == community.id:
                add(window, Basis.COMMUNITY, place=community.name)
    return ranked


async def _regions(
    session: AsyncSession, community_ids: Collection[int]
) -> dict[int, models.Region]:
    """The communities and the streets over them, by id, in one statement."""
    if not community_ids:
        return {}
    r = models.Region
    streets = select(r.parent_id).where(r.id.in_(community_ids), r.parent_id.is_not(None))
    rows = await session.scalars(select(r).where(r.id.in_(community_ids) | r.id.in_(streets)))
    return {row.id: row for row in rows}


async def _usual_leads(
    session: AsyncSession, caller: Caller, matters: Collection[Matter], now: datetime
) -> dict[Matter, list[tuple[int, int]]]:
    """For each of `matters`: (organisation id, count) of those that led appeals of it
    assigned in the last year, within the caller's slice, most first; one grouped
    statement over `lead_assignments` (the LEAD assignments with their appeal's matter,
    kept by triggers: one index range per matter), joined to the appeals only where the
    slice is not the whole district."""
    lead = models.LeadAssignment
    count = func.count()
    statement = (
        select(lead.matter, lead.organisation_id, count)
        .where(
            lead.matter.in_([m.name for m in matters]),
            lead.assigned_at >= now - USUAL_WINDOW,
        )
        .group_by(lead.matter, lead.organisation_id)
        .order_by(lead.matter, count.desc(), lead.organisation_id)
    )
    if caller.organisation_kind not in SEES_ALL:
        p = models.Petition
        statement = statement.join(p, p.id == lead.petition_id).where(petition_filter(caller))
    leads: dict[Matter, list[tuple[int, int]]] = {}
    for matter, organisation_id, n in await session.execute(statement):
        found = leads.setdefault(Matter[matter], [])
        if len(found) < USUAL_LIMIT:
            found.append((organisation_id, n))
    return leads


def may_dispatch(caller: Caller, standing: frozenset[Standing]) -> bool:
    """Whether the caller may give an appeal it stands to as `standing` to anyone."""
    return may(caller, Action.ASSIGN_LEAD, standing) or may(
        caller, Action.ASSIGN_ASSISTING, standing
    )


def may_route_at_intake(caller: Caller) -> bool:
    """Whether the caller may route what it registers at once (the hall's dispatchers;
    a street platform's, for an appeal of one of its communities)."""
    standing = {Standing.MEMBER, Standing.RECEIVER}
    if caller.is_hall or caller.organisation_kind is Kind.STREET_PLATFORM:
        standing |= {Standing.DISPATCHER}
    return may(caller, Action.ACCEPT, frozenset(standing)) and may(
        caller, Action.ASSIGN_LEAD, frozenset(standing)
    )


async def petition_suggestions(
    *,
    session: AsyncSession,
    caller: Caller,
    now: datetime,
    petition: models.Petition,
    assignments: list[models.Assignment],
) -> list[Suggestion] | None:
    """The suggestions for an appeal (`petitions_suggestions` for one)."""
    found = await petitions_suggestions(
        session=session, caller=caller, now=now, petitions=[petition], assignments=[assignments]
    )
    return found[0]


async def petitions_suggestions(
    *,
    session: AsyncSession,
    caller: Caller,
    now: datetime,
    petitions: Sequence[models.Petition],
    assignments: Sequence[list[models.Assignment]],
) -> list[list[Suggestion] | None]:
    """For each appeal (with its assignments), its suggestions, or None when the caller
    may not dispatch it; organisations already holding an active assignment are left
    out. A fixed number of statements whatever the number of appeals."""
    regions = await _regions(session, {p.community_id for p in petitions if p.community_id})
    allowed = [
        may_dispatch(caller, standing_of(caller, p, held, regions.get(p.community_id or 0)))
        for p, held in zip(petitions, assignments, strict=True)
    ]
    if not any(allowed):
        return [None for _ in petitions]
    asks = [Ask(p.matter, p.community_id, p.project_id) for p in petitions]
    gathered = await gather(
        session=session,
        caller=caller,
        now=now,
        asks=[ask for ask, ok in zip(asks, allowed, strict=True) if ok],
        regions=regions,
    )
    return [
        rank(gathered, caller, ask, {a.organisation_id for a in held if a.status in ACTIVE})
        if ok
        else None
        for ask, held, ok in zip(asks, assignments, allowed, strict=True)
    ]


async def route(
    step: Step, organisation_code: str, due_at: datetime | None = None, instructions: str = ""
) -> None:
    """受理 and 交办 (as lead) inside one step (`accept_and_assign`, intake): both events.
    Refused, before either, unless both would pass (`readiness.Combined`: the page's rule)."""
    await readiness.combined_ready(step, readiness.Combined.ACCEPT_AND_ASSIGN)
    triage.accept(step, None)
    await assignments.assign(step, organisation_code, AssignmentRole.LEAD, due_at, instructions)


async def accept_and_assign(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    organisation_code: str,
    due_at: datetime | None = None,
    instructions: str | None = None,
) -> models.Petition:
    """受理并交办: accept the appeal and give it to `organisation_code` as lead, in one
    transaction (ACCEPTED and ASSIGNED on the timeline; `expectedVersion` checked once)."""
    assignments.check_due(due_at, now)
    note = validation.text(
        instructions, "instructions", required=False, max_length=assignments.MAX_REASON
    )

    async def change(step: Step) -> None:
        await route(step, organisation_code, due_at, note)

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def intake_suggestions(
    *,
    session: AsyncSession,
    caller: Caller,
    now: datetime,
    matter: Matter | None,
    community_code: str | None,
    project_code: str | None,
) -> list[Suggestion] | None:
    """The suggestions while an appeal is being registered (by the codes the form holds;
    the community defaults to the registering window's), or None when the caller may not
    route at intake. Unknown codes are ignored here: submitting names the field."""
    if not may_route_at_intake(caller):
        return None
    community = project = None
    if community_code:
        community = await session.scalar(
            select(models.Region).where(models.Region.code == community_code)
        )
    else:
        own = await session.get(models.Region, caller.region_id)
        community = own if own is not None and own.kind is RegionKind.COMMUNITY else None
    if project_code:
        project = await session.scalar(
            select(models.Project).where(models.Project.code == project_code)
        )
    return await suggestions(
        session=session,
        caller=caller,
        now=now,
        matter=matter,
        community_id=community.id if community else None,
        project_id=project.id if project else None,
    )
