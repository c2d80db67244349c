"""Deadlines' administration: the holiday calendar and the time-limit policies. Both are
district-wide: the hall's administrators set them, other administrators read them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db.models import Category, DeadlineStart, PolicyStage, TimeUnit
from resolvers import validation
from resolvers.admin.staff import sets_district_rules
from resolvers.deadlines import calendars, policies
from resolvers.errors import BadUserInput, HubError
from web import forms
from web.auth import require_csrf
from web.pages import Staff, db, form_status, now, redirect, render, services
from web.views.admin import require_admin


async def _calendar_page(
    request: Request,
    session: AsyncSession,
    staff: Staff,
    year: int,
    *,
    result: Any = None,
    error: HubError | None = None,
) -> Response:
    view = await calendars.show_year(session, year)
    return render(
        request,
        "deadlines/calendar.html",
        "deadlines/_calendar.html",
        {
            "staff": staff,
            "view": view,
            "year": year,
            "result": result,
            "error": error,
            "section": "calendar",
            "may_import": sets_district_rules(staff.caller),
        },
        status_code=form_status(request, error),
    )


async def calendar(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_admin(request, session)
        asked = validation.whole(request.query_params.get("year"), high=2200)
        year = (
            asked
            if asked is not None and asked >= 1900
            else now().astimezone(services(request).tz).year
        )
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
            result = await calendars.import_schedule(
                session=session, services=services(request), schedule=schedule, now=now()
            )
        except HubError as refused:
            await form.close()
            await session.rollback()
            return await _calendar_page(request, session, staff, year, error=refused)
        return await _calendar_page(request, session, staff, schedule.year, result=result)


async def _policies_page(
    request: Request,
    session: AsyncSession,
    staff: Staff,
    error: HubError | None = None,
    form: Any = None,
) -> Response:
    rows = await policies.list_policies(session=session, caller=staff.caller)
    return render(
        request,
        "deadlines/policies.html",
        "deadlines/_policies.html",
        {
            "staff": staff,
            "policies": rows,
            "error": error,
            "form": form or {},
            "categories": list(Category),
            "stages": list(PolicyStage),
            "section": "policies",
            "units": list(TimeUnit),
            "starts": list(DeadlineStart),
            "may_edit": sets_district_rules(staff.caller),
        },
        status_code=form_status(request, error),
    )


async def policy_list(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_admin(request, session)
        if request.method == "GET":
            return await _policies_page(request, session, staff)
        await require_csrf(request)
        form = await request.form()
        try:
            days = forms.whole_number(form, "days", field="days")
            stage = forms.choice(PolicyStage, form, "stage")
            await policies.set_policy(
                session=session,
                caller=staff.caller,
                change=policies.PolicyChange(
                    code=forms.text(form, "code"),
                    stage=stage,
                    days=days,
                    unit=forms.choice(TimeUnit, form, "unit"),
                    counts_from=forms.optional_choice(
                        DeadlineStart, form, "counts_from", field="countsFrom"
                    ),
                    category=forms.optional_choice(Category, form, "category"),
                    description=forms.text(form, "description"),
                    active=forms.flag(form, "active"),
                ),
            )
        except HubError as refused:
            await session.rollback()
            return await _policies_page(request, session, staff, refused, form)
    return redirect(request, request.url_for("admin_policies").path)


routes = [
    Route("/admin/calendar", calendar, methods=["GET", "POST"], name="admin_calendar"),
    Route("/admin/policies", policy_list, methods=["GET", "POST"], name="admin_policies"),
]
