"""The care centre's steps, and the handlers' risk flags."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from resolvers.care import records
from resolvers.care.flags import flag_risk as flag_risk_step
from resolvers.workflow.steps import PetitionRef
from schema.appeals.types import Petition
from schema.care.types import (
    CareSession,
    CounsellingPlan,
    CrisisRecord,
    Screening,
    petition_id_of,
)
from schema.common import Info, local
from schema.enums import CareSessionKind, RiskFlagKind, RiskLevel


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
            petition_id=petition_id_of(petition_id),
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
            petition_id=petition_id_of(petition_id),
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
            petition_id=petition_id_of(petition_id),
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
            petition_id=petition_id_of(petition_id),
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
            ref=PetitionRef(id=petition_id_of(id), expected_version=expected_version),
            kind=kind,
            note=note,
        )
        return Petition.from_row(row, info)
