"""The arbitration institute's and the court station's pages: their cases
(`/disputes/arbitration`, `/disputes/litigation`), one case with the steps the person is
offered (hearing, award, payment of the award; the judgment), and the appeal-level
steps to arbitration and to court from the appeal page. See `common`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import models
from db.models import ArbitrationStatus, LitigationStatus
from resolvers.appeals.reading import get_petition
from resolvers.disputes import adjudication, offers, reading
from resolvers.services import Services
from resolvers.workflow.steps import PetitionRef
from web import forms
from web.pages import PageNotFound, Staff, db, now, render, require_staff
from web.views.disputes.common import (
    PAGE_SIZE,
    CasePage,
    Step,
    chosen,
    from_appeal,
    moment,
    organisations,
    yuan,
)


def _arbitration_step(action: str, form: FormData, request: Request) -> tuple[Step, dict[str, Any]]:
    match action:
        case "hearing":
            return adjudication.schedule_hearing, {
                "hearing_at": moment(form, "hearing_at", "hearingAt", request),
                "place": forms.text(form, "place"),
            }
        case "award":
            return adjudication.record_award, {
                "amount": forms.text(form, "amount"),
                "summary": forms.text(form, "summary"),
            }
        case "paid":
            return adjudication.record_award_paid, {}
    raise PageNotFound


def _litigation_step(action: str, form: FormData, request: Request) -> tuple[Step, dict[str, Any]]:
    match action:
        case "judgment":
            return adjudication.record_judgment, {
                "case_number": forms.text(form, "case_number"),
                "summary": forms.text(form, "summary"),
                "amount": forms.text(form, "amount") or None,
            }
        case "paid":
            return adjudication.record_judgment_paid, {}
    raise PageNotFound


async def _stage_context(
    session: AsyncSession, staff: Staff, case: Any, org_ids: list[int], steps: frozenset[str]
) -> dict[str, Any]:
    # The appeal is in the slice (a stage's slice is its appeal's); its number links back.
    petition = await get_petition(session=session, caller=staff.caller, id=case.petition_id)
    return {
        "staff": staff,
        "case": case,
        "appeal_number": petition.number if petition else None,
        "orgs": await organisations(session, [*org_ids, case.referring_org_id]),
        "may": steps,
        "yuan": yuan,
        "errors": {},
        "values": {},
    }


async def _arbitration_context(session: AsyncSession, staff: Staff, ident: int) -> dict[str, Any]:
    case = await reading.get_arbitration_case(session=session, caller=staff.caller, id=ident)
    if case is None:
        raise PageNotFound
    context = await _stage_context(
        session,
        staff,
        case,
        [case.arbitration_org_id],
        offers.arbitration_steps(staff.caller, case),
    )
    # The mediation it follows, if the person's slice holds it (the institute's does not).
    context["mediation"] = (
        await reading.get_mediation_case(
            session=session, caller=staff.caller, id=case.mediation_case_id
        )
        if case.mediation_case_id
        else None
    )
    return context


async def _litigation_context(session: AsyncSession, staff: Staff, ident: int) -> dict[str, Any]:
    case = await reading.get_litigation_case(session=session, caller=staff.caller, id=ident)
    if case is None:
        raise PageNotFound
    context = await _stage_context(
        session, staff, case, [case.court_org_id], offers.litigation_steps(staff.caller, case)
    )
    context["arbitration"] = (
        await reading.get_arbitration_case(
            session=session, caller=staff.caller, id=case.arbitration_case_id
        )
        if case.arbitration_case_id
        else None
    )
    return context


ARBITRATION = CasePage(
    "disputes/arbitration.html",
    "disputes/_arbitration.html",
    "arbitration",
    _arbitration_step,
    _arbitration_context,
)
LITIGATION = CasePage(
    "disputes/litigation.html",
    "disputes/_litigation.html",
    "litigation",
    _litigation_step,
    _litigation_context,
)


def _lister(
    kind: type[Any], org: Callable[[Any], int], statuses: type[Enum], name: str, partial: str
) -> Callable[[Request], Awaitable[Response]]:
    """The page listing the arbitration (or litigation) cases in the person's slice,
    newest first, narrowed by `?status=`."""

    async def case_list(request: Request) -> Response:
        async with db(request) as session:
            staff = await require_staff(request, session)
            rows, total = await reading.list_stage_cases(
                session=session,
                caller=staff.caller,
                kind=kind,
                statuses=chosen(request.query_params, statuses, "status"),
                first=PAGE_SIZE,
            )
            orgs = await organisations(session, [org(r) for r in rows])
        context = {
            "staff": staff,
            "cases": rows,
            "total": total,
            "orgs": orgs,
            "statuses": list(statuses),
            "chosen": {k: v for k, v in request.query_params.items() if v},
            "yuan": yuan,
            "list": name,
            "rows": partial,
        }
        return render(request, "disputes/stages.html", partial, context)

    return case_list


async def _open_arbitration(
    session: AsyncSession, staff: Staff, ref: PetitionRef, form: FormData, services: Services
) -> models.ArbitrationCase:
    return await adjudication.open_arbitration(
        session=session,
        caller=staff.caller,
        services=services,
        now=now(),
        ref=ref,
        arbitration_code=forms.text(form, "institute"),
        claim=forms.text(form, "claim") or None,
    )


async def _open_litigation(
    session: AsyncSession, staff: Staff, ref: PetitionRef, form: FormData, services: Services
) -> models.LitigationCase:
    return await adjudication.open_litigation(
        session=session,
        caller=staff.caller,
        services=services,
        now=now(),
        ref=ref,
        court_code=forms.text(form, "court"),
    )


async def open_arbitration(request: Request) -> Response:
    """仲裁立案 from the appeal page; then to the new arbitration case."""
    return await from_appeal(
        request,
        "open_arbitration",
        _open_arbitration,
        lambda c: request.url_for("arbitration", id=c.id).path,
    )


async def open_litigation(request: Request) -> Response:
    """诉讼立案 from the appeal page; then to the new lawsuit."""
    return await from_appeal(
        request,
        "open_litigation",
        _open_litigation,
        lambda c: request.url_for("litigation", id=c.id).path,
    )


routes = [
    Route(
        "/disputes/arbitration",
        _lister(
            models.ArbitrationCase,
            lambda case: case.arbitration_org_id,
            ArbitrationStatus,
            "arbitrations",
            "disputes/_arbitration_rows.html",
        ),
        name="arbitrations",
    ),
    Route(
        "/disputes/litigation",
        _lister(
            models.LitigationCase,
            lambda case: case.court_org_id,
            LitigationStatus,
            "litigations",
            "disputes/_litigation_rows.html",
        ),
        name="litigations",
    ),
    Route("/disputes/arbitration/{id:int}", ARBITRATION.show, name="arbitration"),
    Route(
        "/disputes/arbitration/{id:int}/act/{action}",
        ARBITRATION.act,
        methods=["POST"],
        name="arbitration_act",
    ),
    Route("/disputes/litigation/{id:int}", LITIGATION.show, name="litigation"),
    Route(
        "/disputes/litigation/{id:int}/act/{action}",
        LITIGATION.act,
        methods=["POST"],
        name="litigation_act",
    ),
    Route(
        "/petitions/{number}/arbitration",
        open_arbitration,
        methods=["POST"],
        name="open_arbitration",
    ),
    Route(
        "/petitions/{number}/litigation", open_litigation, methods=["POST"], name="open_litigation"
    ),
]
