"""Sign-in and sign-out pages, and the audit log (`/admin/audit`): who read what."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from db import models
from resolvers import loaders
from resolvers.access import audit as audit_log
from resolvers.access import signin
from resolvers.errors import BadUserInput, RateLimited, Unauthenticated
from web.auth import end_session, require_csrf, start_session
from web.errors import error_text
from web.i18n import choose_language
from web.pages import db, render
from web.views.admin import require_admin

AUDIT_PAGE = 50


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


async def login(request: Request) -> Response:
    next_url = _safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return render(
            request, "access/login.html", None, {"next": next_url, "error": None, "username": ""}
        )
    await require_csrf(request)
    form = await request.form()
    username = str(form.get("username") or "")
    password = str(form.get("password") or "")
    next_url = _safe_next(str(form.get("next") or "/"))
    ip = request.client.host if request.client else "unknown"
    now = models.utcnow()
    async with request.app.state.sessionmaker() as session:
        pair, _ = await signin.recent_failures(
            session, username=username.strip()[:64], ip=ip, now=now
        )
        await asyncio.sleep(signin.slowdown(pair))
        try:
            signed_in = await signin.sign_in(
                session=session, username=username, password=password, ip=ip, now=now
            )
        except (Unauthenticated, RateLimited) as refused:
            status = 429 if isinstance(refused, RateLimited) else 401
            error = error_text(refused, choose_language(request))
            return render(
                request,
                "access/login.html",
                None,
                {"next": next_url, "error": error, "username": username},
                status_code=status,
            )
    start_session(request, signed_in.session_token)
    return RedirectResponse(next_url, status_code=303)


async def logout(request: Request) -> Response:
    await require_csrf(request)
    await end_session(request, request.app.state.sessionmaker)
    return RedirectResponse(request.url_for("login").path, status_code=303)


async def audit(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_admin(request, session)
        after = request.query_params.get("after")
        try:
            page = await audit_log.list_audit(
                session=session, caller=staff.caller, first=AUDIT_PAGE, after=after
            )
        except BadUserInput:
            page = await audit_log.list_audit(
                session=session, caller=staff.caller, first=AUDIT_PAGE, after=None
            )
        organisations = {
            o.id: o
            for o in await loaders.organisations_by_id(
                session, [e.organisation_id for e in page.rows]
            )
            if o
        }
        users = {
            u.id: u
            for u in await loaders.staff_users_by_id(
                session, [e.user_id for e in page.rows if e.user_id]
            )
            if u
        }
        numbers = await audit_log.petition_numbers(session, staff.caller, page.rows)
    here = request.url_for("admin_audit").path
    return render(
        request,
        "access/audit.html",
        "access/_audit.html",
        {
            "staff": staff,
            "entries": page.rows,
            "section": "audit",
            "organisations": organisations,
            "users": users,
            "numbers": numbers,
            "shown_per_entry": audit_log.SHOWN_PER_ENTRY,
            "actions": {a.name: a.value for a in audit_log.AuditAction},
            "next_url": f"{here}?after={page.cursors[-1]}" if page.has_next_page else None,
        },
    )


routes = [
    Route("/admin/audit", audit, name="admin_audit"),
    Route("/login", login, methods=["GET", "POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
