"""`DisputeChain`: one appeal's mediations, arbitrations and lawsuits together."""

from __future__ import annotations

from typing import Self

import strawberry

from resolvers.disputes import reading
from schema.common import Info
from schema.disputes.adjudication import ArbitrationCase, LitigationCase
from schema.disputes.mediation import MediationCase


@strawberry.type(
    description="One dispute's chain (访调心裁): its mediations, arbitration and lawsuit, "
    "oldest first, each as far as the caller's slice reaches."
)
class DisputeChain:
    mediations: list[MediationCase] = strawberry.field(description="Mediation cases.")
    arbitrations: list[ArbitrationCase] = strawberry.field(description="Arbitration cases.")
    litigations: list[LitigationCase] = strawberry.field(description="Lawsuits.")

    @classmethod
    def from_chain(cls, chain: reading.Chain, info: Info) -> Self:
        return cls(
            mediations=[MediationCase.from_row(m, info) for m in chain.mediations],
            arbitrations=[ArbitrationCase.from_row(a, info) for a in chain.arbitrations],
            litigations=[LitigationCase.from_row(c, info) for c in chain.litigations],
        )
