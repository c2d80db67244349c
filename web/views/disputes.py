"""The 访调心裁 chain's pages: the mediation cases (`/disputes`, the court station's
confirmation requests among them), one case with its sessions, agreement, payments and
the steps the person may take (`/disputes/{id}`), the metro centre's tier board
(`/disputes/tiers`), and the chain on the appeal page (`chain_context`).

Every read goes through `resolvers/disputes/reading.py` (the chain's slice); every
step through the same resolvers as GraphQL. A case outside the slice is the same 404
as a case that does not exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import models
from db.models import (
    ConfirmationStatus,
    MediationKind,
    MediationStatus,
    MetroTier,
    SessionPlace,
)
from resolvers import loaders
from resolvers.access.caller import Caller
from resolvers.appeals.reading import get_petition
from resolvers.directory.organisations import list_organisations
from resolvers.disputes import mediation, reading
from resolvers.disputes.cases import ADJUDICATING, MEDIATING, CaseRef
from resolvers.disputes.money import to_yuan
from resolvers.disputes.rules import MEDIATORS, SITE_TIER
from resolvers.errors import BadUserInput, HubError, NotFound
from resolvers.workflow.steps import PetitionRef
from web import forms
from web.auth import require_csrf
from web.pages import PageNotFound, Staff, db, form_status, now, redirect, render, require_staff
from web.pages import services as hub_services

PAGE_SIZE = 50
Step = Callable[..., Awaitable[Any]]


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


def yuan(fen: int | None) -> str:
    """1234567 → `12,345.67`."""
    amount = to_yuan(fen)
    return "—" if amount is None else f"{amount:,.2f}"


async def _organisations(session: AsyncSession, ids: list[int]) -> dict[int, models.Organisation]:
    return {o.id: o for o in await loaders.organisations_by_id(session, ids) if o}


async def chain_context(
    session: AsyncSession, caller: Caller, petition: models.Petition, actions: set[str]
) -> dict[str, Any]:
    """The appeal page's chain: its mediations (within the caller's slice), arbitration
    and lawsuits, with their instalments and tiers, and whether the person may refer
    the appeal to mediation."""
    (chain,) = await reading.chains_by_petition(session, caller, [petition.id])
    ids = [m.id for m in chain.mediations]
    instalments = await reading.instalments_by_case(session, ids)
    tiers = await reading.tiers_by_case(session, ids)
    views = [
        CaseView(m, i, t) for m, i, t in zip(chain.mediations, instalments, tiers, strict=True)
    ]
    org_ids = [m.mediator_org_id for m in chain.mediations]
    org_ids += [a.arbitration_org_id for a in chain.arbitrations]
    org_ids += [c.court_org_id for c in chain.litigations]
    org_ids += [t.organisation_id for ts in tiers for t in ts]
    mediators: list[models.Organisation] = []
    if "OPEN_MEDIATION" in actions:
        mediators = await list_organisations(
            session=session, caller=caller, kinds=sorted(MEDIATORS | SITE_TIER, key=str)
        )
    return {
        "chain": chain,
        "chain_cases": views,
        "chain_orgs": await _organisations(session, org_ids),
        "mediation_kinds": list(MediationKind),
        "mediators": mediators,
        "yuan": yuan,
    }


def _day(form: FormData, name: str, field: str) -> date:
    day = forms.optional_date(form, name, field=field)
    if day is None:
        raise BadUserInput("not a date", field=field)
    return day


def _moment(form: FormData, name: str, request: Request) -> datetime:
    try:
        moment = datetime.fromisoformat(forms.text(form, name))
    except ValueError:
        raise BadUserInput("not a date and time", field=name) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=hub_services(request).tz)


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
                "held_at": _moment(form, "held_at", request),
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
            }
        case "payment":
            seq = forms.text(form, "instalment")
            return mediation.record_payment, {
                "instalment": int(seq) if forms.is_whole_number(seq) else 0,
                "amount": forms.text(form, "amount"),
                "paid_on": _day(form, "paid_on", "paidOn"),
            }
        case "request_confirmation":
            return mediation.request_confirmation, {"court_code": forms.text(form, "court")}
        case "decide_confirmation":
            return mediation.decide_confirmation, {
                "confirmed": forms.flag(form, "confirmed"),
                "note": forms.text(form, "note") or None,
            }
    raise PageNotFound


def _may(staff: Staff, case: models.MediationCase) -> dict[str, bool]:
    """Which of the case's forms the page offers (the resolvers decide again)."""
    caller = staff.caller
    person = caller.user_id is None or bool(MEDIATING & caller.roles)
    mediator = case.mediator_org_id == caller.organisation_id and person
    court = (
        case.confirmation_court_id == caller.organisation_id
        and case.confirmation_status is ConfirmationStatus.REQUESTED
        and (caller.user_id is None or bool(ADJUDICATING & caller.roles))
    )
    return {
        "session": mediator and case.status is MediationStatus.OPEN,
        "conclude": mediator and case.status is MediationStatus.OPEN,
        "payment": mediator and case.status is MediationStatus.AGREED,
        "request_confirmation": mediator
        and case.status is MediationStatus.AGREED
        and case.confirmation_status in (None, ConfirmationStatus.REFUSED),
        "decide_confirmation": court,
    }


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
    return {
        "staff": staff,
        "c": CaseView(case, instalments, tiers),
        "sessions": sessions,
        "payments": dict(zip((i.id for i in instalments), payments, strict=True)),
        "parties": list(zip(parties, enterprises, strict=True)),
        "orgs": await _organisations(session, org_ids),
        "appeal_number": petition.number if petition else None,
        "may": _may(staff, case),
        "yuan": yuan,
        "outcomes": [s for s in MediationStatus if s is not MediationStatus.OPEN],
        "places": list(SessionPlace),
        "errors": {},
        "values": {},
    }


async def case_page(request: Request) -> Response:
    ident = request.path_params["id"]
    async with db(request) as session:
        staff = await require_staff(request, session)
        context = await _case_context(session, staff, ident)
    return render(request, "disputes/case.html", "disputes/_case.html", context)


async def case_act(request: Request) -> Response:
    await require_csrf(request)
    ident, action = request.path_params["id"], request.path_params["action"]
    form = await request.form()
    version = forms.text(form, "version")
    error: HubError | None = None
    async with db(request) as session:
        staff = await require_staff(request, session)
        try:
            step, arguments = _case_step(action, form, request)
            await step(
                session=session,
                caller=staff.caller,
                services=hub_services(request),
                now=now(),
                ref=CaseRef(ident, int(version) if version.isdigit() else None),
                **arguments,
            )
        except NotFound:
            raise PageNotFound from None
        except HubError as refused:
            error = refused
    if error is None:
        return redirect(request, request.url_for("dispute", id=ident).path)
    async with db(request) as session:
        staff = await require_staff(request, session)
        context = await _case_context(session, staff, ident)
    context["errors"] = {action: error}
    context["values"] = {action: dict(form.items())}
    return render(
        request,
        "disputes/case.html",
        "disputes/_case.html",
        context,
        status_code=form_status(request, error),
    )


async def open_from_appeal(request: Request) -> Response:
    """调解立案 from the appeal page; then to the new case."""
    await require_csrf(request)
    number = request.path_params["number"]
    form = await request.form()
    version = forms.text(form, "version")
    async with db(request) as session:
        staff = await require_staff(request, session)
        try:
            case = await mediation.open_mediation(
                session=session,
                caller=staff.caller,
                services=hub_services(request),
                now=now(),
                ref=PetitionRef(
                    number=number, expected_version=int(version) if version.isdigit() else None
                ),
                kind=forms.choice(MediationKind, form, "kind"),
                mediator_code=forms.text(form, "mediator"),
                mediator_name=forms.text(form, "mediator_name") or None,
                tiered=forms.flag(form, "tiered"),
            )
        except NotFound:
            raise PageNotFound from None
        except HubError as refused:
            return await _appeal_with_error(request, number, refused)
    return redirect(request, request.url_for("dispute", id=case.id).path)


async def _appeal_with_error(request: Request, number: str, error: HubError) -> Response:
    """The appeal page again, the refusal beside the mediation form."""
    from web.views.appeals.petition import petition_context, visible_petition

    async with db(request) as session:
        staff = await require_staff(request, session)
        row = await visible_petition(session, staff, number)
        context = await petition_context(session, request, staff, row)
    context["errors"] = {"open_mediation": error}
    return render(
        request,
        "appeals/petition/show.html",
        "appeals/petition/_petition.html",
        context,
        status_code=form_status(request, error),
    )


def _filter(params: Any) -> reading.MediationFilter:
    def chosen(kind: Any, name: str) -> list[Any] | None:
        value = params.get(name)
        return [kind[value]] if value and value in kind.__members__ else None

    return reading.MediationFilter(
        statuses=chosen(MediationStatus, "status"),
        confirmation=chosen(ConfirmationStatus, "confirmation"),
        tiers=chosen(MetroTier, "tier"),
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
        orgs = await _organisations(session, [c.mediator_org_id for c in page.rows])
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


async def tier_board(request: Request) -> Response:
    """The metro centre's tier board: open tiered cases in the slice, by tier."""
    async with db(request) as session:
        staff = await require_staff(request, session)
        page = await reading.list_mediation_cases(
            session=session,
            caller=staff.caller,
            first=200,
            after=None,
            where=reading.MediationFilter(statuses=[MediationStatus.OPEN], tiers=list(MetroTier)),
        )
        tiers = await reading.tiers_by_case(session, [c.id for c in page.rows])
        orgs = await _organisations(session, [c.mediator_org_id for c in page.rows])
    current = {
        c.id: next((t for t in ts if t.ended_at is None), None)
        for c, ts in zip(page.rows, tiers, strict=True)
    }
    columns = [(tier, [c for c in page.rows if c.tier is tier]) for tier in MetroTier]
    return render(
        request,
        "disputes/tiers.html",
        None,
        {"staff": staff, "columns": columns, "current": current, "orgs": orgs, "yuan": yuan},
    )


routes = [
    Route("/disputes", case_list, name="disputes"),
    Route("/disputes/tiers", tier_board, name="dispute_tiers"),
    Route("/disputes/{id:int}", case_page, name="dispute"),
    Route("/disputes/{id:int}/act/{action}", case_act, methods=["POST"], name="dispute_act"),
    Route(
        "/petitions/{number}/mediation", open_from_appeal, methods=["POST"], name="open_mediation"
    ),
]
