"""The worklist (`/petitions`), the home page, the backlog (`/backlog`) and the live feed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from db.models import Category, Matter, PetitionStatus, Role
from resolvers import metrics, validation
from resolvers.access.caller import Caller
from resolvers.access.signin import session_caller
from resolvers.appeals.reading import (
    PetitionFilter,
    PetitionOrder,
    count_petitions,
    list_petitions,
)
from resolvers.care.risk import risk_by_petition
from resolvers.directory.organisations import list_communities
from resolvers.errors import BadUserInput, Unauthenticated
from resolvers.events.stream import follow_events, newest_event_id
from web.auth import session_token
from web.errors import error_text
from web.i18n import choose_language
from web.pages import db, now, render, require_staff, services
from web.rows import rows_for

PAGE_SIZE = 25
FILTERS = ("status", "category", "matter", "community", "due", "backlog", "q", "sort", "size")
MAX_PAGE_SIZE = 100
STALE_CURSOR = "not a cursor this page gave out"
E = TypeVar("E", PetitionStatus, Category, Matter)


def _enum(kind: type[E], value: str | None) -> list[E] | None:
    return [kind[value]] if value and value in kind.__members__ else None


@dataclass
class Worklist:
    """What a worklist's query string asks for: a filter and an ordering."""

    where: PetitionFilter
    order: PetitionOrder


def worklist_from(params: Any, *, backlog: bool = False) -> Worklist:
    """The worklist a query string asks for; unknown values are ignored."""
    due = params.get("due")
    where = PetitionFilter(
        statuses=_enum(PetitionStatus, params.get("status")),
        categories=_enum(Category, params.get("category")),
        matters=_enum(Matter, params.get("matter")),
        community=params.get("community") or None,
        overdue=True if due == "overdue" else None,
        backlog=True if backlog or params.get("backlog") == "1" else None,
        text=(params.get("q") or "").strip()[:100] or None,
        due_soon=True if due == "soon" else None,
    )
    order = PetitionOrder.DUE_ASC if params.get("sort") == "due" else PetitionOrder.RECEIVED_DESC
    return Worklist(where=where, order=order)


def chosen_filters(params: Any) -> dict[str, str]:
    return {k: params[k] for k in FILTERS if params.get(k)}


async def _worklist_page(request: Request, *, backlog: bool) -> Response:
    params = request.query_params
    template = "appeals/worklist/backlog.html" if backlog else "appeals/worklist/index.html"
    size = validation.whole(params.get("size"))
    first = min(size, MAX_PAGE_SIZE) if size else PAGE_SIZE
    async with db(request) as session:
        staff = await require_staff(request, session)
        worklist = worklist_from(params, backlog=backlog)
        error = None
        try:
            page = await list_petitions(
                session=session,
                caller=staff.caller,
                services=services(request),
                where=worklist.where,
                order=worklist.order,
                first=first,
                after=params.get("after"),
                now=now(),
            )
        except BadUserInput:  # a cursor from elsewhere: say so and start at the top
            error = error_text(BadUserInput(STALE_CURSOR, field="after"), choose_language(request))
            page = await list_petitions(
                session=session,
                caller=staff.caller,
                services=services(request),
                where=worklist.where,
                order=worklist.order,
                first=first,
                after=None,
                now=now(),
            )
        total = await count_petitions(
            session=session,
            caller=staff.caller,
            services=services(request),
            where=worklist.where,
            now=now(),
        )
        rows = await rows_for(session, staff.caller, page.rows, services(request), now())
        risks = dict(
            zip(
                [p.id for p in page.rows],
                await risk_by_petition(session, staff.caller, [p.id for p in page.rows]),
                strict=True,
            )
        )
        communities = await list_communities(session=session)
    filters = chosen_filters(params)
    here = request.url_for("backlog" if backlog else "petitions").path
    next_url = (
        here + "?" + urlencode(filters | {"after": page.cursors[-1]})
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
            "total": total,
            "filters": filters,
            "next_url": next_url,
            "first_url": here + ("?" + urlencode(filters) if filters else ""),
            "paged": bool(params.get("after")),
            "current_url": current,
            "error": error,
            "communities": communities,
            "statuses": list(PetitionStatus),
            "categories": list(Category),
            "matters": list(Matter),
            "backlog": backlog,
            "export_query": urlencode(filters),
            "risks": risks,
        },
    )


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
