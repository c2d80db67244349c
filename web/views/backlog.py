"""The backlog board (`/backlog/board`): backlog cases (信访积案) in the person's slice with
their leader in charge, age, next review and supervision — overdue ones first."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import models
from resolvers import loaders
from resolvers.backlog import cases
from web.pages import db, now, render, require_staff, services

MAX_LISTED = 500


@dataclass
class BoardRow:
    case: models.BacklogCase
    leader: models.StaffUser | None
    petition: models.Petition | None
    standing: cases.BacklogStanding


async def board(request: Request) -> Response:
    tz = services(request).tz
    async with db(request) as session:
        staff = await require_staff(request, session)
        rows, _ = await cases.list_backlog_cases(
            session=session, caller=staff.caller, first=MAX_LISTED, after=None, open_only=None
        )
        leaders = await loaders.staff_users_by_id(session, [r.leader_id for r in rows])
        petitions = await loaders.visible_petitions_by_id(
            session, staff.caller, [r.petition_id for r in rows]
        )
    today = now().astimezone(tz).date()
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
    return render(
        request,
        "backlog/board.html",
        None,
        {"staff": staff, "rows": board_rows, "section": "backlog"},
    )


routes = [Route("/backlog/board", board, name="backlog_board")]
