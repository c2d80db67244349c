"""The counsellors' forms on a person's care record: a screening, a session (a refused
home visit too), a counselling plan, a crisis intervention.

Each calls the resolver the GraphQL mutation calls (`resolvers/care/records.py`) for
one of the person's appeals in the centre's slice, and works as a plain POST (303 back
to the record) and through htmx (the record's part, re-rendered). A refusal comes back
beside its form with the field marked and what was typed kept. Care records are added,
never edited, so there is no version to check. For anyone but the care centre's
counsellors the forms do not exist (404).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import tzinfo
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import models
from db.models import CareSessionKind, RiskLevel
from resolvers.access.care_policy import records_care
from resolvers.care import reading, records
from resolvers.errors import BadUserInput, HubError, NotFound
from web import forms
from web.auth import require_csrf
from web.pages import (
    PageNotFound,
    db,
    form_status,
    is_htmx,
    now,
    redirect,
    render,
    require_staff,
    services,
)
from web.views.care.pages import person_context

Record = Callable[..., Awaitable[Any]]
SEPARATORS = str.maketrans({"、": ",", "，": ",", ";": ",", "；": ","})


def _participants(form: FormData) -> list[str]:
    """Who took part, as typed: 本人、养子 (commas or 、 between them)."""
    return [
        p.strip()
        for p in forms.text(form, "participants").translate(SEPARATORS).split(",")
        if p.strip()
    ]


def _arguments(kind: str, form: FormData, tz: tzinfo) -> tuple[Record, dict[str, Any]]:
    """The care resolver for the form `kind` and its arguments from the form."""
    match kind:
        case "screening":
            return records.record_screening, {
                "data": records.ScreeningInput(
                    instrument=forms.text(form, "instrument"),
                    score=forms.integer(form, "score"),
                    risk_level=forms.choice(RiskLevel, form, "riskLevel"),
                    notes=forms.text(form, "notes"),
                    screened_at=forms.optional_local_time(form, "screenedAt", tz),
                )
            }
        case "session":
            return records.record_care_session, {
                "data": records.SessionInput(
                    kind=forms.choice(CareSessionKind, form, "kind"),
                    counsellor=forms.text(form, "counsellor"),
                    minutes=forms.whole_number(form, "minutes", default=0),
                    refused=forms.flag(form, "refused"),
                    participants=_participants(form),
                    notes=forms.text(form, "notes"),
                    next_step=forms.text(form, "nextStep"),
                    held_at=forms.optional_local_time(form, "heldAt", tz),
                )
            }
        case "plan":
            return records.record_counselling_plan, {
                "goals": forms.text(form, "goals"),
                "review_dates": forms.dates(form, "reviewDates"),
            }
        case "crisis":
            return records.record_crisis, {"notes": forms.text(form, "notes")}
    raise PageNotFound


def _appeal(form: FormData, appeals: list[models.Petition]) -> int:
    """The appeal the record is made on: one of the person's that the centre sees."""
    chosen = forms.text(form, "petitionId")
    for appeal in appeals:
        if str(appeal.id) == chosen:
            return appeal.id
    if not chosen and len(appeals) == 1:
        return appeals[0].id
    raise BadUserInput("choose a {field}", field="petitionId", params={"field": "petitionId"})


async def record(request: Request) -> Response:
    await require_csrf(request)
    ident, kind = request.path_params["person"], request.path_params["kind"]
    form = await request.form()
    error: HubError | None = None
    async with db(request) as session:
        staff = await require_staff(request, session)
        if not records_care(staff.caller):
            raise PageNotFound
        appeals = await reading.person_appeals(
            session=session, caller=staff.caller, person_id=ident
        )
        if not appeals:
            raise PageNotFound
        try:
            step, arguments = _arguments(kind, form, services(request).tz)
            await step(
                session=session,
                caller=staff.caller,
                now=now(),
                petition_id=_appeal(form, appeals),
                **arguments,
            )
        except NotFound:
            raise PageNotFound from None
        except HubError as refused:
            error = refused
    if error is None and not is_htmx(request):
        return redirect(request, request.url_for("care_person", person=ident).path)
    async with db(request) as session:
        staff = await require_staff(request, session)
        context = await person_context(session, staff, ident)
    if error is not None:
        context["errors"] = {kind: error}
        context["values"] = {kind: form}
    return render(
        request,
        "care/person.html",
        "care/_person.html",
        context,
        status_code=form_status(request, error),
    )


routes = [
    Route("/care/people/{person:int}/record/{kind}", record, methods=["POST"], name="care_record"),
]
