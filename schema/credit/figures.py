"""`Stats.credit`: credit proposals and records for the period, by kind and street."""

from __future__ import annotations

from datetime import date

import strawberry

from resolvers.credit import figures
from schema.common import Info
from schema.credit.types import CreditRecordKind
from schema.directory import Region


@strawberry.type(description="One kind of record on one street's enterprises, in the period.")
class CreditFigureRow:
    kind: CreditRecordKind = strawberry.field(description="The records' kind.")  # type: ignore[valid-type]
    proposed: int = strawberry.field(description="Proposals raised (by outcomes or partners).")
    confirmed: int = strawberry.field(
        description="Records that took effect (confirmed, or recorded by the centre)."
    )
    rejected: int = strawberry.field(description="Proposals the centre rejected.")
    repaired: int = strawberry.field(description="Records repaired.")
    street_id: strawberry.Private[int | None]

    @strawberry.field(description="The street of the enterprises' region (null: not known).")
    async def street(self, info: Info) -> Region | None:
        if self.street_id is None:
            return None
        row = await info.context.loaders.region.load(self.street_id)
        return Region.from_row(row) if row else None


@strawberry.type(
    description="Credit supervision's figures for the period, over the caller's credit slice "
    "(the hall and leaders: the whole district). Needs `credit:read`."
)
class CreditFigures:
    rows: list[CreditFigureRow] = strawberry.field(description="By kind, then street.")
    awaiting_decision: int = strawberry.field(
        description="Proposals waiting for the credit centre now."
    )


async def credit_figures(info: Info, start: date, end: date) -> CreditFigures:
    result = await info.context.call(
        figures.credit_figures, services=info.context.services, start=start, end=end
    )
    return CreditFigures(
        rows=[
            CreditFigureRow(
                kind=r.kind,
                proposed=r.proposed,
                confirmed=r.confirmed,
                rejected=r.rejected,
                repaired=r.repaired,
                street_id=r.street_id,
            )
            for r in result.rows
        ],
        awaiting_decision=result.awaiting_decision,
    )
