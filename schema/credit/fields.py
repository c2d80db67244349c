"""Credit supervision's queries and mutations: one thin field each (rules in
`resolvers/credit/`). A step on a record takes its `expectedVersion`; a stale one
answers CONFLICT, an illegal step BAD_USER_INPUT with its field; a record outside the
caller's slice answers exactly as one that does not exist."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

import strawberry

from resolvers.credit import reading, recording, steps
from resolvers.directory import enterprises as enterprise_resolvers
from resolvers.errors import not_found
from resolvers.pagination import page_size
from schema.common import Info, PageInfo, parse_id
from schema.credit.types import (
    CreditRecord,
    CreditRecordConnection,
    CreditRecordKind,
    CreditStatus,
    DisputeStage,
    connection,
)
from schema.directory import Enterprise

MAX_PAGE = 100


@strawberry.input(description="Narrows a list of credit records; every given condition holds.")
class CreditRecordFilter:
    uscc: str | None = strawberry.field(default=None, description="The enterprise's credit code.")
    kind: CreditRecordKind | None = strawberry.field(default=None, description="Only this kind.")  # type: ignore[valid-type]
    status: CreditStatus | None = strawberry.field(default=None, description="Only this status.")  # type: ignore[valid-type]
    stage: DisputeStage | None = strawberry.field(default=None, description="Only this stage.")  # type: ignore[valid-type]
    petition: strawberry.ID | None = strawberry.field(
        default=None, description="Only records from this appeal."
    )
    public: bool | None = strawberry.field(default=None, description="Only public or restricted.")


@strawberry.input(description="Narrows the enterprises.")
class EnterpriseFilter:
    search: str | None = strawberry.field(
        default=None, description="Part of the name, or the start of the credit code."
    )


async def credit_records(
    info: Info,
    filter: Annotated[
        CreditRecordFilter | None, strawberry.argument(description="Narrow the list.")
    ] = None,
    first: Annotated[int | None, strawberry.argument(description="Page size (≤ 100).")] = None,
    after: Annotated[str | None, strawberry.argument(description="A cursor.")] = None,
) -> CreditRecordConnection:
    given = filter or CreditRecordFilter()
    petition = parse_id(given.petition) if given.petition is not None else None
    if given.petition is not None and petition is None:
        petition = -1  # no such appeal: nothing matches
    where = reading.CreditFilter(
        uscc=given.uscc, kind=given.kind, status=given.status, stage=given.stage,
        petition_id=petition, public=given.public,
    )  # fmt: skip
    page = await info.context.call(
        reading.list_credit_records, where=where, first=page_size(first, MAX_PAGE), after=after
    )
    return connection(page, where, info)


async def credit_record(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
) -> CreditRecord | None:
    return await CreditRecord.resolve_reference(info, id)


@strawberry.type(description="An enterprise in a page, with its cursor.")
class EnterpriseEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after it.")
    node: Enterprise = strawberry.field(description="The enterprise.")


@strawberry.type(description="A page of enterprises, by credit code.")
class EnterpriseConnection:
    edges: list[EnterpriseEdge] = strawberry.field(description="This page's enterprises.")
    page_info: PageInfo = strawberry.field(description="Whether more follow.")
    search: strawberry.Private[str | None]

    @strawberry.field(description="How many match, on every page together.")
    async def total_count(self, info: Info) -> int:
        return await info.context.call(enterprise_resolvers.count_enterprises, search=self.search)


async def enterprises(
    info: Info,
    filter: Annotated[
        EnterpriseFilter | None, strawberry.argument(description="Search by name or code.")
    ] = None,
    first: Annotated[int | None, strawberry.argument(description="Page size (≤ 100).")] = None,
    after: Annotated[str | None, strawberry.argument(description="A cursor.")] = None,
) -> EnterpriseConnection:
    search = (filter or EnterpriseFilter()).search
    page = await info.context.call(
        enterprise_resolvers.search_enterprises,
        search=search,
        first=page_size(first, MAX_PAGE),
        after=after,
    )
    edges = [
        EnterpriseEdge(cursor=c, node=Enterprise.from_row(r))
        for r, c in zip(page.rows, page.cursors, strict=True)
    ]
    end = page.cursors[-1] if page.cursors else None
    return EnterpriseConnection(
        edges=edges, page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=end),
        search=search,
    )  # fmt: skip


RecordId = Annotated[strawberry.ID, strawberry.argument(description="The record's id.")]
RecordVersion = Annotated[
    int | None,
    strawberry.argument(
        description="The record's `version` you last read; if it has moved on, CONFLICT."
    ),
]
Reason = Annotated[str, strawberry.argument(description="Why, in words (up to 2,000).")]


def _ref(id: strawberry.ID, version: int | None) -> steps.CreditRef:
    ident = parse_id(id)
    if ident is None:
        raise not_found("credit record")
    return steps.CreditRef(id=ident, expected_version=version)


async def _call(info: Info, resolver: Callable[..., Awaitable[Any]], **kwargs: Any) -> Any:
    return await info.context.call(
        resolver, services=info.context.services, now=info.context.now, **kwargs
    )


async def record_credit_record(
    info: Info,
    uscc: Annotated[str, strawberry.argument(description="The enterprise's credit code.")],
    kind: Annotated[CreditRecordKind, strawberry.argument(description="What it says.")],  # type: ignore[valid-type]
    summary: Annotated[str, strawberry.argument(description="What happened, in words.")],
    public: Annotated[
        bool, strawberry.argument(description="Public (every partner) or restricted.")
    ] = True,
    stage: Annotated[
        DisputeStage | None,  # type: ignore[valid-type]
        strawberry.argument(description="Default: before, during or after the appeal's dispute."),
    ] = None,
    petition: Annotated[
        strawberry.ID | None, strawberry.argument(description="The appeal it comes from.")
    ] = None,
    effective_from: Annotated[
        date | None, strawberry.argument(description="Default: today.")
    ] = None,
    effective_until: Annotated[
        date | None, strawberry.argument(description="Default: open-ended.")
    ] = None,
) -> CreditRecord:
    petition_id = parse_id(petition) if petition is not None else None
    if petition is not None and petition_id is None:
        petition_id = -1  # no such appeal: refused as one outside the slice
    data = recording.CreditInput(
        uscc=uscc, kind=kind, summary=summary, public=public, stage=stage,
        petition_id=petition_id, effective_from=effective_from, effective_until=effective_until,
    )  # fmt: skip
    row = await _call(info, recording.record_credit_record, data=data)
    return CreditRecord.from_row(row, info)


async def confirm_credit_proposal(
    info: Info, id: RecordId, expected_version: RecordVersion = None
) -> CreditRecord:
    row = await _call(info, steps.confirm_credit_proposal, ref=_ref(id, expected_version))
    return CreditRecord.from_row(row, info)


async def reject_credit_proposal(
    info: Info, id: RecordId, reason: Reason, expected_version: RecordVersion = None
) -> CreditRecord:
    row = await _call(
        info, steps.reject_credit_proposal, ref=_ref(id, expected_version), reason=reason
    )
    return CreditRecord.from_row(row, info)


async def record_credit_repair(
    info: Info, id: RecordId, reason: Reason, expected_version: RecordVersion = None
) -> CreditRecord:
    row = await _call(
        info, steps.record_credit_repair, ref=_ref(id, expected_version), reason=reason
    )
    return CreditRecord.from_row(row, info)


def _mutation(resolver: Any, description: str) -> Any:
    return strawberry.federation.mutation(
        resolver=resolver, description=description, requires_scopes=[["credit:write"]]
    )


@strawberry.type(description="Credit supervision's steps.")
class CreditMutation:
    record_credit_record: CreditRecord = _mutation(
        record_credit_record,
        "Record a credit record: the credit centre's takes effect at once; another partner's "
        "(about a party to an appeal it handles) is a proposal for the centre to decide.",
    )
    confirm_credit_proposal: CreditRecord = _mutation(
        confirm_credit_proposal,
        "确认: the credit centre confirms a proposal; it joins the enterprise's profile.",
    )
    reject_credit_proposal: CreditRecord = _mutation(
        reject_credit_proposal, "驳回: the credit centre rejects a proposal, with its reason."
    )
    record_credit_repair: CreditRecord = _mutation(
        record_credit_repair,
        "信用修复: once the debt is paid, the credit centre repairs an adverse record; its "
        "effect ends, its history stays. Returns the repair (kind REPAIR).",
    )
