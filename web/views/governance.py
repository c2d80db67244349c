"""The governance data (`/admin/governance`): the communities' figures imported from
CSV with a line-by-line report, and the targets for the leaders' rates."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import models
from resolvers.admin.staff import sets_district_rules
from resolvers.errors import BadUserInput, HubError
from resolvers.governance import profiles, targets
from web import forms
from web.auth import require_csrf
from web.errors import translated
from web.i18n import choose_language
from web.pages import Staff, db, form_status, now, redirect, render
from web.views.admin import require_admin


def problem_text(problem: profiles.Problem, language: str) -> str:
    """A report line in the page's language (the same catalogue as errors)."""
    template = translated(problem.template, language) or problem.template
    return template.format(**dict(problem.params))


async def _page(
    request: Request,
    session: AsyncSession,
    staff: Staff,
    *,
    report: profiles.ImportReport | None = None,
    error: HubError | None = None,
) -> Response:
    regions = {
        r.id: r
        for r in await session.scalars(
            select(models.Region).where(models.Region.kind == models.RegionKind.COMMUNITY)
        )
    }
    rows = sorted(
        (
            (regions[p.community_id], p)
            for p in (await profiles.list_profiles(session)).values()
            if p.community_id in regions
        ),
        key=lambda pair: pair[0].code,
    )
    language = choose_language(request)
    return render(
        request,
        "governance/index.html",
        "governance/_body.html",
        {
            "staff": staff,
            "rows": rows,
            "report": report,
            "error": error,
            "problems": [
                (p.line, p.column, problem_text(p, language))
                for p in (report.problems if report else [])
            ],
            "targets": await targets.list_targets(session),
            "rates": targets.RATES,
            "section": "governance",
            "may_edit": sets_district_rules(staff.caller),
        },
        status_code=form_status(request, error),
    )


async def governance(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_admin(request, session)
        if request.method == "GET":
            return await _page(request, session, staff)
        await require_csrf(request)
        form = await request.form()
        upload = form.get("file")
        try:
            if not isinstance(upload, UploadFile):
                raise BadUserInput("choose a CSV file", field="file")
            text = (await upload.read(profiles.MAX_BYTES + 1)).decode("utf-8", errors="replace")
            report = await profiles.import_profiles(
                session=session, caller=staff.caller, text=text, now=now()
            )
        except profiles.BadProfiles as refused:
            await session.rollback()
            return await _page(request, session, staff, report=refused.report, error=refused)
        except HubError as refused:
            await session.rollback()
            return await _page(request, session, staff, error=refused)
        finally:
            await form.close()
        return await _page(request, session, staff, report=report)


async def target(request: Request) -> Response:
    await require_csrf(request)
    form = await request.form()
    async with db(request) as session:
        staff = await require_admin(request, session)
        try:
            percent = forms.whole_number(form, "percent", field="value", low=0, high=100)
            await targets.set_target(
                session=session,
                caller=staff.caller,
                key=forms.text(form, "key"),
                value=percent / 100,
                now=now(),
            )
        except HubError as refused:
            await session.rollback()
            return await _page(request, session, staff, error=refused)
    return redirect(request, request.url_for("admin_governance").path)


routes = [
    Route("/admin/governance", governance, methods=["GET", "POST"], name="admin_governance"),
    Route("/admin/governance/targets", target, methods=["POST"], name="admin_targets"),
]
