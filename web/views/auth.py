"""Sign-in and sign-out pages."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from db import models
from resolvers import signin
from resolvers.errors import RateLimited, Unauthenticated
from web.auth import end_session, require_csrf, start_session
from web.errors import error_text
from web.i18n import choose_language
from web.pages import render


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
        return render(request, "auth/login.html", None,
                      {"next": next_url, "error": None, "username": ""})
    await require_csrf(request)
    form = await request.form()
    username = str(form.get("username") or "")
    password = str(form.get("password") or "")
    next_url = _safe_next(str(form.get("next") or "/"))
    ip = request.client.host if request.client else "unknown"
    now = models.utcnow()
    async with request.app.state.sessionmaker() as session:
        pair, _ = await signin.recent_failures(session, username=username.strip()[:64], ip=ip,
                                               now=now)
        await asyncio.sleep(signin.slowdown(pair))
        try:
            signed_in = await signin.sign_in(session=session, username=username,
                                             password=password, ip=ip, now=now)
        except (Unauthenticated, RateLimited) as refused:
            status = 429 if isinstance(refused, RateLimited) else 401
            error = error_text(refused, choose_language(request))
            return render(
                request, "auth/login.html", None,
                {"next": next_url, "error": error, "username": username},
                status_code=status,
            )
    start_session(request, signed_in.user.id)
    return RedirectResponse(next_url, status_code=303)


async def logout(request: Request) -> Response:
    await require_csrf(request)
    end_session(request)
    return RedirectResponse(request.url_for("login").path, status_code=303)


routes = [
    Route("/login", login, methods=["GET", "POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
