"""The credit centre's pages: the proposals it confirms or rejects (`/credit/proposals`),
and its decisions on one record — confirm, reject, repair
(`/credit/records/{id}/act/{action}`), posted from the proposals page or from an
enterprise's profile (`web/views/enterprises.py`).

Every read is `resolvers/credit/reading.py`'s (the credit policy's slice) and every
decision `resolvers/credit/steps.py`'s; the page offers the forms only to those
`require_credit_officer` lets decide, and the step asks again. A record outside the
slice is the same 404 as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import models
from db.models import CreditStatus
from resolvers import loaders
from resolvers.access.caller import Caller
from resolvers.access.credit_policy import require_credit_officer
from resolvers.credit import reading, steps
from resolvers.disputes.reading import enterprises_by_id
from resolvers.errors import BadUserInput, Conflict, Forbidden
from resolvers.pagination import Page
from web import forms
from web.auth import require_csrf
from web.errors import error_text
from web.i18n import choose_language
from web.pages import (
    PageNotFound,
    Staff,
    Step,
    db,
    form_status,
    is_htmx,
    redirect,
    render,
    require_staff,
    take_step,
)

PAGE_SIZE = 50
STALE_CURSOR = "not a cursor this page gave out"


def stale_cursor(request: Request) -> str:
    """What a list says when its `after` is not a cursor it gave out (it starts over)."""
    return error_text(BadUserInput(STALE_CURSOR, field="after"), choose_language(request))


def allows(rule: Callable[[Caller], None], caller: Caller) -> bool:
    """Whether the resolver's `rule` (a `require_…` that raises Forbidden) lets `caller`
    take its step: the pages offer a form only then, and the step asks again."""
    try:
        rule(caller)
    except Forbidden:
        return False
    return True


def may_decide(caller: Caller) -> bool:
    """Whether the page offers the centre's decisions (confirm, reject, repair)."""
    return allows(require_credit_officer, caller)


@dataclass
class RecordView:
    """A credit record with what its row shows; `appeal` only inside the caller's slice."""

    record: models.CreditRecord
    enterprise: models.Enterprise | None
    organisation: models.Organisation | None
    recorded_by: models.StaffUser | None
    appeal: models.Petition | None
    events: list[models.CreditEvent] = field(default_factory=list)
    decided_by: models.StaffUser | None = None
    repair: models.CreditRecord | None = None  # its repair, when asked for (`with_repairs`)


async def record_views(
    session: AsyncSession,
    caller: Caller,
    records: Sequence[models.CreditRecord],
    *,
    with_events: bool = False,
    with_repairs: bool = False,
    enterprise: models.Enterprise | None = None,
) -> tuple[list[RecordView], dict[int, models.Organisation]]:
    """The rows of a list of records, a batch per kind of thing whatever their number;
    and the organisations named (recording ones, and those in the histories).
    `enterprise`: the one all the records are about (a profile), already read."""
    ids = [r.id for r in records]
    events = (
        await reading.credit_events_by_record(session, caller, ids)
        if with_events
        else [[] for _ in records]
    )
    repairs = (
        await reading.repairs_by_record(session, caller, ids)
        if with_repairs
        else [None for _ in records]
    )
    enterprises = (
        [enterprise for _ in records]
        if enterprise is not None
        else await enterprises_by_id(session, [r.enterprise_id for r in records])
    )
    org_ids = [r.organisation_id for r in records]
    org_ids += [e.organisation_id for es in events for e in es if e.organisation_id]
    organisations = {o.id: o for o in await loaders.organisations_by_id(session, org_ids) if o}
    user_ids = [r.recorded_by_id for r in records if r.recorded_by_id]
    user_ids += [r.decided_by_id for r in records if r.decided_by_id]
    user_ids += [r.decided_by_id for r in repairs if r is not None and r.decided_by_id]
    users = {u.id: u for u in await loaders.staff_users_by_id(session, user_ids) if u}
    appeal_ids = [r.petition_id for r in records if r.petition_id]
    appeals = {
        p.id: p for p in await loaders.visible_petitions_by_id(session, caller, appeal_ids) if p
    }
    views = [
        RecordView(
            record=r,
            enterprise=enterprise,
            organisation=organisations.get(r.organisation_id),
            recorded_by=users.get(r.recorded_by_id) if r.recorded_by_id else None,
            appeal=appeals.get(r.petition_id) if r.petition_id else None,
            events=list(history),
            decided_by=users.get(r.decided_by_id) if r.decided_by_id else None,
            repair=repair,
        )
        for r, enterprise, history, repair in zip(
            records, enterprises, events, repairs, strict=True
        )
    ]
    return views, organisations


PROPOSED = reading.CreditFilter(status=CreditStatus.PROPOSED)
DECIDED_VIEW = "decided"


async def _proposals_page(
    session: AsyncSession, caller: Caller, decided: bool, after: str | None
) -> Page[models.CreditRecord]:
    if decided:
        return await reading.list_decided_proposals(
            session=session, caller=caller, first=PAGE_SIZE, after=after
        )
    return await reading.list_credit_records(
        session=session, caller=caller, where=PROPOSED, first=PAGE_SIZE, after=after
    )


async def proposals_context(
    session: AsyncSession, request: Request, staff: Staff, after: str | None, view: str = ""
) -> dict[str, Any]:
    """The proposals awaiting a decision in the caller's slice, newest raised first; or
    (`view` 'decided', 已处理) those decided, newest decision first, each with who
    decided, when and why (a repair's with its own)."""
    decided = view == DECIDED_VIEW
    caller = staff.caller
    notice = None
    try:
        page = await _proposals_page(session, caller, decided, after)
    except BadUserInput:  # a cursor from elsewhere: say so and start at the top
        notice = stale_cursor(request)
        page = await _proposals_page(session, caller, decided, None)
    total = (
        await reading.count_decided_proposals(session=session, caller=caller)
        if decided
        else await reading.count_credit_records(session=session, caller=caller, where=PROPOSED)
    )
    views, _ = await record_views(session, caller, page.rows, with_repairs=decided)
    here = request.url_for("credit_proposals").path
    first_url = f"{here}?view={DECIDED_VIEW}" if decided else here
    joiner = "&" if decided else "?"
    return {
        "staff": staff,
        "rows": views,
        "total": total,
        "decided": decided,
        "may_decide": may_decide(caller) and not decided,
        "first_url": first_url,
        "next_url": f"{first_url}{joiner}after={page.cursors[-1]}" if page.has_next_page else None,
        "paged": bool(after),
        "notice": notice,
        "done": None,
        "general_error": None,
        "errors": {},
        "values": {},
    }


async def proposals(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_staff(request, session)
        context = await proposals_context(
            session,
            request,
            staff,
            request.query_params.get("after"),
            request.query_params.get("view", ""),
        )
    return render(request, "credit/proposals.html", "credit/_proposals.html", context)


# The centre's decisions, and whether each takes a reason.
DECISIONS: dict[str, tuple[Step, bool]] = {
    "confirm": (steps.confirm_credit_proposal, False),
    "reject": (steps.reject_credit_proposal, True),
    "repair": (steps.record_credit_repair, True),
}


def _decision(action: str, form: FormData) -> tuple[Step, dict[str, Any]]:
    if action not in DECISIONS:
        raise PageNotFound
    step, reasoned = DECISIONS[action]
    return step, {"reason": forms.text(form, "reason")} if reasoned else {}


async def act(request: Request) -> Response:
    """One decision; then back to the page it was taken on (`from`: the proposals or
    the enterprise's profile), the refusal beside the record's form."""
    from web.views.enterprises import profile_context

    await require_csrf(request)
    ident, action = request.path_params["id"], request.path_params["action"]
    form = await request.form()
    uscc = forms.text(form, "uscc") if forms.text(form, "from") == "profile" else ""

    def prepare() -> tuple[Step, dict[str, Any]]:
        step, arguments = _decision(action, form)
        return step, {**arguments, "ref": steps.CreditRef(ident, forms.expected_version(form))}

    async with db(request) as session:
        staff = await require_staff(request, session)
        error = await take_step(request, session, staff, prepare)
    back = (
        request.url_for("enterprise", uscc=uscc).path
        if uscc
        else request.url_for("credit_proposals").path
    )
    if error is None and not is_htmx(request):
        return redirect(request, back)
    async with db(request) as session:
        staff = await require_staff(request, session)
        if uscc:
            context = await profile_context(session, request, staff, uscc)
            template, partial = "credit/enterprise.html", "credit/_enterprise.html"
        else:
            context = await proposals_context(session, request, staff, None)
            template, partial = "credit/proposals.html", "credit/_proposals.html"
    if error is None:
        context["done"] = action
    else:
        context["errors"] = {ident: error}
        shown = {v.record.id for v in context["rows"]}
        if ident not in shown or not context["may_decide"]:  # no form of its own to say it by
            context["general_error"] = error
        context["conflict"] = isinstance(error, Conflict)
        context["values"] = {ident: dict(form.items())}
    status = form_status(request, error)
    if error is not None and not is_htmx(request):
        status = {"CONFLICT": 409, "FORBIDDEN": 403}.get(error.code, status)
    return render(request, template, partial, context, status_code=status)


routes = [
    Route("/credit/proposals", proposals, name="credit_proposals"),
    Route("/credit/records/{id:int}/act/{action}", act, methods=["POST"], name="credit_record_act"),
]
