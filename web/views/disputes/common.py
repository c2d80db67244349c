"""What the chain's pages share: money as yuan, organisations by id, form values, one
case page with its steps (`CasePage`), and the appeal-level steps taken from the appeal
page (`from_appeal`).

Every read goes through `resolvers/disputes/reading.py` (the chain's slice); every step
through the same resolvers as GraphQL; the forms a page offers come from
`resolvers/disputes/offers.py`. A case outside the slice is the same 404 as a case that
does not exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from db import models
from resolvers import loaders
from resolvers.disputes.cases import CaseRef
from resolvers.disputes.money import to_yuan
from resolvers.errors import BadUserInput, HubError, NotFound
from resolvers.services import Services
from resolvers.workflow.steps import PetitionRef
from web import forms
from web.auth import require_csrf
from web.pages import (
    PageNotFound,
    Staff,
    db,
    is_htmx,
    now,
    redirect,
    render,
    require_staff,
)
from web.pages import services as hub_services

PAGE_SIZE = 50
Step = Callable[..., Awaitable[Any]]
StepParser = Callable[[str, FormData, Request], tuple[Step, dict[str, Any]]]
Context = Callable[[AsyncSession, Staff, int], Awaitable[dict[str, Any]]]


def yuan(fen: int | None) -> str:
    """1234567 → `12,345.67`."""
    amount = to_yuan(fen)
    return "—" if amount is None else f"{amount:,.2f}"


async def organisations(session: AsyncSession, ids: list[int]) -> dict[int, models.Organisation]:
    return {o.id: o for o in await loaders.organisations_by_id(session, ids) if o}


def version_of(form: FormData) -> int | None:
    version = forms.text(form, "version")
    return int(version) if version.isdigit() else None


def day(form: FormData, name: str, field: str) -> date:
    value = forms.optional_date(form, name, field=field)
    if value is None:
        raise BadUserInput("not a date", field=field)
    return value


def moment(form: FormData, name: str, field: str, request: Request) -> datetime:
    """A `datetime-local` field, in the hub's time zone unless it names an offset."""
    try:
        value = datetime.fromisoformat(forms.text(form, name))
    except ValueError:
        raise BadUserInput("not a date and time", field=field) from None
    return value if value.tzinfo else value.replace(tzinfo=hub_services(request).tz)


def chosen(params: Any, kind: Any, name: str) -> list[Any] | None:
    """A list filter's one chosen member of enum `kind` (`?status=AWARDED`), if any."""
    value = params.get(name)
    return [kind[value]] if value and value in kind.__members__ else None


@dataclass(frozen=True)
class CasePage:
    """One kind of case's page (`template`, `partial` for htmx) at the route `name`, the
    steps its forms post to (`steps`: action → resolver and arguments) and what the page
    shows (`context`)."""

    template: str
    partial: str
    name: str
    steps: StepParser
    context: Context

    async def show(self, request: Request) -> Response:
        async with db(request) as session:
            staff = await require_staff(request, session)
            context = await self.context(session, staff, request.path_params["id"])
        return render(request, self.template, self.partial, context)

    async def act(self, request: Request) -> Response:
        """Take the step the form names; then the case again (a redirect for a plain
        form, the page's part for htmx), with a refusal beside its form and what was
        typed kept."""
        await require_csrf(request)
        ident, action = request.path_params["id"], request.path_params["action"]
        form = await request.form()
        error: HubError | None = None
        async with db(request) as session:
            staff = await require_staff(request, session)
            try:
                step, arguments = self.steps(action, form, request)
                await step(
                    session=session,
                    caller=staff.caller,
                    services=hub_services(request),
                    now=now(),
                    ref=CaseRef(ident, version_of(form)),
                    **arguments,
                )
            except NotFound:
                raise PageNotFound from None
            except HubError as refused:
                error = refused
        if error is None and not is_htmx(request):
            return redirect(request, request.url_for(self.name, id=ident).path)
        async with db(request) as session:
            staff = await require_staff(request, session)
            context = await self.context(session, staff, ident)
        if error is not None:
            context["errors"] = {action: error}
            context["values"] = {action: dict(form.items())}
        return render(
            request,
            self.template,
            self.partial,
            context,
            status_code=refused_status(request, error),
        )


def refused_status(request: Request, error: HubError | None) -> int:
    """As the appeal's steps answer: 200 for htmx (it swaps only successes); else 409
    for a stale version, 403 for a step the person may not take, 400 for a wrong one."""
    if error is None or is_htmx(request):
        return 200
    return {"CONFLICT": 409, "FORBIDDEN": 403}.get(error.code, 400)


AppealStep = Callable[[AsyncSession, Staff, PetitionRef, FormData, Services], Awaitable[Any]]


async def from_appeal(
    request: Request, key: str, take: AppealStep, to: Callable[[Any], str]
) -> Response:
    """An appeal-level step of the chain (to mediation, arbitration, court) from the
    appeal page's chain block; then to the new case (`to`), or the appeal page again
    with the refusal beside the form `key`."""
    await require_csrf(request)
    number = request.path_params["number"]
    form = await request.form()
    async with db(request) as session:
        staff = await require_staff(request, session)
        try:
            ref = PetitionRef(number=number, expected_version=version_of(form))
            case = await take(session, staff, ref, form, hub_services(request))
        except NotFound:
            raise PageNotFound from None
        except HubError as refused:
            return await _appeal_with_error(request, number, key, refused)
    return redirect(request, to(case))


async def _appeal_with_error(request: Request, number: str, key: str, error: HubError) -> Response:
    from web.views.appeals.petition import petition_context, visible_petition

    async with db(request) as session:
        staff = await require_staff(request, session)
        row = await visible_petition(session, staff, number)
        context = await petition_context(session, request, staff, row)
    context["errors"] = {key: error}
    return render(
        request,
        "appeals/petition/show.html",
        "appeals/petition/_petition.html",
        context,
        status_code=refused_status(request, error),
    )
