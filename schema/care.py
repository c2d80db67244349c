"""Psychological care as GraphQL: screenings, sessions, the risk level, the care steps.

Scores and notes are the care centre's alone (`resolvers/access/care_policy.py`); each
shown is audited (`Disclosures.show_care`, READ_PSYCH_DATA). Everyone else gets empty
lists, and sees a person's risk level only as `Petition.riskLevel` and the alert events.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Self

import strawberry

from db import models
from resolvers.care import reading, records
from resolvers.care.flags import flag_risk as flag_risk_step
from resolvers.errors import not_found
from resolvers.pagination import page_size
from resolvers.workflow.steps import PetitionRef
from schema.appeals.types import Petition
from schema.common import Info, PageInfo, local, parse_id
from schema.directory import Organisation, load_organisation
from schema.enums import CareSessionKind, RiskFlagKind, RiskLevel


def _petition_id(value: strawberry.ID) -> int:
    ident = parse_id(value)
    if ident is None:
        raise not_found("petition")
    return ident


def _person(value: strawberry.ID | None) -> int | None:
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


First = Annotated[int | None, strawberry.argument(description="Page size (default 20).")]
After = Annotated[str | None, strawberry.argument(description="Continue after this cursor.")]
OfPetition = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Only the person behind this appeal (one the caller sees)."),
]
OfPerson = Annotated[
    strawberry.ID | None, strawberry.argument(description="Only this person (`personId`).")
]


async def screenings(
    info: Info,
    first: First = None,
    after: After = None,
    petition_id: OfPetition = None,
    person_id: OfPerson = None,
    risk_level: Annotated[
        RiskLevel | None, strawberry.argument(description="Only this level.")
    ] = None,
) -> ScreeningConnection:
    where = reading.CareFilter(
        petition_id=_petition_id(petition_id) if petition_id is not None else None,
        person_id=_person(person_id) if person_id is not None else None,
        risk_level=risk_level,
    )
    size = page_size(first, info.context.services.settings.max_page_size)
    page = await info.context.call(reading.list_screenings, where=where, first=size, after=after)
    return ScreeningConnection(
        edges=[
            ScreeningEdge(cursor=c, node=Screening.from_row(r, info))
            for r, c in zip(page.rows, page.cursors, strict=True)
        ],
        page_info=PageInfo(
            has_next_page=page.has_next_page, end_cursor=page.cursors[-1] if page.cursors else None
        ),
        where=where,
    )


async def care_sessions(
    info: Info,
    first: First = None,
    after: After = None,
    petition_id: OfPetition = None,
    person_id: OfPerson = None,
    kind: Annotated[
        CareSessionKind | None, strawberry.argument(description="Only this kind.")
    ] = None,
    refused: Annotated[
        bool | None,
        strawberry.argument(description="Only refused visits (true) or held sessions (false)."),
    ] = None,
) -> CareSessionConnection:
    where = reading.CareFilter(
        petition_id=_petition_id(petition_id) if petition_id is not None else None,
        person_id=_person(person_id) if person_id is not None else None,
        kind=kind,
        refused=refused,
    )
    size = page_size(first, info.context.services.settings.max_page_size)
    page = await info.context.call(reading.list_care_sessions, where=where, first=size, after=after)
    return CareSessionConnection(
        edges=[
            CareSessionEdge(cursor=c, node=CareSession.from_row(r, info))
            for r, c in zip(page.rows, page.cursors, strict=True)
        ],
        page_info=PageInfo(
            has_next_page=page.has_next_page, end_cursor=page.cursors[-1] if page.cursors else None
        ),
        where=where,
    )


async def counselling_plans(
    info: Info,
    person_id: Annotated[strawberry.ID, strawberry.argument(description="The person.")],
) -> list[CounsellingPlan]:
    person = _person(person_id) or 0
    rows = await info.context.call(reading.person_plans, person_id=person)
    return [
        CounsellingPlan(
            id=strawberry.ID(str(r.id)),
            person_id=person_id,
            review_dates=[date.fromisoformat(d) for d in r.review_dates],
            created_at=local(info, r.created_at),
            row=r,
        )
        for r in rows
    ]


async def crisis_records(
    info: Info,
    person_id: Annotated[strawberry.ID, strawberry.argument(description="The person.")],
) -> list[CrisisRecord]:
    person = _person(person_id) or 0
    rows = await info.context.call(reading.person_crises, person_id=person)
    return [
        CrisisRecord(
            id=strawberry.ID(str(r.id)),
            person_id=person_id,
            recorded_at=local(info, r.recorded_at),
            row=r,
        )
        for r in rows
    ]


@strawberry.input(description="A screening to record.")
class ScreeningInput:
    instrument: str = strawberry.field(description="The instrument, e.g. `SCL-90`, `PHQ-9`.")
    score: int = strawberry.field(description="Its score (0–1000).")
    risk_level: RiskLevel = strawberry.field(description="The risk level it found.")
    notes: str = strawberry.field(default="", description="The counsellor's notes.")
    screened_at: datetime | None = strawberry.field(
        default=None, description="When, for a screening recorded afterwards; default now."
    )


@strawberry.input(description="A care session to record.")
class CareSessionInput:
    kind: CareSessionKind = strawberry.field(description="How it was held.")
    counsellor: str = strawberry.field(description="Who held it.")
    minutes: int = strawberry.field(default=0, description="How long (minutes).")
    refused: bool = strawberry.field(default=False, description="拒访: a refused home visit.")
    participants: list[str] = strawberry.field(
        default_factory=list, description="Who took part, e.g. 本人, 养子."
    )
    notes: str = strawberry.field(default="", description="Notes.")
    next_step: str = strawberry.field(default="", description="The next step agreed.")
    held_at: datetime | None = strawberry.field(
        default=None, description="When, for a session recorded afterwards; default now."
    )


PetitionArg = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="An appeal of the person, in the care centre's slice (referred to it)."
    ),
]


@strawberry.type(description="The care centre's steps, and the handlers' risk flags.")
class CareMutation:
    @strawberry.mutation(
        description="Record a screening; HIGH or CRISIS alerts every open "
        "appeal of the person (the level only)."
    )
    async def record_screening(
        self,
        info: Info,
        petition_id: PetitionArg,
        input: Annotated[ScreeningInput, strawberry.argument(description="The screening.")],
    ) -> Screening:
        row = await info.context.call(
            records.record_screening,
            now=info.context.now,
            petition_id=_petition_id(petition_id),
            data=records.ScreeningInput(
                instrument=input.instrument,
                score=input.score,
                risk_level=input.risk_level,
                notes=input.notes,
                screened_at=input.screened_at,
            ),
        )
        return Screening.from_row(row, info)

    @strawberry.mutation(description="Record a session, home visit (refused too) or call.")
    async def record_care_session(
        self,
        info: Info,
        petition_id: PetitionArg,
        input: Annotated[CareSessionInput, strawberry.argument(description="The session.")],
    ) -> CareSession:
        row = await info.context.call(
            records.record_care_session,
            now=info.context.now,
            petition_id=_petition_id(petition_id),
            data=records.SessionInput(
                kind=input.kind,
                counsellor=input.counsellor,
                minutes=input.minutes,
                refused=input.refused,
                participants=input.participants,
                notes=input.notes,
                next_step=input.next_step,
                held_at=input.held_at,
            ),
        )
        return CareSession.from_row(row, info)

    @strawberry.mutation(description="Make a counselling plan with goals and review dates.")
    async def record_counselling_plan(
        self,
        info: Info,
        petition_id: PetitionArg,
        goals: Annotated[str, strawberry.argument(description="The plan's goals.")],
        review_dates: Annotated[
            list[date], strawberry.argument(description="When it is reviewed (1–24 dates).")
        ],
    ) -> CounsellingPlan:
        row = await info.context.call(
            records.record_counselling_plan,
            now=info.context.now,
            petition_id=_petition_id(petition_id),
            goals=goals,
            review_dates=review_dates,
        )
        return CounsellingPlan(
            id=strawberry.ID(str(row.id)),
            person_id=strawberry.ID(str(row.petitioner_id)),
            review_dates=[date.fromisoformat(d) for d in row.review_dates],
            created_at=local(info, row.created_at),
            row=row,
        )

    @strawberry.mutation(
        description="危机干预: an urgent record; CRISIS on every open appeal "
        "of the person at once (the hall and their handlers)."
    )
    async def record_crisis(
        self,
        info: Info,
        petition_id: PetitionArg,
        notes: Annotated[str, strawberry.argument(description="What happened, what was done.")],
    ) -> CrisisRecord:
        row = await info.context.call(
            records.record_crisis,
            now=info.context.now,
            petition_id=_petition_id(petition_id),
            notes=notes,
        )
        return CrisisRecord(
            id=strawberry.ID(str(row.id)),
            person_id=strawberry.ID(str(row.petitioner_id)),
            recorded_at=local(info, row.recorded_at),
            row=row,
        )

    @strawberry.mutation(
        description="Record a risk seen on the appeal (self-harm threat, "
        "blocking offices, extreme words); it prompts a screening."
    )
    async def flag_risk(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The appeal's id.")],
        kind: Annotated[RiskFlagKind, strawberry.argument(description="What was seen.")],
        note: Annotated[str, strawberry.argument(description="What exactly.")] = "",
        expected_version: Annotated[
            int | None,
            strawberry.argument(
                description="The appeal's `version` you last read (CONFLICT if it moved on)."
            ),
        ] = None,
    ) -> Petition:
        row = await info.context.call(
            flag_risk_step,
            services=info.context.services,
            now=info.context.now,
            ref=PetitionRef(id=_petition_id(id), expected_version=expected_version),
            kind=kind,
            note=note,
        )
        return Petition.from_row(row, info)
