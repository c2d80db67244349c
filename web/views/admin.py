"""Administration (`/admin/…`): organisations, staff accounts and API tokens.

Only staff with the ADMIN role; the hall's administrators see every organisation,
others their own (`resolvers.admin.staff`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from db.models import Role
from resolvers.access import tokens as auth
from resolvers.access.caller import DEFAULT_TOKEN_SCOPES, SCOPES
from resolvers.admin import staff as administration
from resolvers.deadlines.calendar import end_of_day
from resolvers.errors import BadUserInput, Forbidden, HubError, NotFound
from web import forms
from web.auth import require_csrf
from web.pages import (
    PageNotFound,
    Staff,
    db,
    form_status,
    now,
    redirect,
    render,
    require_staff,
    services,
)


async def require_admin(request: Request, session: AsyncSession) -> Staff:
    staff = await require_staff(request, session)
    try:
        administration.require_admin(staff.caller)
    except Forbidden:
        raise PageNotFound from None
    return staff


async def index(request: Request) -> Response:
    return RedirectResponse(request.url_for("admin_organisations").path, status_code=303)


async def organisations(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_admin(request, session)
        rows = await administration.administered_organisations(session=session, caller=staff.caller)
    return render(
        request,
        "admin/organisations.html",
        "admin/_organisations.html",
        {"staff": staff, "rows": rows, "section": "organisations"},
    )


async def _users_page(
    request: Request,
    session: AsyncSession,
    staff: Staff,
    error: HubError | None = None,
    form: Any = None,
) -> Response:
    users = await administration.list_users(session=session, caller=staff.caller)
    orgs = await administration.administered_organisations(session=session, caller=staff.caller)
    return render(
        request,
        "admin/users.html",
        "admin/_users.html",
        {
            "staff": staff,
            "users": users,
            "orgs": orgs,
            "by_id": {o.id: o for o in orgs},
            "roles": list(Role),
            "error": error,
            "form": form or {},
            "section": "users",
        },
        status_code=form_status(request, error),
    )


async def users(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_admin(request, session)
        if request.method == "GET":
            return await _users_page(request, session, staff)
        await require_csrf(request)
        form = await request.form()
        try:
            roles = [Role[str(r)] for r in form.getlist("roles") if r in Role.__members__]
            await auth.create_user(
                session=session,
                caller=staff.caller,
                organisation_code=forms.text(form, "organisation"),
                username=forms.text(form, "username"),
                password=str(form.get("password") or ""),
                roles=roles,
                display_name=forms.text(form, "display_name") or None,
            )
        except HubError as refused:
            await session.rollback()
            return await _users_page(request, session, staff, refused, form)
    return redirect(request, request.url_for("admin_users").path)


async def user_active(request: Request) -> Response:
    await require_csrf(request)
    form = await request.form()
    async with db(request) as session:
        staff = await require_admin(request, session)
        try:
            await administration.set_user_active(
                session=session,
                caller=staff.caller,
                user_id=request.path_params["id"],
                active=forms.flag(form, "active"),
            )
        except NotFound:
            raise PageNotFound from None
        except HubError as refused:
            return await _users_page(request, session, staff, refused)
    return redirect(request, request.url_for("admin_users").path)


async def _tokens_page(
    request: Request,
    session: AsyncSession,
    staff: Staff,
    issued: auth.IssuedToken | None = None,
    error: HubError | None = None,
) -> Response:
    orgs = await administration.administered_organisations(session=session, caller=staff.caller)
    ids = administration.administered_ids(staff.caller)
    rows = await auth.list_tokens(session=session, organisation_ids=ids)
    return render(
        request,
        "admin/tokens.html",
        "admin/_tokens.html",
        {
            "staff": staff,
            "tokens": rows,
            "orgs": orgs,
            "by_id": {o.id: o for o in orgs},
            "scopes": SCOPES,
            "default_scopes": DEFAULT_TOKEN_SCOPES,
            "issued": issued,
            "error": error,
            "section": "tokens",
            "now": now(),
        },
    )


async def tokens(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_admin(request, session)
        if request.method == "GET":
            return await _tokens_page(request, session, staff)
        await require_csrf(request)
        form = await request.form()
        try:
            expires = forms.text(form, "expires")
            issued = await auth.create_token(
                session=session,
                caller=staff.caller,
                organisation_code=forms.text(form, "organisation"),
                name=forms.text(form, "name") or "token",
                scopes=[str(s) for s in form.getlist("scopes")],
                expires_at=end_of_day(date.fromisoformat(expires), services(request).tz)
                if expires
                else None,
            )
        except ValueError:
            return await _tokens_page(
                request, session, staff, error=BadUserInput("not a date", field="expires")
            )
        except HubError as refused:
            await session.rollback()
            return await _tokens_page(request, session, staff, error=refused)
        # The plain token is shown once, in this answer: no redirect, nothing stored.
        return await _tokens_page(request, session, staff, issued=issued)


async def revoke(request: Request) -> Response:
    await require_csrf(request)
    async with db(request) as session:
        staff = await require_admin(request, session)
        try:
            await auth.revoke_token(
                session=session,
                client_id=request.path_params["id"],
                now=now(),
                organisation_ids=administration.administered_ids(staff.caller),
            )
        except NotFound:
            raise PageNotFound from None
    return redirect(request, request.url_for("admin_tokens").path)


routes = [
    Route("/admin", index, name="admin"),
    Route("/admin/organisations", organisations, name="admin_organisations"),
    Route("/admin/users", users, methods=["GET", "POST"], name="admin_users"),
    Route("/admin/users/{id:int}/active", user_active, methods=["POST"], name="admin_user_active"),
    Route("/admin/tokens", tokens, methods=["GET", "POST"], name="admin_tokens"),
    Route("/admin/tokens/{id:int}/revoke", revoke, methods=["POST"], name="admin_token_revoke"),
]
