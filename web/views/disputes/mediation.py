"""The mediation cases' pages: the list (`/disputes`, the court station's confirmation
requests among them: `?confirmation=REQUESTED`), one case with its sessions, agreement,
payments and the steps the person is offered (`/disputes/{id}`), and referring an
appeal to mediation from the appeal page. See `common` for how reads and steps go."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import models
from db.models import ConfirmationStatus, MediationKind, MediationStatus, MetroTier, SessionPlace
from resolvers.appeals.reading import get_petition
from resolvers.disputes import mediation, offers, reading
from resolvers.disputes.money import to_yuan
from resolvers.errors import BadUserInput
from resolvers.services import Services
from resolvers.workflow.steps import PetitionRef
from web import forms
from web.pages import PageNotFound, Staff, db, now, render, require_staff
from web.views.disputes.common import (
    PAGE_SIZE,
    CasePage,
    Step,
    chosen,
    day,
    from_appeal,
    moment,
    organisations,
    yuan,
)
from web.views.enterprises import standings_context


@dataclass
class CaseView:
    """A mediation case with what its page and the chain show."""

    case: models.MediationCase
    instalments: list[models.Instalment] = field(default_factory=list)
    tiers: list[models.MediationTier] = field(default_factory=list)

    @property
    def claimed(self) -> Decimal | None:
        return to_yuan(self.case.amount_claimed_fen)

    @property
    def agreed(self) -> Decimal | None:
        return to_yuan(self.case.agreement_amount_fen)


def _plan(form: FormData) -> list[mediation.InstalmentPlan]:
    """Instalments as `YYYY-MM-DD 金额` lines."""
    plan = []
    for line in forms.text(form, "instalments").splitlines():
        if not line.strip():
            continue
        try:
            day, amount = line.split()
            plan.append(mediation.InstalmentPlan(date.fromisoformat(day), Decimal(amount)))
        except (ValueError, ArithmeticError):
            raise BadUserInput("instalments fall on increasing days", field="instalments") from None
    return plan


def _case_step(action: str, form: FormData, request: Request) -> tuple[Step, dict[str, Any]]:
    match action:
        case "session":
            return mediation.record_session, {
                "held_at": moment(form, "held_at", "heldAt", request),
                "place_kind": forms.choice(SessionPlace, form, "place_kind", field="placeKind"),
                "place": forms.text(form, "place") or None,
                "attendees": [
                    a.strip() for a in forms.text(form, "attendees").split("、") if a.strip()
                ],
                "minutes": forms.text(form, "minutes") or None,
            }
        case "conclude":
            amount = forms.text(form, "agreement_amount")
            return mediation.conclude_mediation, {
                "outcome": forms.choice(MediationStatus, form, "outcome"),
                "reason": forms.text(form, "reason") or None,
                "agreement_amount": amount or None,
                "terms": forms.text(form, "terms") or None,
                "instalments": _plan(form),
                "credit_commitment": forms.flag(form, "credit_commitment"),
            }
        case "payment":
            seq = forms.text(form, "instalment")
            return mediation.record_payment, {
                "instalment": int(seq) if forms.is_whole_number(seq) else 0,
                "amount": forms.text(form, "amount"),
                "paid_on": day(form, "paid_on", "paidOn"),
            }
        case "request_confirmation":
            return mediation.request_confirmation, {"court_code": forms.text(form, "court")}
        case "decide_confirmation":
            return mediation.decide_confirmation, {
                "confirmed": forms.flag(form, "confirmed"),
                "note": forms.text(form, "note") or None,
            }
    raise PageNotFound


async def _case_context(session: AsyncSession, staff: Staff, ident: int) -> dict[str, Any]:
    case = await reading.get_mediation_case(session=session, caller=staff.caller, id=ident)
    if case is None:
        raise PageNotFound
    (sessions,) = await reading.sessions_by_case(session, [case.id])
    (instalments,) = await reading.instalments_by_case(session, [case.id])
    (tiers,) = await reading.tiers_by_case(session, [case.id])
    (parties,) = await reading.mediation_parties_by_case(session, [case.id])
    payments = await reading.payments_by_instalment(session, [i.id for i in instalments])
    enterprises = await reading.enterprises_by_id(session, [p.enterprise_id for p in parties])
    org_ids = [case.mediator_org_id, case.referring_org_id, *(t.organisation_id for t in tiers)]
    if case.confirmation_court_id:
        org_ids.append(case.confirmation_court_id)
    # The appeal's number only for those whose slice holds the appeal (not the court).
    petition = await get_petition(session=session, caller=staff.caller, id=case.petition_id)
    standings = await standings_context(session, staff.caller, [e for e in enterprises if e])
    return standings | {
        "staff": staff,
        "c": CaseView(case, instalments, tiers),
        "sessions": sessions,
        "payments": dict(zip((i.id for i in instalments), payments, strict=True)),
        "parties": list(zip(parties, enterprises, strict=True)),
        "orgs": await organisations(session, org_ids),
        "appeal_number": petition.number if petition else None,
        "may": offers.mediation_steps(staff.caller, case),
        "yuan": yuan,
        "outcomes": [s for s in MediationStatus if s is not MediationStatus.OPEN],
        "places": list(SessionPlace),
        "errors": {},
        "values": {},
    }


CASES = CasePage("disputes/case.html", "disputes/_case.html", "dispute", _case_step, _case_context)


async def _open(
    session: AsyncSession, staff: Staff, ref: PetitionRef, form: FormData, services: Services
) -> models.MediationCase:
    return await mediation.open_mediation(
        session=session,
        caller=staff.caller,
        services=services,
        now=now(),
        ref=ref,
        kind=forms.choice(MediationKind, form, "kind"),
        mediator_code=forms.text(form, "mediator"),
        mediator_name=forms.text(form, "mediator_name") or None,
        tiered=forms.flag(form, "tiered"),
    )


async def open_from_appeal(request: Request) -> Response:
    """调解立案 from the appeal page; then to the new case."""
    return await from_appeal(
        request, "open_mediation", _open, lambda c: request.url_for("dispute", id=c.id).path
    )


def _filter(params: Any) -> reading.MediationFilter:
    return reading.MediationFilter(
        statuses=chosen(params, MediationStatus, "status"),
        confirmation=chosen(params, ConfirmationStatus, "confirmation"),
        tiers=chosen(params, MetroTier, "tier"),
    )


async def case_list(request: Request) -> Response:
    """The person's mediation cases; `?confirmation=REQUESTED` is the court station's
    list of confirmation requests."""
    where = _filter(request.query_params)
    async with db(request) as session:
        staff = await require_staff(request, session)
        page = await reading.list_mediation_cases(
            session=session, caller=staff.caller, where=where, first=PAGE_SIZE, after=None
        )
        total = await reading.count_mediation_cases(
            session=session, caller=staff.caller, where=where
        )
        orgs = await organisations(session, [c.mediator_org_id for c in page.rows])
    context = {
        "staff": staff,
        "cases": page.rows,
        "total": total,
        "orgs": orgs,
        "statuses": list(MediationStatus),
        "confirmations": list(ConfirmationStatus),
        "chosen": {k: v for k, v in request.query_params.items() if v},
        "yuan": yuan,
    }
    return render(request, "disputes/index.html", "disputes/_rows.html", context)


routes = [
    Route("/disputes", case_list, name="disputes"),
    Route("/disputes/{id:int}", CASES.show, name="dispute"),
    Route("/disputes/{id:int}/act/{action}", CASES.act, methods=["POST"], name="dispute_act"),
    Route(
        "/petitions/{number}/mediation", open_from_appeal, methods=["POST"], name="open_mediation"
    ),
]
