"""The metro centre's tier board (`/disputes/tiers`): open tiered cases in the
person's slice, by tier, with each case's current tier and its limit."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db.models import MediationStatus, MetroTier
from resolvers.disputes import reading
from web.pages import db, render, require_staff
from web.views.disputes.common import organisations, yuan

BOARD_SIZE = 200


async def tier_board(request: Request) -> Response:
    """The metro centre's tier board: open tiered cases in the slice, by tier."""
    async with db(request) as session:
        staff = await require_staff(request, session)
        page = await reading.list_mediation_cases(
            session=session,
            caller=staff.caller,
            first=BOARD_SIZE,
            after=None,
            where=reading.MediationFilter(statuses=[MediationStatus.OPEN], tiers=list(MetroTier)),
        )
        tiers = await reading.tiers_by_case(session, [c.id for c in page.rows])
        orgs = await organisations(session, [c.mediator_org_id for c in page.rows])
    current = {
        c.id: next((t for t in ts if t.ended_at is None), None)
        for c, ts in zip(page.rows, tiers, strict=True)
    }
    escalated = {
        c.id for c, ts in zip(page.rows, tiers, strict=True) if any(t.escalated for t in ts)
    }
    columns = [(tier, [c for c in page.rows if c.tier is tier]) for tier in MetroTier]
    return render(
        request,
        "disputes/tiers.html",
        None,
        {
            "staff": staff,
            "columns": columns,
            "current": current,
            "escalated": escalated,
            "orgs": orgs,
            "yuan": yuan,
        },
    )


routes = [Route("/disputes/tiers", tier_board, name="dispute_tiers")]
