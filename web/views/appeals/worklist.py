"""The worklist (`/petitions`), the home page, the backlog (`/backlog`) and the live feed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from functools import partial
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from db import models
from db.models import Category, Channel, Matter, OrganisationKind, PetitionStatus, Role
from resolvers import metrics, validation
from resolvers.access.caller import Caller
from resolvers.access.signin import session_caller
from resolvers.appeals.reading import list_petitions
from resolvers.appeals.worklist import View, count_views, opening_view, view_filter, views_for
from resolvers.care.risk import risk_by_petition
from resolvers.errors import BadUserInput, Unauthenticated
from resolvers.events.stream import follow_events, newest_event_id
from web.auth import session_token
from web.errors import catalogue, error_text
from web.i18n import choose_language
from web.pages import Staff, db, now, render, require_staff, services
from web.rows import rows_for
from web.views.appeals.filters import requested

STALE_CURSOR = "not a cursor this page gave out"


def bad_input(request: Request, staff: Staff, error: BadUserInput) -> Response:
    """The 400 page, naming the field the query string got wrong."""
    language = choose_language(request)
    field = str(error.extensions.get("field", ""))
    label = field if language == "en" else catalogue(language).gettext(field)
    context = {"staff": staff, "problem": error_text(error, language), "field": label}
    return render(request, "errors/400.html", None, context, status_code=400)


async def _worklist_page(request: Request, *, backlog: bool) -> Response:
    params = request.query_params
    template = "appeals/worklist/backlog.html" if backlog else "appeals/worklist/index.html"
    async with db(request) as session:
        staff = await require_staff(request, session)
        caller = staff.caller
        try:
            asked = await requested(session, caller, params, services(request).tz, backlog=backlog)
        except BadUserInput as error:
            return bad_input(request, staff, error)
        worklist = asked.worklist
        offered = views_for(caller)
        if worklist.view and worklist.view not in offered:  # asked for by its URL: shown too
            offered.append(worklist.view)
        counts = await count_views(
            session=session,
            caller=caller,
            services=services(request),
            where=worklist.where,
            views=offered,
            now=now(),
        )
        view = worklist.view or (View.ALL if backlog else opening_view(caller, counts))
        where = replace(worklist.where, within=view_filter(view, caller))
        problem = None
        read = partial(
            list_petitions,
            session=session,
            caller=caller,
            services=services(request),
            where=where,
            order=worklist.order,
            first=worklist.size,
            now=now(),
        )
        try:
            page = await read(after=params.get("after"))
        except BadUserInput:  # a cursor from elsewhere: say so and start at the top
            problem = error_text(
                BadUserInput(STALE_CURSOR, field="after"), choose_language(request)
            )
            page = await read(after=None)
        rows = await rows_for(session, caller, page.rows, services(request), now())
        risks = dict(
            zip(
                [p.id for p in page.rows],
                await risk_by_petition(session, caller, [p.id for p in page.rows]),
                strict=True,
            )
        )
    filters = {k: v for k, v in worklist.chosen.items() if k != "view"}
    here = request.url_for("backlog" if backlog else "petitions").path
    in_view = {"view": view.value} | filters
    next_url = (
        here + "?" + urlencode(in_view | {"after": page.cursors[-1]})
        if page.has_next_page and page.cursors
        else None
    )
    current = here + ("?" + request.url.query if request.url.query else "")
    return render(
        request,
        template,
        "appeals/worklist/_results.html",
        {
            "staff": staff,
            "rows": rows,
            "total": counts.get(view, 0),
            "view": view,
            "chosen_view": worklist.view,
            "views": [
                (v, counts[v], here + "?" + urlencode({"view": v.value} | filters)) for v in offered
            ],
            "filters": filters,
            "next_url": next_url,
            "first_url": here + "?" + urlencode(in_view),
            "paged": bool(params.get("after")),
            "current_url": current,
            "error": problem,
            "streets": asked.streets,
            "organisation_groups": grouped(asked.organisations),
            "statuses": list(PetitionStatus),
            "categories": list(Category),
            "matters": list(Matter),
            "channels": list(Channel),
            "backlog": backlog,
            "export_query": urlencode(in_view),
            "risks": risks,
        },
    )


def grouped(
    organisations: list[models.Organisation],
) -> list[tuple[OrganisationKind, list[models.Organisation]]]:
    """Organisations under their kind, kinds in the enum's order."""
    groups = [(kind, [o for o in organisations if o.kind is kind]) for kind in OrganisationKind]
    return [(kind, members) for kind, members in groups if members]


async def petitions(request: Request) -> Response:
    return await _worklist_page(request, backlog=False)


async def backlog(request: Request) -> Response:
    return await _worklist_page(request, backlog=True)


async def home(request: Request) -> Response:
    """Leaders land on the data screen, everyone else on the worklist."""
    async with db(request) as session:
        staff = await require_staff(request, session)
    target = "screen" if Role.LEADER in staff.caller.roles else "petitions"
    return RedirectResponse(request.url_for(target).path, status_code=303)


def sse(event: str, ident: int) -> str:
    return f"id: {ident}\nevent: {event}\ndata: {ident}\n\n"


async def follow(request: Request, event: str, petition_id: int | None) -> StreamingResponse:
    """Server-Sent Events: `event` each time something new happens in the slice (on
    `petition_id` when given). The same stream as `Subscription.petitionEvents`:
    woken by the broker, read from the database through the access policy."""
    async with db(request) as session:
        staff = await require_staff(request, session)
        raw = request.headers.get("last-event-id") or request.query_params.get("after")
        known = validation.whole(raw)
        last = known if known is not None else await newest_event_id(session)
    app = request.app
    token = session_token(request)
    idle = timedelta(minutes=app.state.settings.session_idle_minutes)

    async def still_signed_in() -> Caller | None:
        # The session itself, not just the person: signing out ends the stream too.
        async with app.state.sessionmaker() as session:
            return (
                await session_caller(session, token=token, now=now(), idle=idle, touch=False)
                if token
                else None
            )

    async def stream() -> AsyncIterator[str]:
        yield f"retry: 3000\nid: {last}\n\n"
        events = follow_events(
            app.state.sessionmaker,
            staff.caller,
            services(request).broker,
            last,
            petition_id=petition_id,
            poll_interval=app.state.event_poll_seconds,
            recheck=still_signed_in,
        )
        # Starlette cancels this generator when the browser goes away.
        metrics.OPEN_STREAMS.inc()
        try:
            async for new in events:
                yield sse(event, new.id)
        except Unauthenticated:
            return  # signed out, deactivated, or idle: the stream ends
        finally:
            metrics.OPEN_STREAMS.dec()

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def worklist_events(request: Request) -> Response:
    return await follow(request, "worklist", None)


routes = [
    Route("/", home, name="home"),
    Route("/petitions", petitions, name="petitions"),
    Route("/petitions/events", worklist_events, name="worklist_events"),
    Route("/backlog", backlog, name="backlog"),
]
