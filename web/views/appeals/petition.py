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
from resolvers import loaders, validation
from resolvers.access import disclosure
from resolvers.access.audit import AuditPath
from resolvers.appeals.reading import get_petition
from resolvers.appeals.timeline import timeline_page
from resolvers.backlog import cases as backlog_cases
from resolvers.care import flags
from resolvers.care.risk import risk_by_petition
from resolvers.deadlines import standing
from resolvers.directory.organisations import list_organisations
from resolvers.errors import BadUserInput
from resolvers.events.stream import newest_event_id
from resolvers.workflow import readiness
from resolvers.workflow.transitions import Action
from web.pages import PageNotFound, Staff, db, is_htmx, now, render, require_staff, services
from web.views.appeals.worklist import bad_input, follow
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


async def timeline_context(
    session: AsyncSession,
    staff: Staff,
    petition: models.Petition,
    assignments: list[models.Assignment],
    before: int | None = None,
) -> dict[str, Any]:
    """One page of the timeline (the newest events, or those below the event id
    `before`) and the organisations and people it names, with the appeal's own
    organisations (where it was received, its assignments, where it was escalated):
    a statement per kind of thing, whatever the timeline's length."""
    page = await timeline_page(session, staff.caller, petition.id, before=before)
    events = page.events
    org_ids = {
        petition.received_by_id,
        *(a.organisation_id for a in assignments),
        *(e.organisation_id for e in events if e.organisation_id),
    }
    if petition.escalated_to_id:
        org_ids.add(petition.escalated_to_id)
    # The organisations events name by code (交办 → …, 转入 …, 调解组织, 法院): shown by name.
    named = {e.data.get(k) for e in events if e.data for k in EVENT_ORGANISATIONS}
    codes = {c for c in named if isinstance(c, str)}
    found = await loaders.organisations_by_id_or_code(session, list(org_ids), list(codes))
    organisations = {o.id: o for o in found}
    user_ids = [e.actor_user_id for e in events if e.actor_user_id]
    users = {u.id: u for u in await loaders.staff_users_by_id(session, user_ids) if u}
    return {
        "staff": staff,
        "p": petition,
        "events": events,
        "earlier": page.earlier,
        "timeline_paged": before is not None,
        "organisations": organisations,
        "by_code": {o.code: o for o in found if o.code in codes},
        "users": users,
        "assignment_orgs": {a.id: organisations.get(a.organisation_id) for a in assignments},
    }


async def petition_context(
    session: AsyncSession,
    request: Request,
    staff: Staff,
    petition: models.Petition,
    before: int | None = None,
) -> dict[str, Any]:
    """Everything the appeal page shows, loaded a batch per kind of thing; the timeline
    a page at a time (its newest events, or those below the event id `before`)."""
    (assignments,) = await loaders.assignments_by_petition(session, [petition.id])
    (repeat,) = await loaders.repeats_by_petition(session, staff.caller, [petition])
    shown = await timeline_context(session, staff, petition, assignments, before)
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
    directory = None  # the active organisations, read once for both pickers
    if any(a.name.startswith("ASSIGN") for a in actions):
        directory = await list_organisations(session=session, caller=staff.caller)
        pickers = [o for o in directory if o.kind not in (OrganisationKind.APPEALS_HALL,)]
    chain = await chain_context(session, staff.caller, petition, {a.name for a in actions})
    dispatching = await dispatch_context(session, staff, petition, assignments, actions, directory)
    dispatching |= await parties_context(session, petition)
    standings = await standings_context(
        session, staff.caller, [e for _, e in dispatching["appeal_parties"]]
    )
    (risk,) = await risk_by_petition(session, staff.caller, [petition.id])
    return (
        chain
        | dispatching
        | standings
        | shown
        | {
            "risk": risk,
            "risk_flags": await flags.risk_flags(
                session=session, caller=staff.caller, petition_id=petition.id
            ),
            "backlog_case": await backlog_cases.backlog_case_of(
                session=session, caller=staff.caller, petition_id=petition.id
            ),
            "flag_kinds": list(models.RiskFlagKind),
            "assignments": assignments,
            "community": community,
            "petitioner": petitioner,
            "repeat": repeat,
            "actions": {a.name for a in actions},
            "deadline": standing.badge(petition, services(request), now()),
            "assignment_badges": {
                a.id: standing.assignment_badge(a, petition, services(request), now())
                for a in assignments
            },
            "pickers": pickers,
            "roles": list(AssignmentRole),
            "escalation_targets": [
                (to, [o for stage, o in targets if stage is to]) for to in Escalation
            ],
            "satisfactions": list(Satisfaction),
            "categories": list(models.Category),
            "matters": list(models.Matter),
            "last_event": shown["events"][0].id if shown["events"] else 0,
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
    """The timeline: for htmx, just its section (its newest events), or with `before`
    (the id of the oldest event shown) just the page of events below it, to add to the
    list; without htmx, the appeal page showing that page of its timeline."""
    async with db(request) as session:
        staff = await require_staff(request, session)
        raw = request.query_params.get("before")
        try:
            before = None if raw is None else validation.digits(raw, "before")
        except BadUserInput as error:
            return bad_input(request, staff, error)
        row = await visible_petition(session, staff, request.path_params["number"])
        if not is_htmx(request):
            context = await petition_context(session, request, staff, row, before)
            if before is not None or not context["last_event"]:  # live from now on
                context["last_event"] = await newest_event_id(session)
            return render(request, "appeals/petition/show.html", None, context)
        (assignments,) = await loaders.assignments_by_petition(session, [row.id])
        context = await timeline_context(session, staff, row, assignments, before)
    partial = "_timeline.html" if before is None else "_timeline_events.html"
    return render(request, "appeals/petition/show.html", f"appeals/petition/{partial}", context)


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
