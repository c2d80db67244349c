"""Intake (`/petitions/new`): register a walk-in or phone appeal in under a minute.

As the clerk types, `/petitions/new/check` validates the fields, shows the
petitioner's earlier appeals (matched by the keyed ID hash, within the slice) and
the deadline the category gives; submitting registers the appeal.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db.models import Category, Channel, Matter, PartyRole, RiskFlagKind
from resolvers import validation
from resolvers.appeals import routing
from resolvers.appeals.intake import (
    COLLECTIVE_THRESHOLD,
    PetitionerDetails,
    Submission,
    clocks_at_receipt,
    submit_petition,
)
from resolvers.appeals.worklist import earlier_appeals
from resolvers.deadlines.policies import handling_limits
from resolvers.directory.organisations import list_communities
from resolvers.disputes.parties import PartyInput
from resolvers.errors import BadUserInput, HubError
from web import forms
from web.auth import require_csrf
from web.errors import error_text
from web.i18n import choose_language
from web.pages import Staff, db, now, redirect, render, require_staff, services
from web.views.dispatch import intake_context

# The resolvers' field names, as the form names them.
FIELDS = {
    "title": "title",
    "description": "description",
    "petitioner.name": "name",
    "petitioner.idNumber": "id_number",
    "petitioner.phone": "phone",
    "petitioner.address": "address",
    "peopleCount": "people_count",
    "communityCode": "community",
    "receivedAt": "received_at",
    "category": "category",
    "matter": "matter",
    "channel": "channel",
    "parties": "employer",
    "parties.0.uscc": "employer",
    "parties.0.name": "employer_name",
    "projectCode": "project",
    "riskFlag": "risk_flag",
    "riskNote": "risk_note",
    "organisationCode": "assign_to",
}


def _extras(form: FormData) -> routing.Extras:
    """The employer, project, risk flag and routing the form names (checked by intake)."""
    employer, employer_name = forms.text(form, "employer"), forms.text(form, "employer_name")
    flagged = forms.flag(form, "risk")
    return routing.Extras(
        parties=[PartyInput(uscc=employer, role=PartyRole.EMPLOYER, name=employer_name or None)]
        if employer or employer_name
        else [],
        project_code=forms.text(form, "project") or None,
        risk_flag=forms.choice(RiskFlagKind, form, "risk_kind", field="riskFlag")
        if flagged
        else None,
        risk_note=forms.text(form, "risk_note"),
        assign_to=forms.text(form, "assign_to") or None,
    )


def _people(form: FormData) -> int:
    return forms.whole_number(form, "people_count", field="peopleCount", default=1)


def _received_at(request: Request, form: FormData) -> datetime | None:
    raw = forms.text(form, "received_at")
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=services(request).tz)
    except ValueError:
        raise BadUserInput("not a date and time", field="receivedAt") from None


async def _checks(
    request: Request, session: AsyncSession, staff: Staff, form: FormData
) -> dict[str, Any]:
    """Field errors, the petitioner's earlier appeals, the deadline: what the form shows."""
    errors: dict[str, str] = {}
    language = choose_language(request)
    id_number = None
    try:
        id_number = validation.resident_id(forms.text(form, "id_number"), "petitioner.idNumber")
    except BadUserInput as bad:
        errors["id_number"] = error_text(bad, language)
    try:
        validation.phone(forms.text(form, "phone"), "petitioner.phone")
    except BadUserInput as bad:
        errors["phone"] = error_text(bad, language)
    people = 1
    try:
        people = validation.whole_number(_people(form), "peopleCount", low=1, high=10_000)
    except BadUserInput as bad:
        errors["people_count"] = error_text(bad, language)
    earlier = []
    if id_number:
        earlier = await earlier_appeals(
            session=session, caller=staff.caller, id_hash=services(request).keyed_hash(id_number)
        )
    limits = await handling_limits(session)
    category = (
        Category[forms.text(form, "category")]
        if forms.text(form, "category") in Category.__members__
        else None
    )
    preview = None
    if category is not None:
        received = None
        try:
            received = _received_at(request, form)
        except BadUserInput as bad:
            errors["received_at"] = error_text(bad, language)
        clocks = await clocks_at_receipt(session, services(request), category, received or now())
        preview = {
            "category": category,
            "limit": clocks.handling,
            "due": clocks.due,
            "acceptance": clocks.acceptance,
        }
    return {
        "errors": errors,
        "earlier": earlier,
        "preview": preview,
        "limits": limits,
        "collective": people >= COLLECTIVE_THRESHOLD,
        "people": people,
    }


async def _form_page(
    request: Request,
    session: AsyncSession,
    staff: Staff,
    form: Any,
    checks: dict[str, Any],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "appeals/intake/new.html",
        "appeals/intake/_form.html",
        {
            "staff": staff,
            "form": form,
            **checks,
            "oob": False,
            "communities": await list_communities(session=session),
            "categories": list(Category),
            "matters": list(Matter),
            "channels": list(Channel),
            **await intake_context(session, staff, form),
            "request_id": forms.text(form, "client_request_id") if form else str(uuid.uuid4()),
        },
        status_code=status_code,
    )


async def new(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_staff(request, session)
        checks: dict[str, Any] = {
            "errors": {},
            "earlier": [],
            "preview": None,
            "limits": await handling_limits(session),
            "collective": False,
            "people": 1,
        }
        return await _form_page(request, session, staff, {}, checks)


async def check(request: Request) -> Response:
    await require_csrf(request)
    form = await request.form()
    async with db(request) as session:
        staff = await require_staff(request, session)
        checks = await _checks(request, session, staff, form)
    return render(
        request,
        "appeals/intake/_checks.html",
        "appeals/intake/_checks.html",
        {"staff": staff, **checks, "oob": True},
    )


async def submit(request: Request) -> Response:
    await require_csrf(request)
    form = await request.form()
    async with db(request) as session:
        staff = await require_staff(request, session)
        try:
            submission = Submission(
                title=forms.text(form, "title"),
                description=forms.text(form, "description"),
                category=forms.choice(Category, form, "category"),
                matter=forms.choice(Matter, form, "matter"),
                channel=forms.choice(Channel, form, "channel"),
                petitioner=PetitionerDetails(
                    name=forms.text(form, "name"),
                    id_number=forms.text(form, "id_number") or None,
                    phone=forms.text(form, "phone") or None,
                    address=forms.text(form, "address") or None,
                ),
                received_at=_received_at(request, form),
                community=forms.text(form, "community") or None,
                people_count=_people(form),
                client_request_id=forms.text(form, "client_request_id") or None,
                extras=_extras(form),
            )
            petition = await submit_petition(
                session=session,
                caller=staff.caller,
                services=services(request),
                data=submission,
                now=now(),
            )
        except HubError as refused:
            checks = await _checks(request, session, staff, form)
            field = FIELDS.get(str(refused.extensions.get("field")), "form")
            message = error_text(refused, choose_language(request))
            checks["errors"] = {**checks["errors"], field: message}
            return await _form_page(request, session, staff, form, checks, status_code=400)
    return redirect(request, request.url_for("petition", number=petition.number).path)


routes = [
    Route("/petitions/new", new, name="intake"),
    Route("/petitions/new", submit, methods=["POST"], name="intake_submit"),
    Route("/petitions/new/check", check, methods=["POST"], name="intake_check"),
]
