"""Backlog cases (信访积案) as GraphQL: the board and the steps.

A case is seen with its appeal (`care_policy.backlog_scope`). Steps take the case's
`id` and, optionally, the case `version` the caller last read.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Self

import strawberry

from db import models
from resolvers import loaders
from resolvers.backlog import cases
from resolvers.errors import not_found
from resolvers.pagination import encode_cursor, page_size
from resolvers.workflow.steps import PetitionRef
from schema.appeals.types import Petition
from schema.common import Info, PageInfo, local, parse_id


@strawberry.type(description="One review of a backlog case.")
class BacklogReview:
    reviewed_at: datetime = strawberry.field(description="When.")
    due: date = strawberry.field(description="The day it was due.")
    on_time: bool = strawberry.field(description="Held on or before the day it was due.")
    note: str = strawberry.field(description="What the review found and decided.")


@strawberry.federation.type(
    keys=["id"],
    tags=["partner"],
    description="信访积案: a long-running appeal with a leader in charge (包案领导), a plan, "
    "reviews on a cadence, the hall's supervision (督办) and, once settled, its closing "
    "assessment (销号).",
)
class BacklogCase:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    leader_name: str = strawberry.field(description="The leader in charge.")
    plan: str = strawberry.field(description="The resolution plan.")
    review_every_days: int = strawberry.field(description="The review cadence, in days.")
    opened_at: datetime = strawberry.field(description="When it became a backlog case.")
    age_days: int = strawberry.field(description="Days since it was opened (to closing).")
    next_review_due: date = strawberry.field(description="The day the next review is due.")
    review_overdue: bool = strawberry.field(description="Open, and the review is late.")
    reviews: list[BacklogReview] = strawberry.field(description="The reviews, oldest first.")
    reviewed_on_time: int = strawberry.field(description="How many reviews were on time.")
    supervision: str | None = strawberry.field(description="督办: the hall's instructions.")
    supervision_due: date | None = strawberry.field(description="The supervision's deadline.")
    supervision_overdue: bool = strawberry.field(
        description="Open, and the supervision's deadline has passed."
    )
    closed_at: datetime | None = strawberry.field(description="销号: when it was closed.")
    assessment: str | None = strawberry.field(description="The closing assessment.")
    version: int = strawberry.field(description="Grows with every step of the case.")
    row: strawberry.Private[models.BacklogCase]

    @classmethod
    def from_row(cls, row: models.BacklogCase, leader: models.StaffUser | None, info: Info) -> Self:
        tz = info.context.services.tz
        end = row.closed_at or info.context.now
        standing = cases.standing(
            row, end.astimezone(tz).date(), row.opened_at.astimezone(tz).date()
        )
        return cls(
            id=strawberry.ID(str(row.id)),
            leader_name=leader.display_name if leader else "",
            plan=row.plan,
            review_every_days=row.review_every_days,
            opened_at=local(info, row.opened_at),
            age_days=standing.age_days,
            next_review_due=row.next_review_due,
            review_overdue=standing.review_overdue,
            reviews=[_review(r) for r in row.reviews],
            reviewed_on_time=standing.reviewed_on_time,
            supervision=row.supervision,
            supervision_due=row.supervision_due,
            supervision_overdue=standing.supervision_overdue,
            closed_at=local(info, row.closed_at),
            assessment=row.assessment,
            version=row.version,
            row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> BacklogCase | None:
        ident = parse_id(id)
        row = await info.context.call(cases.backlog_case_by_id, ident=ident) if ident else None
        return (await wrap(info, [row]))[0] if row else None

    @strawberry.field(description="The appeal.")
    async def petition(self, info: Info) -> Petition | None:
        return await Petition.resolve_reference(info, strawberry.ID(str(self.row.petition_id)))


def _review(entry: dict[str, Any]) -> BacklogReview:
    return BacklogReview(
        reviewed_at=datetime.fromisoformat(entry["at"]),
        due=date.fromisoformat(entry["due"]),
        on_time=bool(entry["onTime"]),
        note=str(entry.get("note", "")),
    )


async def wrap(info: Info, rows: list[models.BacklogCase]) -> list[BacklogCase]:
    """Cases as GraphQL, their leaders loaded in one batch."""
    async with info.context.database() as session:
        leaders = await loaders.staff_users_by_id(session, [r.leader_id for r in rows])
    return [BacklogCase.from_row(r, leader, info) for r, leader in zip(rows, leaders, strict=True)]


@strawberry.type(description="A backlog case in a page, with its cursor.")
class BacklogCaseEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after it.")
    node: BacklogCase = strawberry.field(description="The case.")


@strawberry.type(description="A page of backlog cases, oldest opened first.")
class BacklogCaseConnection:
    edges: list[BacklogCaseEdge] = strawberry.field(description="This page's cases.")
    page_info: PageInfo = strawberry.field(description="Whether more follow.")
    open_only: strawberry.Private[bool | None]

    @strawberry.field(description="How many match, on every page together.")
    async def total_count(self, info: Info) -> int:
        return await info.context.call(cases.count_backlog_cases, open_only=self.open_only)


async def backlog_cases(
    info: Info,
    first: Annotated[int | None, strawberry.argument(description="Page size (default 20).")] = None,
    after: Annotated[
        str | None, strawberry.argument(description="Continue after this cursor.")
    ] = None,
    open: Annotated[
        bool | None,
        strawberry.argument(description="Only open cases (true) or closed ones (false)."),
    ] = None,
) -> BacklogCaseConnection:
    info.context.caller.require_scope("petitions:read")
    size = page_size(first, info.context.services.settings.max_page_size)
    rows, has_next = await info.context.call(
        cases.list_backlog_cases, first=size, after=after, open_only=open
    )
    nodes = await wrap(info, rows)
    cursors = [encode_cursor(r.id) for r in rows]
    return BacklogCaseConnection(
        edges=[BacklogCaseEdge(cursor=c, node=n) for n, c in zip(nodes, cursors, strict=True)],
        page_info=PageInfo(has_next_page=has_next, end_cursor=cursors[-1] if cursors else None),
        open_only=open,
    )


CaseId = Annotated[strawberry.ID, strawberry.argument(description="The backlog case's id.")]
CaseVersion = Annotated[
    int | None,
    strawberry.argument(
        description="The case `version` you last read; if it moved on since, CONFLICT and nothing "
        "changes. Leave it out to act on the current version."
    ),
]


def _case(id: strawberry.ID, version: int | None) -> cases.CaseRef:
    ident = parse_id(id)
    if ident is None:
        raise not_found("backlog case")
    return cases.CaseRef(id=ident, expected_version=version)


async def _one(info: Info, row: models.BacklogCase) -> BacklogCase:
    return (await wrap(info, [row]))[0]


@strawberry.type(description="The backlog cases' steps.")
class BacklogMutation:
    @strawberry.mutation(
        description="列为积案: open a backlog case on an appeal with its leader "
        "in charge, plan and review cadence (the hall or the street platform)."
    )
    async def open_backlog_case(
        self,
        info: Info,
        petition_id: Annotated[strawberry.ID, strawberry.argument(description="The appeal.")],
        leader_username: Annotated[
            str,
            strawberry.argument(
                description="The leader in charge (包案领导): a staff member with the LEADER role."
            ),
        ],
        plan: Annotated[str, strawberry.argument(description="The resolution plan.")],
        review_every_days: Annotated[
            int, strawberry.argument(description="Review cadence in days (1–180; 30 for monthly).")
        ] = 30,
        expected_version: Annotated[
            int | None, strawberry.argument(description="The appeal's `version` you last read.")
        ] = None,
    ) -> BacklogCase:
        ident = parse_id(petition_id)
        if ident is None:
            raise not_found("petition")
        row = await info.context.call(
            cases.open_backlog_case,
            services=info.context.services,
            now=info.context.now,
            ref=PetitionRef(id=ident, expected_version=expected_version),
            leader_username=leader_username,
            plan=plan,
            review_every_days=review_every_days,
        )
        return await _one(info, row)

    @strawberry.mutation(
        description="A review by the leader in charge (or the hall); the "
        "next is due a cadence later."
    )
    async def review_backlog_case(
        self,
        info: Info,
        id: CaseId,
        note: Annotated[str, strawberry.argument(description="What it found and decided.")],
        reviewed_at: Annotated[
            datetime | None,
            strawberry.argument(description="When, for a review recorded afterwards; default now."),
        ] = None,
        expected_version: CaseVersion = None,
    ) -> BacklogCase:
        row = await info.context.call(
            cases.review_backlog_case,
            services=info.context.services,
            now=info.context.now,
            ref=_case(id, expected_version),
            note=note,
            reviewed_at=reviewed_at,
        )
        return await _one(info, row)

    @strawberry.mutation(description="督办: the hall supervises the case, with a deadline.")
    async def supervise_backlog_case(
        self,
        info: Info,
        id: CaseId,
        instructions: Annotated[str, strawberry.argument(description="What is required.")],
        due: Annotated[date, strawberry.argument(description="By when (a later day).")],
        expected_version: CaseVersion = None,
    ) -> BacklogCase:
        row = await info.context.call(
            cases.supervise_backlog_case,
            services=info.context.services,
            now=info.context.now,
            ref=_case(id, expected_version),
            instructions=instructions,
            due=due,
        )
        return await _one(info, row)

    @strawberry.mutation(
        description="销号: close the settled case with its assessment, after "
        "the petitioner's feedback on the answer."
    )
    async def close_backlog_case(
        self,
        info: Info,
        id: CaseId,
        assessment: Annotated[str, strawberry.argument(description="The closing assessment.")],
        expected_version: CaseVersion = None,
    ) -> BacklogCase:
        row = await info.context.call(
            cases.close_backlog_case,
            services=info.context.services,
            now=info.context.now,
            ref=_case(id, expected_version),
            assessment=assessment,
        )
        return await _one(info, row)
