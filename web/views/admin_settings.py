"""Administration of the hub's rules: the holiday calendar, time-limit policies, the
audit log. Calendar and policies are district-wide: the hall's administrators set them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db.models import Category, PolicyStage
from resolvers import audit as audit_log
from resolvers import calendars, loaders, policies
from resolvers.errors import BadUserInput, HubError
from web.auth import require_csrf
from web.pages import Staff, db, form_status, now, redirect, render, services
from web.views.admin import require_admin

AUDIT_PAGE = 50


async def _calendar_page(request: Request, session: AsyncSession, staff: Staff, year: int,
                         *, result: Any = None, error: HubError | None = None) -> Response:
    view = await calendars.show_year(session, year)
    return render(request, "admin/calendar.html", "admin/_calendar.html", {
        "staff": staff, "view": view, "year": year, "result": result, "error": error,
        "section": "calendar", "may_import": staff.caller.is_hall,
    }, status_code=form_status(request, error))


async def calendar(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_admin(request, session)
        raw = request.query_params.get("year", "")
        year = int(raw) if raw.isdigit() and 1900 <= int(raw) <= 2200 else \
            now().astimezone(services(request).tz).year
        if request.method == "GET":
            return await _calendar_page(request, session, staff, year)
        await require_csrf(request)
        form = await request.form()
        try:
            policies.require_hall_admin(staff.caller)
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise BadUserInput("choose a JSON file", field="file")
            text = (await upload.read()).decode("utf-8", errors="replace")
            await form.close()
            schedule = calendars.parse_schedule(text)
            result = await calendars.import_schedule(session=session, services=services(request),
                                                     schedule=schedule, now=now())
        except HubError as refused:
            await form.close()
            await session.rollback()
            return await _calendar_page(request, session, staff, year, error=refused)
        return await _calendar_page(request, session, staff, schedule.year, result=result)


async def _policies_page(request: Request, session: AsyncSession, staff: Staff,
                         error: HubError | None = None, form: Any = None) -> Response:
    rows = await policies.list_policies(session=session, caller=staff.caller)
    return render(request, "admin/policies.html", "admin/_policies.html", {
        "staff": staff, "policies": rows, "error": error, "form": form or {},
        "categories": list(Category), "stages": list(PolicyStage), "section": "policies",
        "may_edit": staff.caller.is_hall,
    }, status_code=form_status(request, error))


async def policy_list(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_admin(request, session)
        if request.method == "GET":
            return await _policies_page(request, session, staff)
        await require_csrf(request)
        form = await request.form()
        try:
            days = str(form.get("working_days") or "")
            if not days.isdigit():
                raise BadUserInput("working days must be a whole number", field="workingDays")
            category = str(form.get("category") or "")
            stage = str(form.get("stage") or "")
            if stage not in PolicyStage.__members__:
                raise BadUserInput("choose a stage", field="stage")
            await policies.set_policy(session=session, caller=staff.caller,
                                      change=policies.PolicyChange(
                code=str(form.get("code") or ""), stage=PolicyStage[stage],
                working_days=int(days),
                category=Category[category] if category in Category.__members__ else None,
                description=str(form.get("description") or ""),
                active=form.get("active") == "1"))
        except HubError as refused:
            await session.rollback()
            return await _policies_page(request, session, staff, refused, form)
    return redirect(request, request.url_for("admin_policies").path)


async def audit(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_admin(request, session)
        after = request.query_params.get("after")
        try:
            page = await audit_log.list_audit(session=session, caller=staff.caller,
                                              first=AUDIT_PAGE, after=after)
        except BadUserInput:
            page = await audit_log.list_audit(session=session, caller=staff.caller,
                                              first=AUDIT_PAGE, after=None)
        organisations = {o.id: o for o in await loaders.organisations_by_id(
            session, [e.organisation_id for e in page.rows]) if o}
        users = {u.id: u for u in await loaders.staff_users_by_id(
            session, [e.user_id for e in page.rows if e.user_id]) if u}
    here = request.url_for("admin_audit").path
    return render(request, "admin/audit.html", "admin/_audit.html", {
        "staff": staff, "entries": page.rows, "section": "audit",
        "organisations": organisations, "users": users,
        "next_url": f"{here}?after={page.cursors[-1]}" if page.has_next_page else None,
    })


routes = [
    Route("/admin/calendar", calendar, methods=["GET", "POST"], name="admin_calendar"),
    Route("/admin/policies", policy_list, methods=["GET", "POST"], name="admin_policies"),
    Route("/admin/audit", audit, name="admin_audit"),
]
