"""Enterprises' credit profiles: the search (`/enterprises?q=`, by name or credit code),
one enterprise's profile (`/enterprises/{uscc}`: its credit records with their
histories, its open appeals and mediations within the caller's slice, its projects; the
centre's repair form; the form that records a credit record — or, for another partner,
proposes one — through `recording.record_credit_record`), and the parties' public credit standing on the appeal and
mediation pages (`standings_context`).

The records are those the credit policy lets the caller read (restricted ones only
for the credit centre and the recording organisation), the appeals and mediations those
the access policies do: the page adds no rule of its own. Each kind of thing is one
batch, so a profile costs the same statements for 1 record as for 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import models
from db.models import CreditRecordKind, DisputeStage
from resolvers import loaders
from resolvers.access.caller import Caller
from resolvers.access.credit_policy import is_credit_centre
from resolvers.appeals.reading import get_petition
from resolvers.credit import recording
from resolvers.credit.reading import credit_records_by_enterprise
from resolvers.credit.standing import public_standing_by_enterprise
from resolvers.deadlines import standing
from resolvers.directory import enterprises
from resolvers.errors import BadUserInput
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
    now,
    redirect,
    render,
    require_staff,
    services,
    take_step,
)
from web.views.credit import allows, may_decide, record_views, stale_cursor

PAGE_SIZE = 25


async def _search_page(
    session: AsyncSession, caller: Caller, q: str | None, after: str | None
) -> Page[models.Enterprise]:
    return await enterprises.search_enterprises(
        session=session, caller=caller, search=q, first=PAGE_SIZE, after=after
    )


async def search(request: Request) -> Response:
    """The enterprises whose name contains, or whose credit code starts with, `q`, each
    with its public standing; keyset pages kept in the URL."""
    q = request.query_params.get("q", "").strip()
    after = request.query_params.get("after") or None
    notice = None
    language = choose_language(request)
    async with db(request) as session:
        staff = await require_staff(request, session)
        try:
            try:
                page = await _search_page(session, staff.caller, q or None, after)
            except BadUserInput as refused:
                if refused.extensions.get("field") != "after":
                    raise
                notice = stale_cursor(request)
                page = await _search_page(session, staff.caller, q or None, None)
            total = await enterprises.count_enterprises(
                session=session, caller=staff.caller, search=q or None
            )
        except BadUserInput as refused:  # the words themselves (too long, a control character)
            notice, page, total = error_text(refused, language), Page([], [], False), 0
        standings = await public_standing_by_enterprise(
            session, staff.caller, [e.id for e in page.rows]
        )
    here = request.url_for("enterprises").path
    context = {
        "staff": staff,
        "q": q,
        "rows": list(zip(page.rows, standings, strict=True)),
        "total": total,
        "notice": notice,
        "paged": bool(after),
        "first_url": here + ("?" + urlencode({"q": q}) if q else ""),
        "next_url": (
            here + "?" + urlencode({"q": q, "after": page.cursors[-1]})
            if page.has_next_page
            else None
        ),
    }
    return render(request, "credit/enterprises.html", "credit/_enterprise_rows.html", context)


async def profile_context(
    session: AsyncSession, request: Request, staff: Staff, uscc: str
) -> dict[str, Any]:
    """Everything the profile shows, a batch per kind of thing."""
    caller = staff.caller
    enterprise = await enterprises.get_enterprise(session=session, caller=caller, uscc=uscc)
    if enterprise is None:
        raise PageNotFound
    (records,) = await credit_records_by_enterprise(session, caller, [enterprise.id])
    views, organisations = await record_views(
        session, caller, records, with_events=True, enterprise=enterprise
    )
    (public_standing,) = await public_standing_by_enterprise(session, caller, [enterprise.id])
    (appeals,) = await enterprises.open_appeals_by_enterprise(session, caller, [enterprise.id])
    (mediations,) = await enterprises.open_mediations_by_enterprise(
        session, caller, [enterprise.id]
    )
    (projects,) = await enterprises.projects_by_enterprise(session, [enterprise.id])
    (region,) = (
        await loaders.regions_by_id(session, [enterprise.region_id])
        if enterprise.region_id
        else [None]
    )
    repaired_by = {r.repairs_id: r for r in records if r.repairs_id}
    return {
        "staff": staff,
        "e": enterprise,
        "region": region,
        "rows": views,
        "repaired_by": repaired_by,
        "organisations": organisations,
        "standing": public_standing,
        "appeals": [(p, standing.badge(p, services(request), now())) for p in appeals],
        "mediations": mediations,
        "projects": projects,
        "may_decide": may_decide(caller),
        "may_record": allows(recording.require_recorder, caller),
        "centre": is_credit_centre(caller),
        "record_kinds": [k for k in CreditRecordKind if k is not CreditRecordKind.REPAIR],
        "stages": list(DisputeStage),
        "record_errors": {},
        "record_values": {},
        "done": None,
        "general_error": None,
        "errors": {},
        "values": {},
        "conflict": False,
    }


async def profile(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_staff(request, session)
        context = await profile_context(session, request, staff, request.path_params["uscc"])
    return render(request, "credit/enterprise.html", "credit/_enterprise.html", context)


# The record form's fields, named as the resolver names them in its refusals; a refusal
# about the enterprise ("the appeal does not name it") is said beside the appeal.
RECORD_FIELDS = frozenset(
    {"kind", "stage", "public", "effectiveFrom", "effectiveUntil", "petition", "summary"}
)
SAID_BESIDE = {"uscc": "petition"}


async def _appeal_id(session: AsyncSession, caller: Caller, number: str) -> int | None:
    """The appeal a form names by number; -1 (none) when it is not in the caller's slice,
    which the resolver refuses by its field."""
    if not number:
        return None
    appeal = await get_petition(session=session, caller=caller, number=number)
    return appeal.id if appeal is not None else -1


async def record(request: Request) -> Response:
    """记录 (the credit centre: in effect at once) or 提议 (another partner: a proposal
    from an appeal in its slice) — whichever `record_credit_record` makes of it; then
    the profile, or the form again with the refusal beside its field and what was typed."""
    await require_csrf(request)
    uscc = request.path_params["uscc"]
    form = await request.form()
    async with db(request) as session:
        staff = await require_staff(request, session)
        appeal_id = await _appeal_id(session, staff.caller, forms.text(form, "petition"))

        def prepare() -> tuple[Step, dict[str, Any]]:
            data = recording.CreditInput(
                uscc=uscc,
                kind=forms.choice(CreditRecordKind, form, "kind"),
                summary=forms.text(form, "summary"),
                public=forms.flag(form, "public"),
                stage=forms.optional_choice(DisputeStage, form, "stage"),
                petition_id=appeal_id,
                effective_from=forms.optional_date(form, "effectiveFrom"),
                effective_until=forms.optional_date(form, "effectiveUntil"),
            )
            return recording.record_credit_record, {"data": data}

        error = await take_step(request, session, staff, prepare)
    if error is None and not is_htmx(request):
        return redirect(request, request.url_for("enterprise", uscc=uscc).path)
    async with db(request) as session:
        staff = await require_staff(request, session)
        context = await profile_context(session, request, staff, uscc)
    status = form_status(request, error)
    if error is None:
        context["done"] = "record" if context["centre"] else "propose"
    else:
        field = str(error.extensions.get("field"))
        field = SAID_BESIDE.get(field, field)
        context["record_errors"] = {field if field in RECORD_FIELDS else "general": error}
        context["record_values"] = dict(form.items())
        if error.code == "FORBIDDEN" and not is_htmx(request):
            status = 403
    return render(
        request, "credit/enterprise.html", "credit/_enterprise.html", context, status_code=status
    )


async def standings_context(
    session: AsyncSession, caller: Caller, named: Sequence[models.Enterprise]
) -> dict[str, Any]:
    """Each named enterprise's public credit standing, by id: what an appeal's and a
    mediation case's parties show the mediators before they sit down with the employer."""
    lines = await public_standing_by_enterprise(session, caller, [e.id for e in named])
    return {"standings": dict(zip((e.id for e in named), lines, strict=True))}


routes = [
    Route("/enterprises", search, name="enterprises"),
    Route("/enterprises/{uscc}", profile, name="enterprise"),
    Route("/enterprises/{uscc}/records", record, methods=["POST"], name="enterprise_record"),
]
