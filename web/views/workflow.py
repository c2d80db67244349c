"""The appeal page's actions: one small form each, calling the workflow resolver.

Every form works as a plain POST (303 back to the appeal) and through htmx (the
appeal's partial, re-rendered). Refusals are shown beside the form, never a 500;
a stale page (its `version` is not the appeal's) gets CONFLICT's clear message.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db.models import AssignmentRole, Category, Escalation, Matter, Satisfaction
from resolvers.deadlines.calendar import end_of_day
from resolvers.errors import Conflict
from resolvers.workflow import assignments, dispatch, outcome, suspension, triage
from resolvers.workflow.steps import PetitionRef
from web import forms
from web.auth import require_csrf
from web.pages import (
    PageNotFound,
    Step,
    db,
    is_htmx,
    redirect,
    render,
    require_staff,
    services,
    take_step,
)
from web.views.appeals.petition import petition_context, visible_petition

# Which workflow steps make each form appear on the page.
SHOWN_BY = {
    "assign": {"ASSIGN_LEAD", "ASSIGN_ASSISTING"},
    "accept_assign": {"ACCEPT"},
    "return": {"RETURN_LEAD", "RETURN_ASSISTING"},
    "note": {"ADD_NOTE"},
    "feedback": {"RECORD_FEEDBACK"},
}


def _due(form: FormData, tz: Any) -> Any:
    day = forms.optional_date(form, "due")
    return end_of_day(day, tz) if day is not None else None


def _arguments(action: str, form: FormData, tz: Any) -> tuple[Step, dict[str, Any]]:
    """The workflow resolver for `action` and its arguments from the form."""
    simple: dict[str, Step] = {
        "accept": triage.accept_petition,
        "clear_backlog": triage.clear_backlog,
        "accept_assignment": assignments.accept_assignment,
        "resume": suspension.resume_petition,
        "approve_extension": suspension.approve_extension,
    }
    if action in simple:
        return simple[action], {}
    match action:
        case "classify":
            return triage.classify_petition, {
                "category": forms.choice(Category, form, "category"),
                "matter": forms.choice(Matter, form, "matter"),
            }
        case "assign":
            return assignments.assign_petition, {
                "organisation_code": forms.text(form, "organisation"),
                "role": forms.choice(AssignmentRole, form, "role"),
                "due_at": _due(form, tz),
                "instructions": forms.text(form, "instructions") or None,
            }
        case "accept_assign":
            return dispatch.accept_and_assign, {
                "organisation_code": forms.text(form, "organisation"),
                "due_at": _due(form, tz),
                "instructions": forms.text(form, "instructions") or None,
            }
        case "return":
            return assignments.return_assignment, {"reason": forms.text(form, "reason")}
        case "escalate":  # one choice: `MEDIATION:PS-AP` (a stage and who takes it)
            to, _, code = forms.text(form, "target").partition(":")
            return assignments.escalate_petition, {
                "to": forms.choice(Escalation, {"target": to}, "target"),
                "organisation_code": code,
                "reason": forms.text(form, "reason") or None,
            }
        case "note":
            return triage.add_note, {"text": forms.text(form, "text")}
        case "mark_backlog":
            return triage.mark_backlog, {"owner": forms.text(form, "owner")}
        case "suspend":
            return suspension.suspend_petition, {"reason": forms.text(form, "reason")}
        case "request_extension":
            return suspension.request_extension, {
                "days": forms.whole_number(form, "days", low=1, high=366),
                "reason": forms.text(form, "reason"),
            }
        case "reject_extension":
            return suspension.reject_extension, {"reason": forms.text(form, "reason") or None}
        case "answer":
            return outcome.answer_petition, {"answer": forms.text(form, "answer")}
        case "feedback":
            return outcome.record_feedback, {
                "satisfaction": forms.choice(Satisfaction, form, "satisfaction"),
                "comment": forms.text(form, "comment") or None,
            }
        case "close":
            return outcome.close_petition, {"resolved": forms.flag(form, "resolved")}
        case "reopen":
            return outcome.reopen_petition, {"reason": forms.text(form, "reason")}
    raise PageNotFound


async def act(request: Request) -> Response:
    await require_csrf(request)
    number, action = request.path_params["number"], request.path_params["action"]
    form = await request.form()

    def prepare() -> tuple[Step, dict[str, Any]]:
        step, arguments = _arguments(action, form, services(request).tz)
        ref = PetitionRef(number=number, expected_version=forms.expected_version(form))
        return step, {**arguments, "ref": ref}

    async with db(request) as session:
        staff = await require_staff(request, session)
        error = await take_step(request, session, staff, prepare)
    if error is None and not is_htmx(request):
        return redirect(request, request.url_for("petition", number=number).path)
    async with db(request) as session:
        staff = await require_staff(request, session)
        row = await visible_petition(session, staff, number)
        context = await petition_context(session, request, staff, row)
    status = 200
    if error is not None:
        context["errors"] = {action: error}
        shown_by = SHOWN_BY.get(action, {action.upper()})
        if not shown_by & context["actions"]:  # its form is gone: say it above the forms
            context["general_error"] = error
        context["conflict"] = isinstance(error, Conflict)
        context["values"] = {action: dict(form.items())}
        status = 200 if is_htmx(request) else (409 if isinstance(error, Conflict) else 400)
        if error.code == "FORBIDDEN" and not is_htmx(request):
            status = 403
    return render(
        request,
        "appeals/petition/show.html",
        "appeals/petition/_petition.html",
        context,
        status_code=status,
    )


routes = [
    Route("/petitions/{number}/act/{action}", act, methods=["POST"], name="petition_act"),
]
