"""`Stats.disputes`: the chain's stage counts and outcomes for the period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Self

import strawberry

from resolvers.disputes import figures
from schema.common import Info
from schema.disputes.mediation import MediationStatus


@strawberry.type(description="How many mediations opened in the period now stand in a status.")
class MediationStatusCount:
    status: MediationStatus = strawberry.field(description="The status.")  # type: ignore[valid-type]
    count: int = strawberry.field(description="How many.")


@strawberry.type(
    description="The 访调心裁 chain's figures for the period, over the caller's slice (the "
    "hall and leaders: the whole district)."
)
class DisputeFigures:
    mediations_opened: int = strawberry.field(description="Mediation cases opened.")
    mediation_outcomes: list[MediationStatusCount] = strawberry.field(
        description="Of those opened, how many stand in each status now."
    )
    agreed_amount: Decimal = strawberry.field(
        description="Yuan agreed in the agreements of those opened."
    )
    tiers_escalated: int = strawberry.field(
        description="Metro tiers whose limit passed in the period (escalated by the watcher)."
    )
    confirmations_asked: int = strawberry.field(
        description="Of those opened, judicial confirmation asked."
    )
    confirmed_by_court: int = strawberry.field(
        description="Of those opened, agreements confirmed by the court station."
    )
    recovered_by_agreement: Decimal = strawberry.field(
        description="Yuan paid in the period against agreements' instalments."
    )
    arbitrations_filed: int = strawberry.field(description="Arbitration cases filed.")
    awards_made: int = strawberry.field(description="Awards made.")
    awards_paid: int = strawberry.field(description="Awards paid.")
    awarded_amount: Decimal = strawberry.field(description="Yuan awarded.")
    recovered_by_award: Decimal = strawberry.field(description="Yuan paid on awards.")
    lawsuits_filed: int = strawberry.field(description="Lawsuits filed.")
    judgments: int = strawberry.field(description="Judgments given.")

    @classmethod
    def from_figures(cls, f: figures.DisputeFigures) -> Self:
        return cls(
            mediations_opened=f.mediations_opened,
            mediation_outcomes=[
                MediationStatusCount(status=s, count=n) for s, n in f.by_status.items()
            ],
            agreed_amount=f.agreed_amount,
            tiers_escalated=f.tiers_escalated,
            confirmations_asked=f.confirmations_asked,
            confirmed_by_court=f.confirmed_by_court,
            recovered_by_agreement=f.recovered_by_agreement,
            arbitrations_filed=f.arbitrations_filed,
            awards_made=f.awards_made,
            awards_paid=f.awards_paid,
            awarded_amount=f.awarded_amount,
            recovered_by_award=f.recovered_by_award,
            lawsuits_filed=f.lawsuits_filed,
            judgments=f.judgments,
        )


async def dispute_figures(info: Info, start: date, end: date) -> DisputeFigures:
    result = await info.context.call(
        figures.dispute_figures, services=info.context.services, start=start, end=end
    )
    return DisputeFigures.from_figures(result)
