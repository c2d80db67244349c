"""Psychological care's GraphQL types: screenings, sessions, plans, crises, risk flags,
and their pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

import strawberry

from db import models
from resolvers.care import reading
from resolvers.errors import not_found
from schema.appeals.types import Petition
from schema.common import Info, PageInfo, local, parse_id
from schema.directory import Organisation, load_organisation
from schema.enums import CareSessionKind, RiskFlagKind, RiskLevel


def petition_id_of(value: strawberry.ID) -> int:
    ident = parse_id(value)
    if ident is None:
        raise not_found("petition")
    return ident


def person_id_of(value: strawberry.ID | None) -> int | None:
    return parse_id(value) if value is not None else None


@strawberry.federation.type(
    keys=["id"],
    tags=["partner"],
    description="A screening (心理筛查) of a person by the care centre (its alone).",
)
class Screening:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    person_id: strawberry.ID = strawberry.field(
        description="The person screened (the same for all their appeals)."
    )
    instrument: str = strawberry.field(description="The instrument used, e.g. `SCL-90`.")
    risk_level: RiskLevel = strawberry.field(description="The risk level it found.")
    screened_at: datetime = strawberry.field(description="When.")
    row: strawberry.Private[models.Screening]

    @classmethod
    def from_row(cls, row: models.Screening, info: Info) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            person_id=strawberry.ID(str(row.petitioner_id)),
            instrument=row.instrument,
            risk_level=row.risk_level,
            screened_at=local(info, row.screened_at),
            row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Screening | None:
        ident = parse_id(id)
        row = await info.context.call(reading.screening_by_id, ident=ident) if ident else None
        return cls.from_row(row, info) if row else None

    @strawberry.field(description="The score (sensitive: every read is audited).")
    def score(self, info: Info) -> int:
        return info.context.disclosures.show_care("Screening", self.row.id, self.row.score)

    @strawberry.field(description="The counsellor's notes (sensitive: every read is audited).")
    def notes(self, info: Info) -> str:
        return info.context.disclosures.show_care("Screening", self.row.id, self.row.notes)

    @strawberry.field(description="The appeal it was referred through, if the caller sees it.")
    async def petition(self, info: Info) -> Petition | None:
        return await Petition.resolve_reference(info, strawberry.ID(str(self.row.petition_id)))

    @strawberry.field(description="The organisation that screened (the care centre).")
    async def screened_by(self, info: Info) -> Organisation:
        return await load_organisation(info, self.row.organisation_id)


@strawberry.federation.type(
    keys=["id"],
    tags=["partner"],
    description="A care session: on site, a home visit (走访, perhaps refused: 拒访) or a "
    "hotline call (the care centre's alone).",
)
class CareSession:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    person_id: strawberry.ID = strawberry.field(description="The person cared for.")
    kind: CareSessionKind = strawberry.field(description="How it was held.")
    refused: bool = strawberry.field(description="拒访: the person refused the home visit.")
    counsellor: str = strawberry.field(description="Who held it.")
    minutes: int = strawberry.field(description="How long it lasted (0 when refused).")
    participants: list[str] = strawberry.field(
        description="Who took part besides the counsellor, family members too."
    )
    held_at: datetime = strawberry.field(description="When.")
    row: strawberry.Private[models.CareSession]

    @classmethod
    def from_row(cls, row: models.CareSession, info: Info) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            person_id=strawberry.ID(str(row.petitioner_id)),
            kind=row.kind,
            refused=row.refused,
            counsellor=row.counsellor,
            minutes=row.minutes,
            participants=list(row.participants),
            held_at=local(info, row.held_at),
            row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> CareSession | None:
        ident = parse_id(id)
        row = await info.context.call(reading.care_session_by_id, ident=ident) if ident else None
        return cls.from_row(row, info) if row else None

    @strawberry.field(description="The notes (sensitive: every read is audited).")
    def notes(self, info: Info) -> str:
        return info.context.disclosures.show_care("CareSession", self.row.id, self.row.notes)

    @strawberry.field(description="The next step agreed.")
    def next_step(self, info: Info) -> str:
        return info.context.disclosures.show_care("CareSession", self.row.id, self.row.next_step)


@strawberry.type(description="A counselling plan (疏导方案): goals and review dates.")
class CounsellingPlan:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    person_id: strawberry.ID = strawberry.field(description="The person it is for.")
    review_dates: list[date] = strawberry.field(description="When it is reviewed.")
    created_at: datetime = strawberry.field(description="When it was made.")
    row: strawberry.Private[models.CounsellingPlan]

    @strawberry.field(description="Its goals (sensitive: every read is audited).")
    def goals(self, info: Info) -> str:
        return info.context.disclosures.show_care("CounsellingPlan", self.row.id, self.row.goals)


@strawberry.type(description="A crisis intervention (危机干预) record.")
class CrisisRecord:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    person_id: strawberry.ID = strawberry.field(description="The person.")
    recorded_at: datetime = strawberry.field(description="When.")
    row: strawberry.Private[models.CrisisRecord]

    @strawberry.field(description="What happened and what was done (sensitive: audited).")
    def notes(self, info: Info) -> str:
        return info.context.disclosures.show_care("CrisisRecord", self.row.id, self.row.notes)


@strawberry.type(description="A risk a handler recorded on an appeal.")
class RiskFlag:
    kind: RiskFlagKind = strawberry.field(description="What was seen.")
    note: str = strawberry.field(description="The handler's note (not psychological data).")
    flagged_at: datetime = strawberry.field(description="When.")
    row: strawberry.Private[models.RiskFlag]

    @strawberry.field(description="Who recorded it.")
    async def organisation(self, info: Info) -> Organisation:
        return await load_organisation(info, self.row.organisation_id)


@strawberry.type(description="A screening in a page, with its cursor.")
class ScreeningEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after it.")
    node: Screening = strawberry.field(description="The screening.")


@strawberry.type(description="A page of screenings, newest first (the care centre's only).")
class ScreeningConnection:
    edges: list[ScreeningEdge] = strawberry.field(description="This page's screenings.")
    page_info: PageInfo = strawberry.field(description="Whether more follow.")
    where: strawberry.Private[reading.CareFilter]

    @strawberry.field(description="How many match, on every page together.")
    async def total_count(self, info: Info) -> int:
        return await info.context.call(reading.count_screenings, where=self.where)


@strawberry.type(description="A care session in a page, with its cursor.")
class CareSessionEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after it.")
    node: CareSession = strawberry.field(description="The session.")


@strawberry.type(description="A page of care sessions, newest first (the care centre's only).")
class CareSessionConnection:
    edges: list[CareSessionEdge] = strawberry.field(description="This page's sessions.")
    page_info: PageInfo = strawberry.field(description="Whether more follow.")
    where: strawberry.Private[reading.CareFilter]

    @strawberry.field(description="How many match, on every page together.")
    async def total_count(self, info: Info) -> int:
        return await info.context.call(reading.count_care_sessions, where=self.where)
