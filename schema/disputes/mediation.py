"""`MediationCase` and its parts: sessions, instalments and payments, metro tiers and the
court's judicial confirmation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from db import models
from resolvers.disputes import reading
from resolvers.disputes.money import to_yuan
from schema.common import Info, loader, local, parse_id
from schema.directory import Organisation, load_organisation
from schema.disputes.parties import Party, Project, load_project, parties
from schema.enums import _expose

if TYPE_CHECKING:
    from schema.appeals.types import Petition

_expose(models.MediationKind, "The four kinds of the four-in-one mediation platform (四位一体).")
MediationKind = models.MediationKind
_expose(models.MediationStatus, "Where a mediation case stands.")
MediationStatus = models.MediationStatus
_expose(models.MetroTier, "A tier of the metro centre's tiered mediation.")
MetroTier = models.MetroTier
_expose(models.SessionPlace, "Where a mediation session was held.")
SessionPlace = models.SessionPlace
_expose(models.ConfirmationStatus, "司法确认 of a mediation agreement.")
ConfirmationStatus = models.ConfirmationStatus


@strawberry.type(description="调解会: one session of a mediation.")
class MediationSession:
    held_at: datetime = strawberry.field(description="When it was held.")
    place_kind: SessionPlace = strawberry.field(description="What kind of place.")  # type: ignore[valid-type]
    place: str = strawberry.field(description="Where, in words.")
    attendees: list[str] = strawberry.field(description="Who attended.")
    minutes: str = strawberry.field(description="The minutes (调解笔录).")

    @classmethod
    def from_row(cls, row: models.MediationSession, info: Info) -> Self:
        return cls(
            held_at=local(info, row.held_at),  # type: ignore[arg-type]
            place_kind=row.place_kind,
            place=row.place,
            attendees=list(row.attendees),
            minutes=row.minutes,
        )


@strawberry.type(description="A payment recorded against an instalment.")
class Payment:
    amount: Decimal = strawberry.field(description="Yuan.")
    paid_on: date = strawberry.field(description="The day it was paid.")


@strawberry.type(description="One instalment of a mediation agreement's payment plan.")
class Instalment:
    seq: int = strawberry.field(description="1 for the first instalment, and so on.")
    due_on: date = strawberry.field(description="The day it falls due.")
    amount: Decimal = strawberry.field(description="Yuan due.")
    paid: Decimal = strawberry.field(description="Yuan paid so far.")
    settled: bool = strawberry.field(description="Whether it is paid in full.")
    missed: bool = strawberry.field(
        description="Whether its day passed unpaid (found by the deadline watcher)."
    )
    id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Instalment) -> Self:
        return cls(
            seq=row.seq,
            due_on=row.due_on,
            amount=to_yuan(row.amount_fen),  # type: ignore[arg-type]
            paid=to_yuan(row.paid_fen),  # type: ignore[arg-type]
            settled=row.paid_fen >= row.amount_fen,
            missed=row.missed_at is not None,
            id=row.id,
        )

    @strawberry.field(description="The payments against it, oldest first.")
    async def payments(self, info: Info) -> list[Payment]:
        rows = await loader(info, reading.payments_by_instalment).load(self.id)
        return [Payment(amount=to_yuan(r.amount_fen), paid_on=r.paid_on) for r in rows]  # type: ignore[arg-type]


@strawberry.type(description="One tier of a metro site dispute's tiered mediation.")
class MediationTier:
    tier: MetroTier = strawberry.field(description="Site, metro centre or regulators.")  # type: ignore[valid-type]
    started_at: datetime = strawberry.field(description="When the tier took the case.")
    due_at: datetime = strawberry.field(description="Its limit (working days, by policy).")
    ended_at: datetime | None = strawberry.field(description="When the tier ended.")
    escalated: bool = strawberry.field(description="Whether its limit passed and it moved up.")
    organisation_id: strawberry.Private[int]

    @strawberry.field(description="Who tried the case at this tier.")
    async def organisation(self, info: Info) -> Organisation:
        return await load_organisation(info, self.organisation_id)


@strawberry.type(description="司法确认: the court station's confirmation of an agreement.")
class JudicialConfirmation:
    status: ConfirmationStatus = strawberry.field(description="Asked, confirmed or refused.")  # type: ignore[valid-type]
    requested_at: datetime | None = strawberry.field(description="When it was asked.")
    decided_at: datetime | None = strawberry.field(description="When the court decided.")
    note: str | None = strawberry.field(description="The court's note (why, if refused).")
    court_id: strawberry.Private[int]

    @strawberry.field(description="The court station asked.")
    async def court(self, info: Info) -> Organisation:
        return await load_organisation(info, self.court_id)


@strawberry.federation.type(
    keys=["id"], tags=["partner"], description="调解案件: a mediation opened from an appeal."
)
class MediationCase:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    number: str = strawberry.field(description="e.g. `PS-TJ-2026-00042`.")
    kind: MediationKind = strawberry.field(description="Which of the four kinds.")  # type: ignore[valid-type]
    status: MediationStatus = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    mediator_name: str = strawberry.field(description="The mediator in charge.")
    worker_count: int = strawberry.field(description="How many workers claim (head count).")
    amount_claimed: Decimal | None = strawberry.field(description="Yuan claimed.")
    opened_at: datetime = strawberry.field(description="When it opened.")
    due_at: datetime = strawberry.field(description="Its time limit (working days, by policy).")
    tier: MetroTier | None = strawberry.field(description="Today's metro tier, if tiered.")  # type: ignore[valid-type]
    concluded_at: datetime | None = strawberry.field(description="When it ended.")
    outcome_reason: str | None = strawberry.field(
        description="Why it ended without agreement, was withdrawn or refused."
    )
    agreement_amount: Decimal | None = strawberry.field(description="Yuan agreed.")
    agreement_terms: str | None = strawberry.field(description="The agreement's terms.")
    version: int = strawberry.field(description="Grows with every step (expectedVersion).")
    row: strawberry.Private[models.MediationCase]

    @classmethod
    def from_row(cls, row: models.MediationCase, info: Info) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            number=row.number,
            kind=row.kind,
            status=row.status,
            mediator_name=row.mediator_name,
            worker_count=row.worker_count,
            amount_claimed=to_yuan(row.amount_claimed_fen),
            opened_at=local(info, row.opened_at),  # type: ignore[arg-type]
            due_at=local(info, row.due_at),  # type: ignore[arg-type]
            tier=row.tier,
            concluded_at=local(info, row.concluded_at),
            outcome_reason=row.outcome_reason,
            agreement_amount=to_yuan(row.agreement_amount_fen),
            agreement_terms=row.agreement_terms,
            version=row.version,
            row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> MediationCase | None:
        return await load_mediation(info, case_id(info, id))

    @strawberry.field(description="The mediating organisation (today's tier, if tiered).")
    async def mediator(self, info: Info) -> Organisation:
        return await load_organisation(info, self.row.mediator_org_id)

    @strawberry.field(description="The organisation that referred the case.")
    async def referred_by(self, info: Info) -> Organisation:
        return await load_organisation(info, self.row.referring_org_id)

    @strawberry.field(description="The appeal it came from; null outside the caller's slice.")
    async def petition(
        self, info: Info
    ) -> Annotated[Petition, strawberry.lazy("schema.appeals.types")] | None:
        from schema.appeals.types import Petition

        return await Petition.resolve_reference(info, strawberry.ID(str(self.row.petition_id)))

    @strawberry.field(description="The project it concerns, if any.")
    async def project(self, info: Info) -> Project | None:
        return await load_project(info, self.row.project_id)

    @strawberry.field(description="The enterprises on the other side.")
    async def parties(self, info: Info) -> list[Party]:
        return parties(await loader(info, reading.mediation_parties_by_case).load(self.row.id))

    @strawberry.field(description="Its sessions, oldest first.")
    async def sessions(self, info: Info) -> list[MediationSession]:
        rows = await loader(info, reading.sessions_by_case).load(self.row.id)
        return [MediationSession.from_row(r, info) for r in rows]

    @strawberry.field(description="The metro tiers that tried it, oldest first.")
    async def tiers(self, info: Info) -> list[MediationTier]:
        rows = await loader(info, reading.tiers_by_case).load(self.row.id)
        return [
            MediationTier(
                tier=r.tier, started_at=local(info, r.started_at), due_at=local(info, r.due_at),
                ended_at=local(info, r.ended_at), escalated=r.escalated,
                organisation_id=r.organisation_id,
            )  # type: ignore[arg-type]
            for r in rows
        ]  # fmt: skip

    @strawberry.field(description="The agreement's payment plan, first instalment first.")
    async def instalments(self, info: Info) -> list[Instalment]:
        rows = await loader(info, reading.instalments_by_case).load(self.row.id)
        return [Instalment.from_row(r) for r in rows]

    @strawberry.field(description="Judicial confirmation, once asked.")
    def judicial_confirmation(self, info: Info) -> JudicialConfirmation | None:
        row = self.row
        if row.confirmation_status is None or row.confirmation_court_id is None:
            return None
        return JudicialConfirmation(
            status=row.confirmation_status,
            requested_at=local(info, row.confirmation_requested_at),
            decided_at=local(info, row.confirmation_decided_at),
            note=row.confirmation_note,
            court_id=row.confirmation_court_id,
        )


def case_id(info: Info, id: object) -> int | None:
    """A case's id from a reference; None (not found) for anything else — after the
    caller is known, as every lookup."""
    info.context.caller  # noqa: B018 - no caller, no case
    return parse_id(id)


async def load_mediation(info: Info, ident: int | None) -> MediationCase | None:
    if ident is None:
        return None
    row = await info.context.call(reading.get_mediation_case, id=ident)
    return MediationCase.from_row(row, info) if row else None
