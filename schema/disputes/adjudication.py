"""`ArbitrationCase` and `LitigationCase`: the chain's steps after mediation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Self

import strawberry

from db import models
from resolvers.disputes import reading
from resolvers.disputes.money import to_yuan
from schema.common import Info, local
from schema.directory import Organisation, load_organisation
from schema.disputes.mediation import MediationCase, case_id, load_mediation
from schema.enums import _expose

_expose(models.ArbitrationStatus, "Where an arbitration case stands.")
ArbitrationStatus = models.ArbitrationStatus
_expose(models.LitigationStatus, "Where a lawsuit stands.")
LitigationStatus = models.LitigationStatus


@strawberry.federation.type(
    keys=["id"],
    tags=["partner"],
    description="劳动人事争议仲裁: an arbitration case, after mediation.",
)
class ArbitrationCase:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    number: str = strawberry.field(
        description="The institute's number, e.g. 坪劳人仲案〔2026〕12号."
    )
    status: ArbitrationStatus = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    claim: Decimal | None = strawberry.field(description="Yuan claimed.")
    filed_at: datetime = strawberry.field(description="When it was filed.")
    due_at: datetime = strawberry.field(description="Its time limit (working days, by policy).")
    hearing_at: datetime | None = strawberry.field(description="The hearing (开庭).")
    hearing_place: str | None = strawberry.field(description="Where the hearing is held.")
    awarded_at: datetime | None = strawberry.field(description="When the award was made.")
    award_amount: Decimal | None = strawberry.field(description="Yuan awarded.")
    award_summary: str | None = strawberry.field(description="The award, in words.")
    award_paid: bool = strawberry.field(description="Whether the award has been paid.")
    award_paid_at: datetime | None = strawberry.field(description="When it was paid.")
    version: int = strawberry.field(description="Grows with every step (expectedVersion).")
    row: strawberry.Private[models.ArbitrationCase]

    @classmethod
    def from_row(cls, row: models.ArbitrationCase, info: Info) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            number=row.number,
            status=row.status,
            claim=to_yuan(row.claim_fen),
            filed_at=local(info, row.filed_at),  # type: ignore[arg-type]
            due_at=local(info, row.due_at),  # type: ignore[arg-type]
            hearing_at=local(info, row.hearing_at),
            hearing_place=row.hearing_place,
            awarded_at=local(info, row.awarded_at),
            award_amount=to_yuan(row.award_fen),
            award_summary=row.award_summary,
            award_paid=row.award_paid_at is not None,
            award_paid_at=local(info, row.award_paid_at),
            version=row.version,
            row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> ArbitrationCase | None:
        ident = case_id(info, id)
        row = await info.context.call(reading.get_arbitration_case, id=ident) if ident else None
        return cls.from_row(row, info) if row else None

    @strawberry.field(description="The arbitration institute.")
    async def institute(self, info: Info) -> Organisation:
        return await load_organisation(info, self.row.arbitration_org_id)

    @strawberry.field(
        description="The mediation it follows (调解前置); null outside the caller's slice."
    )
    async def mediation(self, info: Info) -> MediationCase | None:
        return await load_mediation(info, self.row.mediation_case_id)


@strawberry.federation.type(
    keys=["id"],
    tags=["partner"],
    description="诉讼: a lawsuit at the court, after arbitration or mediation.",
)
class LitigationCase:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    case_number: str | None = strawberry.field(
        description="The court's case number, e.g. `(2026)粤0310民初1234号`, once given."
    )
    status: LitigationStatus = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    filed_at: datetime = strawberry.field(description="When it was filed.")
    judged_at: datetime | None = strawberry.field(description="When judgment was given.")
    judgment_summary: str | None = strawberry.field(description="The judgment, in words.")
    judgment_amount: Decimal | None = strawberry.field(description="Yuan the judgment orders.")
    judgment_paid_at: datetime | None = strawberry.field(
        description="When the judgment was recorded as paid."
    )
    version: int = strawberry.field(description="Grows with every step (expectedVersion).")
    row: strawberry.Private[models.LitigationCase]

    @classmethod
    def from_row(cls, row: models.LitigationCase, info: Info) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            case_number=row.case_number,
            status=row.status,
            filed_at=local(info, row.filed_at),  # type: ignore[arg-type]
            judged_at=local(info, row.judged_at),
            judgment_summary=row.judgment_summary,
            judgment_amount=to_yuan(row.judgment_fen),
            judgment_paid_at=local(info, row.judgment_paid_at),
            version=row.version,
            row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> LitigationCase | None:
        ident = case_id(info, id)
        row = await info.context.call(reading.get_litigation_case, id=ident) if ident else None
        return cls.from_row(row, info) if row else None

    @strawberry.field(description="The court station.")
    async def court(self, info: Info) -> Organisation:
        return await load_organisation(info, self.row.court_org_id)

    @strawberry.field(description="The arbitration it follows, if any.")
    async def arbitration(self, info: Info) -> ArbitrationCase | None:
        ident = self.row.arbitration_case_id
        if ident is None:
            return None
        row = await info.context.call(reading.get_arbitration_case, id=ident)
        return ArbitrationCase.from_row(row, info) if row else None
