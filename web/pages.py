"""What every staff page shares: who is signed in, one URL with two renderings, errors.

`render` answers an htmx request (`HX-Request`, not boosted) with the partial the
page itself includes, and anything else with the whole page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from jinja2 import pass_context
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response

from db import models
from resolvers.access.caller import Caller
from resolvers.errors import HubError, NotFound
from resolvers.services import Services
from web import observability
from web.auth import staff_caller
from web.i18n import HTML_LANG, LANGUAGES, choose_language


class SignInRequired(Exception):
    """The page needs a signed-in staff member."""


class PageNotFound(Exception):
    """Absent, or outside the caller's slice: the same page either way."""


@dataclass
class Staff:
    """The signed-in person, and their organisation for the header."""

    caller: Caller
    organisation: models.Organisation


@pass_context
def path_for(context: dict[str, Any], name: str, /, **path_params: Any) -> str:
    """`url_for` in templates: the path only, so pages work behind any proxy."""
    return str(context["request"].url_for(name, **path_params).path)


def is_htmx(request: HTTPConnection) -> bool:
    return (
        request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"
    )


def services(request: HTTPConnection) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def now() -> datetime:
    return models.utcnow()


@asynccontextmanager
async def db(request: HTTPConnection) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessionmaker() as session:
        yield session


async def require_staff(request: HTTPConnection, session: AsyncSession) -> Staff:
    """The signed-in staff member, else `SignInRequired` (a redirect to the login page)."""
    app = request.app
    caller = await staff_caller(
        request, app.state.sessionmaker, app.state.settings.session_idle_minutes
    )
    if caller is None:
        raise SignInRequired
    observability.note(organisation=caller.organisation_code)
    organisation = await session.get(models.Organisation, caller.organisation_id)
    assert organisation is not None
    session.expunge(organisation)  # the header outlives a rollback in the view
    return Staff(caller, organisation)


Step = Callable[..., Awaitable[Any]]


async def take_step(
    request: HTTPConnection,
    session: AsyncSession,
    staff: Staff,
    prepare: Callable[[], tuple[Step, dict[str, Any]]],
) -> HubError | None:
    """Take the step a form asks for, as the signed-in person: `prepare` reads the form
    into the resolver and its arguments (`ref` among them). None when it is done, else
    the refusal the page shows beside the form; outside the person's slice, the 404."""
    try:
        step, arguments = prepare()
        await step(
            session=session, caller=staff.caller, services=services(request), now=now(), **arguments
        )
    except NotFound:
        raise PageNotFound from None
    except HubError as refused:
        return refused
    return None


def render(
    request: Request,
    template: str,
    partial: str | None,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """The whole `template`, or just `partial` for an htmx request."""
    language = choose_language(request)
    request.app.state.translator.activate(language)
    name = partial if partial and is_htmx(request) else template
    context = {
        "language": language,
        "html_lang": HTML_LANG[language],
        "languages": LANGUAGES,
        **context,
    }
    response = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status_code, headers=headers
    )
    response.headers["Vary"] = "HX-Request"
    return response  # type: ignore[no-any-return]


def form_status(request: HTTPConnection, error: object) -> int:
    """A form sent back with an error: 400 for a plain form; 200 for htmx, which
    swaps only successful answers into the page."""
    return 400 if error and not is_htmx(request) else 200


def redirect(request: Request, url: str) -> Response:
    """After a POST: 303 for a plain form; htmx follows `HX-Location` itself."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Location": url})
    return RedirectResponse(url, status_code=303)


async def sign_in_required(request: Request, _: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = request.url_for("login").path + "?" + urlencode({"next": target})
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": login})
    return RedirectResponse(login, status_code=303)


async def page_not_found(request: Request, _: Exception) -> Response:
    staff = None
    try:
        async with db(request) as session:
            staff = await require_staff(request, session)
    except SignInRequired:
        pass
    return render(request, "errors/404.html", None, {"staff": staff}, status_code=404)
