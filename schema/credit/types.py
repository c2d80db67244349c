"""`CreditRecord`, its history, and the connections that page them.

What a caller reads is `resolvers/access/credit_policy.py`'s slice; every field here
only translates a row the resolvers already read through it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Self, cast

import strawberry
from strawberry.scalars import JSON

from db import models
from resolvers.credit import reading
from resolvers.disputes import reading as dispute_reading
from schema.common import Info, PageInfo, loader, local, parse_id
from schema.directory import Enterprise, Organisation, load_organisation
from schema.enums import _expose

if TYPE_CHECKING:
    from schema.appeals.types import Petition

_expose(models.CreditRecordKind, "What a credit record says of an enterprise")
CreditRecordKind = models.CreditRecordKind
_expose(models.CreditStatus, "Where a credit record stands")
CreditStatus = models.CreditStatus
_expose(models.DisputeStage, "When in the dispute a credit record was made")
DisputeStage = models.DisputeStage
_expose(models.CreditEventKind, "What happened to a credit record")
CreditEventKind = models.CreditEventKind


@strawberry.type(description="One entry of a credit record's own history.")
class CreditEvent:
    kind: CreditEventKind = strawberry.field(description="What happened.")  # type: ignore[valid-type]
    occurred_at: datetime = strawberry.field(description="When.")
    data: JSON = strawberry.field(description="The event's details.")
    organisation_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.CreditEvent, info: Info) -> Self:
        return cls(
            kind=row.kind,
            occurred_at=local(info, row.occurred_at),
            data=cast(JSON, row.data),
            organisation_id=row.organisation_id,
        )

    @strawberry.field(description="The organisation that acted (none: the hub itself).")
    async def organisation(self, info: Info) -> Organisation | None:
        ident = self.organisation_id
        return await load_organisation(info, ident) if ident else None


@strawberry.federation.type(
    keys=["id"],
    tags=["partner"],
    description="信用记录: a credit record on an enterprise. Public ones are every partner's; "
    "restricted ones the credit centre's and the recording organisation's; proposals the "
    "credit centre's and the proposing organisation's.",
)
class CreditRecord:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    kind: CreditRecordKind = strawberry.field(description="What it says.")  # type: ignore[valid-type]
    stage: DisputeStage = strawberry.field(description="Before, during or after the dispute.")  # type: ignore[valid-type]
    status: CreditStatus = strawberry.field(description="Proposed, confirmed, rejected, repaired.")  # type: ignore[valid-type]
    public: bool = strawberry.field(description="Public (every partner) or restricted.")
    summary: str = strawberry.field(description="What happened, in words.")
    recorded_at: datetime = strawberry.field(description="When it was recorded or proposed.")
    effective_from: date = strawberry.field(description="The day it takes effect.")
    effective_until: date | None = strawberry.field(
        description="The day its effect ends (a repair ends it); null: open-ended."
    )
    decided_at: datetime | None = strawberry.field(
        description="When the credit centre confirmed or rejected it."
    )
    rejection_reason: str | None = strawberry.field(description="Why a proposal was rejected.")
    version: int = strawberry.field(description="Pass as `expectedVersion` to act on it.")
    row: strawberry.Private[models.CreditRecord]

    @classmethod
    def from_row(cls, row: models.CreditRecord, info: Info) -> Self:
        rejected = row.status is models.CreditStatus.REJECTED
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            stage=row.stage,
            status=row.status,
            public=row.public,
            summary=row.summary,
            recorded_at=local(info, row.recorded_at),
            effective_from=row.effective_from,
            effective_until=row.effective_until,
            decided_at=local(info, row.decided_at),
            rejection_reason=row.decision_reason if rejected else None,
            version=row.version,
            row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> CreditRecord | None:
        ident = parse_id(id)
        row = await info.context.call(reading.credit_record_by_id, ident=ident) if ident else None
        return cls.from_row(row, info) if row else None

    @strawberry.field(description="The enterprise it is about.")
    async def enterprise(self, info: Info) -> Enterprise:
        row = await loader(info, dispute_reading.enterprises_by_id).load(self.row.enterprise_id)
        return Enterprise.from_row(row)

    @strawberry.field(description="The organisation that recorded or proposed it.")
    async def recorded_by(self, info: Info) -> Organisation:
        return await load_organisation(info, self.row.organisation_id)

    @strawberry.field(description="The appeal it came from, if the caller sees that appeal.")
    async def petition(
        self, info: Info
    ) -> Annotated[Petition, strawberry.lazy("schema.appeals.types")] | None:
        from schema.appeals.types import Petition

        ident = self.row.petition_id
        if ident is None:
            return None
        return await Petition.resolve_reference(info, strawberry.ID(str(ident)))

    @strawberry.field(description="For a repair: the record it repaired.")
    async def repairs(self, info: Info) -> CreditRecord | None:
        ident = self.row.repairs_id
        if ident is None:
            return None
        row = await loader(info, reading.credit_records_by_id, scoped=True).load(ident)
        return CreditRecord.from_row(row, info) if row else None

    @strawberry.field(description="For a repaired record: its repair.")
    async def repaired_by(self, info: Info) -> CreditRecord | None:
        if self.row.status is not models.CreditStatus.REPAIRED:
            return None
        row = await loader(info, reading.repairs_by_record, scoped=True).load(self.row.id)
        return CreditRecord.from_row(row, info) if row else None

    @strawberry.field(description="Its own history, oldest first.")
    async def events(self, info: Info) -> list[CreditEvent]:
        rows = await loader(info, reading.credit_events_by_record, scoped=True).load(self.row.id)
        return [CreditEvent.from_row(r, info) for r in rows]


async def records_of_enterprise(info: Info, enterprise_id: int) -> list[CreditRecord]:
    """An enterprise's records in the caller's slice (its credit profile)."""
    info.context.caller  # noqa: B018 - no caller, no records
    batch = loader(info, reading.credit_records_by_enterprise, scoped=True)
    return [CreditRecord.from_row(r, info) for r in await batch.load(enterprise_id)]


@strawberry.type(description="A credit record in a page, with its cursor.")
class CreditRecordEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after it.")
    node: CreditRecord = strawberry.field(description="The record.")


@strawberry.type(description="A page of credit records, newest recorded first.")
class CreditRecordConnection:
    edges: list[CreditRecordEdge] = strawberry.field(description="This page's records.")
    page_info: PageInfo = strawberry.field(description="Whether more follow.")
    where: strawberry.Private[reading.CreditFilter]

    @strawberry.field(description="How many match, on every page together.")
    async def total_count(self, info: Info) -> int:
        return await info.context.call(reading.count_credit_records, where=self.where)


def connection(page: Any, where: reading.CreditFilter, info: Info) -> CreditRecordConnection:
    edges = [
        CreditRecordEdge(cursor=c, node=CreditRecord.from_row(r, info))
        for r, c in zip(page.rows, page.cursors, strict=True)
    ]
    return CreditRecordConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page, end_cursor=page.cursors[-1] if page.cursors else None
        ),
        where=where,
    )
