"""The care centre's lists (everyone else gets empty ones)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from resolvers.care import reading
from resolvers.pagination import page_size
from schema.care.types import (
    CareSession,
    CareSessionConnection,
    CareSessionEdge,
    CounsellingPlan,
    CrisisRecord,
    Screening,
    ScreeningConnection,
    ScreeningEdge,
    person_id_of,
    petition_id_of,
)
from schema.common import Info, PageInfo, local
from schema.enums import CareSessionKind, RiskLevel

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
        petition_id=petition_id_of(petition_id) if petition_id is not None else None,
        person_id=person_id_of(person_id) if person_id is not None else None,
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
        petition_id=petition_id_of(petition_id) if petition_id is not None else None,
        person_id=person_id_of(person_id) if person_id is not None else None,
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
    person = person_id_of(person_id) or 0
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
    person = person_id_of(person_id) or 0
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
