"""The chain's steps as mutations: one thin field each (rules in `resolvers/disputes/`).

Opening a stage acts on the appeal (its `id`/`number` and the appeal's
`expectedVersion`); the other steps act on a case (its `id` and the case's
`expectedVersion`). A stale version answers CONFLICT; an illegal step
BAD_USER_INPUT; both change nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry

from resolvers.disputes import adjudication, mediation, parties
from resolvers.disputes.cases import CaseRef
from resolvers.errors import NotFound
from schema.appeals.types import Petition
from schema.common import Info, parse_id
from schema.disputes.adjudication import ArbitrationCase, LitigationCase
from schema.disputes.mediation import MediationCase, MediationKind, MediationStatus, SessionPlace
from schema.disputes.parties import PartyRole
from schema.workflow.steps import (
    ExpectedVersion,
    PetitionId,
    PetitionNumber,
    petition_ref,
    step_mutation,
)

CaseId = Annotated[strawberry.ID, strawberry.argument(description="The case's id.")]
CaseVersion = Annotated[
    int | None,
    strawberry.argument(
        description="The case's `version` you last read; if it has moved on, CONFLICT."
    ),
]
Text = Annotated[str | None, strawberry.argument(description="In words (up to 5,000).")]


@strawberry.input(description="An enterprise an appeal names.")
class PartyInput:
    uscc: str = strawberry.field(description="Unified social credit code (GB 32100, checked).")
    role: PartyRole = strawberry.field(description="Its part in the dispute.")  # type: ignore[valid-type]
    name: str | None = strawberry.field(
        default=None, description="Its name, to register an enterprise the hub does not know."
    )


@strawberry.input(description="One instalment of an agreement.")
class InstalmentInput:
    due_on: date = strawberry.field(description="The day it falls due.")
    amount: Decimal = strawberry.field(description="Yuan (at most two decimals).")


def _case(id: strawberry.ID, version: int | None, kind: str) -> CaseRef:
    ident = parse_id(id)
    if ident is None:
        raise NotFound("{kind} not found", params={"kind": kind})
    return CaseRef(id=ident, expected_version=version)


async def _call(info: Info, resolver: Callable[..., Awaitable[Any]], **kwargs: Any) -> Any:
    return await info.context.call(
        resolver, services=info.context.services, now=info.context.now, **kwargs
    )


async def name_parties(
    info: Info,
    parties_: Annotated[
        list[PartyInput], strawberry.argument(name="parties", description="The enterprises.")
    ],
    project_code: Annotated[
        str | None, strawberry.argument(description="The project, e.g. `PRJ-METRO16`.")
    ] = None,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    row = await _call(
        info, parties.name_parties, ref=petition_ref(id, number, expected_version),
        parties=[parties.PartyInput(uscc=p.uscc, role=p.role, name=p.name) for p in parties_],
        project_code=project_code,
    )  # fmt: skip
    return Petition.from_row(row, info)


async def open_mediation(
    info: Info,
    kind: Annotated[MediationKind, strawberry.argument(description="Which of the four kinds.")],  # type: ignore[valid-type]
    mediator_code: Annotated[
        str, strawberry.argument(description="The mediator, e.g. `PS-APAN`, `PS-LMC`.")
    ],
    mediator_name: Annotated[
        str | None, strawberry.argument(description="The mediator in charge.")
    ] = None,
    worker_count: Annotated[
        int | None, strawberry.argument(description="Workers claiming (default: the appeal's).")
    ] = None,
    amount_claimed: Annotated[
        Decimal | None, strawberry.argument(description="Yuan claimed.")
    ] = None,
    tiered: Annotated[
        bool,
        strawberry.argument(
            description="A metro site dispute: tried at the site tier first (the mediator is "
            "the site's mediation room or station), then the metro centre, then the regulators."
        ),
    ] = False,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> MediationCase:
    row = await _call(
        info, mediation.open_mediation, ref=petition_ref(id, number, expected_version), kind=kind,
        mediator_code=mediator_code, mediator_name=mediator_name, worker_count=worker_count,
        amount_claimed=amount_claimed, tiered=tiered,
    )  # fmt: skip
    return MediationCase.from_row(row, info)


async def record_mediation_session(
    info: Info,
    id: CaseId,
    held_at: Annotated[datetime, strawberry.argument(description="When (with its offset).")],
    place_kind: Annotated[SessionPlace, strawberry.argument(description="Where.")],  # type: ignore[valid-type]
    place: Annotated[str | None, strawberry.argument(description="Where, in words.")] = None,
    attendees: Annotated[list[str] | None, strawberry.argument(description="Who attended.")] = None,
    minutes: Text = None,
    expected_version: CaseVersion = None,
) -> MediationCase:
    row = await _call(
        info, mediation.record_session, ref=_case(id, expected_version, "mediation case"),
        held_at=held_at, place_kind=place_kind, place=place, attendees=attendees, minutes=minutes,
    )  # fmt: skip
    return MediationCase.from_row(row, info)


async def conclude_mediation(
    info: Info,
    id: CaseId,
    outcome: Annotated[
        MediationStatus,  # type: ignore[valid-type]
        strawberry.argument(description="AGREED, NO_AGREEMENT, WITHDRAWN or REFUSED."),
    ],
    reason: Text = None,
    agreement_amount: Annotated[
        Decimal | None, strawberry.argument(description="Yuan agreed.")
    ] = None,
    terms: Text = None,
    instalments: Annotated[
        list[InstalmentInput] | None,
        strawberry.argument(description="The payment plan; adds up to the agreed amount."),
    ] = None,
    credit_commitment: Annotated[
        bool,
        strawberry.argument(
            description="The employer signed a credit commitment (信用承诺) with the "
            "agreement: recorded on its credit profile."
        ),
    ] = False,
    expected_version: CaseVersion = None,
) -> MediationCase:
    plan = [mediation.InstalmentPlan(i.due_on, i.amount) for i in instalments or []]
    row = await _call(
        info, mediation.conclude_mediation, ref=_case(id, expected_version, "mediation case"),
        outcome=outcome, reason=reason, agreement_amount=agreement_amount, terms=terms,
        instalments=plan, credit_commitment=credit_commitment,
    )  # fmt: skip
    return MediationCase.from_row(row, info)


async def record_payment(
    info: Info,
    id: CaseId,
    instalment: Annotated[int, strawberry.argument(description="Which instalment (1, 2, …).")],
    amount: Annotated[Decimal, strawberry.argument(description="Yuan paid.")],
    paid_on: Annotated[date, strawberry.argument(description="The day it was paid.")],
    expected_version: CaseVersion = None,
) -> MediationCase:
    row = await _call(
        info, mediation.record_payment, ref=_case(id, expected_version, "mediation case"),
        instalment=instalment, amount=amount, paid_on=paid_on,
    )  # fmt: skip
    return MediationCase.from_row(row, info)


async def request_judicial_confirmation(
    info: Info,
    id: CaseId,
    court_code: Annotated[str, strawberry.argument(description="The court station, `PS-COURT`.")],
    expected_version: CaseVersion = None,
) -> MediationCase:
    row = await _call(
        info, mediation.request_confirmation, ref=_case(id, expected_version, "mediation case"),
        court_code=court_code,
    )  # fmt: skip
    return MediationCase.from_row(row, info)


async def decide_judicial_confirmation(
    info: Info,
    id: CaseId,
    confirmed: Annotated[bool, strawberry.argument(description="Confirmed, or refused.")],
    note: Annotated[
        str | None, strawberry.argument(description="Why (needed for a refusal).")
    ] = None,
    expected_version: CaseVersion = None,
) -> MediationCase:
    row = await _call(
        info, mediation.decide_confirmation, ref=_case(id, expected_version, "mediation case"),
        confirmed=confirmed, note=note,
    )  # fmt: skip
    return MediationCase.from_row(row, info)


async def open_arbitration(
    info: Info,
    arbitration_code: Annotated[
        str, strawberry.argument(description="The arbitration institute, `PS-ARB`.")
    ],
    claim: Annotated[
        Decimal | None, strawberry.argument(description="Yuan claimed (default: as mediated).")
    ] = None,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> ArbitrationCase:
    row = await _call(
        info, adjudication.open_arbitration, ref=petition_ref(id, number, expected_version),
        arbitration_code=arbitration_code, claim=claim,
    )  # fmt: skip
    return ArbitrationCase.from_row(row, info)


async def schedule_hearing(
    info: Info,
    id: CaseId,
    hearing_at: Annotated[datetime, strawberry.argument(description="When (with its offset).")],
    place: Annotated[str, strawberry.argument(description="Where.")],
    expected_version: CaseVersion = None,
) -> ArbitrationCase:
    row = await _call(
        info, adjudication.schedule_hearing, ref=_case(id, expected_version, "arbitration case"),
        hearing_at=hearing_at, place=place,
    )  # fmt: skip
    return ArbitrationCase.from_row(row, info)


async def record_award(
    info: Info,
    id: CaseId,
    amount: Annotated[Decimal, strawberry.argument(description="Yuan awarded.")],
    summary: Annotated[str, strawberry.argument(description="The award, in words.")],
    expected_version: CaseVersion = None,
) -> ArbitrationCase:
    row = await _call(
        info, adjudication.record_award, ref=_case(id, expected_version, "arbitration case"),
        amount=amount, summary=summary,
    )  # fmt: skip
    return ArbitrationCase.from_row(row, info)


async def record_award_paid(
    info: Info, id: CaseId, expected_version: CaseVersion = None
) -> ArbitrationCase:
    row = await _call(
        info, adjudication.record_award_paid, ref=_case(id, expected_version, "arbitration case")
    )
    return ArbitrationCase.from_row(row, info)


async def open_litigation(
    info: Info,
    court_code: Annotated[str, strawberry.argument(description="The court station, `PS-COURT`.")],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> LitigationCase:
    row = await _call(
        info, adjudication.open_litigation, ref=petition_ref(id, number, expected_version),
        court_code=court_code,
    )  # fmt: skip
    return LitigationCase.from_row(row, info)


async def record_judgment(
    info: Info,
    id: CaseId,
    case_number: Annotated[
        str, strawberry.argument(description="The court's number, e.g. `(2026)粤0310民初1234号`.")
    ],
    summary: Annotated[str, strawberry.argument(description="The judgment, in words.")],
    amount: Annotated[
        Decimal | None, strawberry.argument(description="Yuan the judgment orders.")
    ] = None,
    expected_version: CaseVersion = None,
) -> LitigationCase:
    row = await _call(
        info, adjudication.record_judgment, ref=_case(id, expected_version, "litigation case"),
        case_number=case_number, summary=summary, amount=amount,
    )  # fmt: skip
    return LitigationCase.from_row(row, info)


async def record_judgment_paid(
    info: Info, id: CaseId, expected_version: CaseVersion = None
) -> LitigationCase:
    row = await _call(
        info, adjudication.record_judgment_paid, ref=_case(id, expected_version, "litigation case")
    )
    return LitigationCase.from_row(row, info)


@strawberry.type(description="The 访调心裁 chain's steps.")
class DisputeMutation:
    name_parties: Petition = step_mutation(
        name_parties, "Name the enterprises an appeal is about and the project it concerns."
    )
    open_mediation: MediationCase = step_mutation(
        open_mediation,
        "调解立案: open a mediation of the appeal; the mediator becomes its lead (a dispatcher, "
        "the lead, or the receiver while no one leads).",
    )
    record_mediation_session: MediationCase = step_mutation(
        record_mediation_session, "调解会: record a session (the mediator)."
    )
    conclude_mediation: MediationCase = step_mutation(
        conclude_mediation,
        "调解结案: agreement (amount, terms, instalments), no agreement, withdrawn or refused.",
    )
    record_payment: MediationCase = step_mutation(
        record_payment, "履行: record a payment against an instalment (the mediator)."
    )
    request_judicial_confirmation: MediationCase = step_mutation(
        request_judicial_confirmation,
        "申请司法确认: ask the court station to confirm the agreement; it then sees the case.",
    )
    decide_judicial_confirmation: MediationCase = step_mutation(
        decide_judicial_confirmation, "司法确认: the court station confirms or refuses."
    )
    open_arbitration: ArbitrationCase = step_mutation(
        open_arbitration,
        "仲裁立案: after a mediation without (kept) agreement (调解前置); the institute leads.",
    )
    schedule_hearing: ArbitrationCase = step_mutation(
        schedule_hearing, "开庭排期: set the hearing (the institute)."
    )
    record_award: ArbitrationCase = step_mutation(
        record_award, "仲裁裁决: the award (the institute)."
    )
    record_award_paid: ArbitrationCase = step_mutation(
        record_award_paid, "裁决履行: the award was paid (the institute)."
    )
    open_litigation: LitigationCase = step_mutation(
        open_litigation,
        "诉讼立案: to court (a labour dispute after the award); the court station leads.",
    )
    record_judgment: LitigationCase = step_mutation(
        record_judgment, "判决: the court's case number and judgment (the court station)."
    )
    record_judgment_paid: LitigationCase = step_mutation(
        record_judgment_paid, "判决履行: the judgment was paid (the court station)."
    )
