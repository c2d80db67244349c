"""The appeal page (`/petitions/{number}`): details, petitioner, assignments, timeline,
the actions the caller may take, and live updates."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import models
from db.models import AssignmentRole, Escalation, OrganisationKind, Satisfaction
from resolvers import loaders
from resolvers.access import disclosure
from resolvers.access.audit import AuditPath
from resolvers.appeals.reading import get_petition
from resolvers.backlog import cases as backlog_cases
from resolvers.care import flags
from resolvers.care.risk import risk_by_petition
from resolvers.deadlines import standing
from resolvers.directory.organisations import list_organisations
from resolvers.events.stream import newest_event_id
from resolvers.workflow import readiness
from resolvers.workflow.transitions import Action
from web.pages import PageNotFound, Staff, db, now, render, require_staff, services
from web.views.appeals.worklist import follow
from web.views.dispatch import dispatch_context, parties_context
from web.views.disputes import chain_context
from web.views.enterprises import standings_context

# The keys of an event's data that name an organisation by its code.
EVENT_ORGANISATIONS = ("organisation", "mediator", "court")


async def visible_petition(session: AsyncSession, staff: Staff, number: str) -> models.Petition:
    petition = await get_petition(session=session, caller=staff.caller, number=number)
    if petition is None:
        raise PageNotFound
    return petition


async def petition_context(
    session: AsyncSession, request: Request, staff: Staff, petition: models.Petition
) -> dict[str, Any]:
    """Everything the appeal page shows, loaded a batch per kind of thing."""
    (assignments,) = await loaders.assignments_by_petition(session, [petition.id])
    (events,) = await loaders.shown_events_by_petition(session, staff.caller, [petition.id])
    (repeat,) = await loaders.repeats_by_petition(session, staff.caller, [petition])
    org_ids = [
        petition.received_by_id,
        *(a.organisation_id for a in assignments),
        *(e.organisation_id for e in events if e.organisation_id),
    ]
    if petition.escalated_to_id:
        org_ids.append(petition.escalated_to_id)
    organisations = {o.id: o for o in await loaders.organisations_by_id(session, org_ids) if o}
    # The organisations events name by code (交办 → …, 转入 …, 调解组织, 法院): shown by name.
    named = {e.data.get(k) for e in events if e.data for k in EVENT_ORGANISATIONS}
    codes = sorted(c for c in named if isinstance(c, str))
    by_code = {o.code: o for o in await loaders.organisations_by_code(session, codes) if o}
    user_ids = [e.actor_user_id for e in events if e.actor_user_id]
    users = {u.id: u for u in await loaders.staff_users_by_id(session, user_ids) if u}
    community = None
    if petition.community_id:
        (community,) = await loaders.regions_by_id(session, [petition.community_id])
    (petitioner,) = await disclosure.disclose_petitioners(
        session, staff.caller, [petition], AuditPath.PAGE
    )
    actions, step = await readiness.offered(
        session=session,
        caller=staff.caller,
        services=services(request),
        now=now(),
        petition=petition,
        assignments=assignments,
    )
    targets = await readiness.escalation_targets(step) if Action.ESCALATE in actions else []
    pickers: list[models.Organisation] = []
    if any(a.name.startswith("ASSIGN") for a in actions):
        pickers = [
            o
            for o in await list_organisations(session=session, caller=staff.caller)
            if o.kind not in (OrganisationKind.APPEALS_HALL,)
        ]
    chain = await chain_context(session, staff.caller, petition, {a.name for a in actions})
    dispatching = await dispatch_context(session, staff, petition, assignments, actions)
    dispatching |= await parties_context(session, petition)
    standings = await standings_context(
        session, staff.caller, [e for _, e in dispatching["appeal_parties"]]
    )
    (risk,) = await risk_by_petition(session, staff.caller, [petition.id])
    return (
        chain
        | dispatching
        | standings
        | {
            "risk": risk,
            "risk_flags": await flags.risk_flags(
                session=session, caller=staff.caller, petition_id=petition.id
            ),
            "backlog_case": await backlog_cases.backlog_case_of(
                session=session, caller=staff.caller, petition_id=petition.id
            ),
            "flag_kinds": list(models.RiskFlagKind),
            "staff": staff,
            "p": petition,
            "assignments": assignments,
            "events": events,
            "organisations": organisations,
            "users": users,
            "community": community,
            "petitioner": petitioner,
            "repeat": repeat,
            "actions": {a.name for a in actions},
            "deadline": standing.badge(petition, services(request), now()),
            "assignment_badges": {
                a.id: standing.assignment_badge(a, petition, services(request), now())
                for a in assignments
            },
            "assignment_orgs": {a.id: organisations.get(a.organisation_id) for a in assignments},
            "by_code": by_code,
            "pickers": pickers,
            "roles": list(AssignmentRole),
            "escalation_targets": [
                (to, [o for stage, o in targets if stage is to]) for to in Escalation
            ],
            "satisfactions": list(Satisfaction),
            "categories": list(models.Category),
            "matters": list(models.Matter),
            "last_event": events[-1].id if events else 0,
            "errors": {},
            "values": {},
            "conflict": False,
            "general_error": None,
        }
    )


async def petition(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_staff(request, session)
        row = await visible_petition(session, staff, request.path_params["number"])
        context = await petition_context(session, request, staff, row)
        if not context["last_event"]:
            context["last_event"] = await newest_event_id(session)
    return render(request, "appeals/petition/show.html", "appeals/petition/_petition.html", context)


async def timeline(request: Request) -> Response:
    """Just the timeline (what the live feed reloads), or the page without htmx."""
    async with db(request) as session:
        staff = await require_staff(request, session)
        row = await visible_petition(session, staff, request.path_params["number"])
        context = await petition_context(session, request, staff, row)
    return render(request, "appeals/petition/show.html", "appeals/petition/_timeline.html", context)


async def petition_events(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_staff(request, session)
        row = await visible_petition(session, staff, request.path_params["number"])
    return await follow(request, "changed", row.id)


routes = [
    Route("/petitions/{number}", petition, name="petition"),
    Route("/petitions/{number}/timeline", timeline, name="petition_timeline"),
    Route("/petitions/{number}/events", petition_events, name="petition_events"),
]
