"""`Query.mediationCases` (a Relay connection), one case of each stage, the projects."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.disputes import reading
from resolvers.pagination import page_size
from schema.common import Info, PageInfo, parse_id
from schema.disputes.adjudication import ArbitrationCase, LitigationCase
from schema.disputes.mediation import (
    ConfirmationStatus,
    MediationCase,
    MediationKind,
    MediationStatus,
    MetroTier,
)
from schema.disputes.parties import Project


@strawberry.input(description="Narrows a list of mediation cases; every condition must hold.")
class MediationCaseFilter:
    status: list[MediationStatus] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these statuses."
    )
    kind: list[MediationKind] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these kinds."
    )
    tier: list[MetroTier] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Metro cases now at any of these tiers."
    )
    confirmation: list[ConfirmationStatus] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Judicial confirmation in any of these states."
    )
    mediator: str | None = strawberry.field(
        default=None, description="Mediated now by the organisation with this code."
    )
    petition: strawberry.ID | None = strawberry.field(
        default=None, description="Opened from this appeal."
    )

    def to_domain(self) -> reading.MediationFilter:
        petition_id = parse_id(self.petition) if self.petition is not None else None
        return reading.MediationFilter(
            statuses=self.status,
            kinds=self.kind,
            tiers=self.tier,
            confirmation=self.confirmation,
            mediator=self.mediator,
            petition_id=petition_id if self.petition is None or petition_id else -1,
        )


@strawberry.type(description="A mediation case in a page, with its cursor.")
class MediationCaseEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this case.")
    node: MediationCase = strawberry.field(description="The case.")


@strawberry.type(description="A page of mediation cases, newest opened first.")
class MediationCaseConnection:
    edges: list[MediationCaseEdge] = strawberry.field(description="The cases of this page.")
    page_info: PageInfo = strawberry.field(description="Whether more follow.")
    where: strawberry.Private[reading.MediationFilter]

    @strawberry.field(description="How many cases match, on every page together.")
    async def total_count(self, info: Info) -> int:
        return await info.context.call(reading.count_mediation_cases, where=self.where)


async def mediation_cases(
    info: Info,
    filter: Annotated[
        MediationCaseFilter | None, strawberry.argument(description="Conditions.")
    ] = None,
    first: Annotated[int | None, strawberry.argument(description="Page size (default 20).")] = None,
    after: Annotated[
        str | None, strawberry.argument(description="Continue after this cursor.")
    ] = None,
) -> MediationCaseConnection:
    where = (filter or MediationCaseFilter()).to_domain()
    size = page_size(first, info.context.services.settings.max_page_size)
    page = await info.context.call(
        reading.list_mediation_cases, where=where, first=size, after=after
    )
    edges = [
        MediationCaseEdge(cursor=c, node=MediationCase.from_row(r, info))
        for r, c in zip(page.rows, page.cursors, strict=True)
    ]
    return MediationCaseConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page, end_cursor=page.cursors[-1] if page.cursors else None
        ),
        where=where,
    )


CaseId = Annotated[strawberry.ID, strawberry.argument(description="The case's id.")]


async def mediation_case(info: Info, id: CaseId) -> MediationCase | None:
    ident = parse_id(id)
    if ident is None:
        info.context.caller  # noqa: B018 - even a malformed id needs a caller
        return None
    row = await info.context.call(reading.get_mediation_case, id=ident)
    return MediationCase.from_row(row, info) if row else None


async def arbitration_case(info: Info, id: CaseId) -> ArbitrationCase | None:
    ident = parse_id(id)
    if ident is None:
        info.context.caller  # noqa: B018
        return None
    row = await info.context.call(reading.get_arbitration_case, id=ident)
    return ArbitrationCase.from_row(row, info) if row else None


async def litigation_case(info: Info, id: CaseId) -> LitigationCase | None:
    ident = parse_id(id)
    if ident is None:
        info.context.caller  # noqa: B018
        return None
    row = await info.context.call(reading.get_litigation_case, id=ident)
    return LitigationCase.from_row(row, info) if row else None


async def projects(info: Info) -> list[Project]:
    return [Project.from_row(r) for r in await info.context.call(reading.list_projects)]


async def project(
    info: Info, code: Annotated[str, strawberry.argument(description="e.g. `PRJ-METRO16`.")]
) -> Project | None:
    row = await info.context.call(reading.get_project, code=code)
    return Project.from_row(row) if row else None
