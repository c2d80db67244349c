"""The backlog board (`/backlog/board`): backlog cases (信访积案) in the person's slice with
their leader in charge, age, next review and supervision — overdue ones first —, the
filters a leader asks for, and the steps: open a case on an appeal (列为积案: leader in
charge, plan, review cadence), review it, close it (销号: the assessment).

The steps call the resolvers the GraphQL mutations call (`resolvers/backlog/cases.py`),
each a step of the appeal with its event in the same transaction; a case's forms carry
its `version` (a stale board gets CONFLICT and nothing changes). The forms are offered
only to whom `resolvers/backlog/board.py` says; for anyone else they do not exist (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import models
from db.models import RegionKind
from resolvers import loaders
from resolvers.backlog import board as rules
from resolvers.backlog import cases
from resolvers.backlog.filters import BacklogFilter
from resolvers.directory.organisations import list_communities, list_organisations
from resolvers.errors import Conflict, HubError, NotFound
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
    services,
)

MAX_LISTED = 500
AGES = (30, 90, 180, 365)  # the age filter's choices, in days
FILTERS = ("street", "organisation", "age", "state", "mine")


@dataclass
class BoardRow:
    case: models.BacklogCase
    leader: models.StaffUser | None
    petition: models.Petition | None
    standing: cases.BacklogStanding


def _filter(params: Any, staff: Staff) -> BacklogFilter:
    """The board's filters from its query string; unknown values are ignored."""
    age = params.get("age") or ""
    state = params.get("state")
    return BacklogFilter(
        street=params.get("street") or None,
        organisation=params.get("organisation") or None,
        older_than_days=int(age) if age.isdigit() and int(age) in AGES else None,
        open_only={"open": True, "closed": False}.get(state or ""),
        leader_id=staff.caller.user_id if params.get("mine") == "1" else None,
    )


async def board_context(
    session: AsyncSession, request: Request, staff: Staff, params: Any
) -> dict[str, Any]:
    """Everything the board shows, a batch per kind of thing."""
    tz = services(request).tz
    moment = now()
    rows, _ = await cases.list_backlog_cases(
        session=session,
        caller=staff.caller,
        first=MAX_LISTED,
        after=None,
        where=_filter(params, staff),
        now=moment,
    )
    leaders = await loaders.staff_users_by_id(session, [r.leader_id for r in rows])
    petitions = await loaders.visible_petitions_by_id(
        session, staff.caller, [r.petition_id for r in rows]
    )
    today = moment.astimezone(tz).date()
    board_rows: list[BoardRow] = []
    for case, leader, petition in zip(rows, leaders, petitions, strict=True):
        end = case.closed_at.astimezone(tz).date() if case.closed_at else today
        board_rows.append(
            BoardRow(
                case,
                leader,
                petition,
                cases.standing(case, end, case.opened_at.astimezone(tz).date()),
            )
        )
    board_rows.sort(
        key=lambda r: (
            r.case.closed_at is not None,
            not (r.standing.review_overdue or r.standing.supervision_overdue),
            r.case.next_review_due,
        )
    )
    offers = rules.offers_steps(staff.caller)
    return {
        "staff": staff,
        "rows": board_rows,
        "section": "backlog",
        "filters": {k: params[k] for k in FILTERS if params.get(k)},
        "streets": await list_communities(session=session, kind=RegionKind.STREET),
        "organisations": await list_organisations(session=session, caller=staff.caller),
        "ages": AGES,
        "offers": offers,
        "leaders": await rules.leaders(session=session) if offers else [],
        "reviewable": {r.case.id for r in board_rows if rules.offers_review(staff.caller, r.case)},
        "closable": {
            r.case.id
            for r in board_rows
            if offers and r.case.closed_at is None and r.petition and cases.closable(r.petition)
        },
        "errors": {},
        "values": {},
        "conflict": False,
    }


async def board(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_staff(request, session)
        context = await board_context(session, request, staff, request.query_params)
    return render(request, "backlog/board.html", "backlog/_board.html", context)


def _step(key: str, form: FormData) -> tuple[Any, dict[str, Any]]:
    """The backlog resolver for the form `key` (`open`, `review-7`, `close-7`) and its
    arguments from the form."""
    if key == "open":
        return cases.open_backlog_case, {
            "ref": PetitionRef(number=forms.text(form, "number")),
            "leader_username": forms.text(form, "leaderUsername"),
            "plan": forms.text(form, "plan"),
            "review_every_days": forms.whole_number(
                form, "reviewEveryDays", default=30, high=10**6
            ),
        }
    action, _, ident = key.partition("-")
    version = forms.text(form, "version")
    ref = cases.CaseRef(
        id=int(ident), expected_version=forms.whole_number(form, "version") if version else None
    )
    if action == "review":
        return cases.review_backlog_case, {"ref": ref, "note": forms.text(form, "note")}
    return cases.close_backlog_case, {"ref": ref, "assessment": forms.text(form, "assessment")}


async def act(request: Request) -> Response:
    await require_csrf(request)
    key = request.path_params.get("action", "open")
    if key not in ("open", "review", "close") or (key == "open") == ("case" in request.path_params):
        raise PageNotFound
    if key != "open":
        key += f"-{request.path_params['case']}"
    form = await request.form()
    back = request.query_params
    error: HubError | None = None
    async with db(request) as session:
        staff = await require_staff(request, session)
        if key.startswith("review-"):
            case = await cases.backlog_case_by_id(
                session=session, caller=staff.caller, ident=request.path_params["case"]
            )
            if case is None or not rules.offers_review(staff.caller, case):
                raise PageNotFound
        elif not rules.offers_steps(staff.caller):
            raise PageNotFound
        try:
            step, arguments = _step(key, form)
            await step(
                session=session,
                caller=staff.caller,
                services=services(request),
                now=now(),
                **arguments,
            )
        except NotFound as missing:
            if key != "open":  # a case outside the slice: as if there were none
                raise PageNotFound from None
            error = missing  # a typed appeal number nobody can see: the form says so
        except HubError as refused:
            error = refused
    here = request.url_for("backlog_board").path + ("?" + str(back) if str(back) else "")
    if error is None and not is_htmx(request):
        return redirect(request, here)
    async with db(request) as session:
        staff = await require_staff(request, session)
        context = await board_context(session, request, staff, back)
    status = 200
    if error is not None:
        context["errors"] = {key: error}
        context["values"] = {key: form}
        context["conflict"] = isinstance(error, Conflict)
        if not is_htmx(request):
            status = 409 if isinstance(error, Conflict) else 400
    return render(request, "backlog/board.html", "backlog/_board.html", context, status_code=status)


routes = [
    Route("/backlog/board", board, name="backlog_board"),
    Route(
        "/backlog/board/open",
        act,
        methods=["POST"],
        name="backlog_open",
    ),
    Route("/backlog/board/{case:int}/{action}", act, methods=["POST"], name="backlog_act"),
]
