"""Dispatch on the pages: the 交办 picker (the suggestions first, then every organisation
by kind), 受理并交办 on the appeal page, and intake's routing field, refreshed by htmx as
the matter, community and project are chosen. The rule is
`resolvers/workflow/dispatch.py`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import models
from db.models import Matter, OrganisationKind
from resolvers.directory.enterprises import list_enterprises
from resolvers.directory.organisations import list_organisations
from resolvers.disputes import reading
from resolvers.disputes.reading import list_projects
from resolvers.workflow import dispatch
from resolvers.workflow.readiness import Combined
from resolvers.workflow.transitions import Action
from web import forms
from web.auth import require_csrf
from web.pages import Staff, db, now, render, require_staff


async def picker(
    session: AsyncSession,
    staff: Staff,
    suggested: list[dispatch.Suggestion],
    directory: list[models.Organisation] | None = None,
) -> dict[str, Any]:
    """The suggestions, then the other organisations grouped by kind (the hall left out);
    `directory`: the active organisations, when the caller has them already."""
    shown = {s.organisation.id for s in suggested}
    groups: dict[OrganisationKind, list[models.Organisation]] = {}
    if directory is None:
        directory = await list_organisations(session=session, caller=staff.caller)
    for o in directory:
        if o.kind is not OrganisationKind.APPEALS_HALL and o.id not in shown:
            groups.setdefault(o.kind, []).append(o)
    return {
        "suggested": suggested,
        "groups": [(kind, groups[kind]) for kind in OrganisationKind if kind in groups],
    }


async def dispatch_context(
    session: AsyncSession,
    staff: Staff,
    petition: models.Petition,
    assignments: list[models.Assignment],
    actions: Sequence[Action | Combined],
    directory: list[models.Organisation] | None = None,
) -> dict[str, Any]:
    """What the appeal page's 交办 and 受理并交办 forms offer (`directory`: as `picker`)."""
    names = {a.name for a in actions}
    if not names & {"ACCEPT_AND_ASSIGN", "ASSIGN_LEAD", "ASSIGN_ASSISTING"}:
        return {"dispatch": None}
    suggested = await dispatch.petition_suggestions(
        session=session, caller=staff.caller, now=now(), petition=petition, assignments=assignments
    )
    if suggested is None:
        return {"dispatch": None}
    return {"dispatch": await picker(session, staff, suggested, directory)}


async def intake_context(session: AsyncSession, staff: Staff, form: Any) -> dict[str, Any]:
    """Intake's routing field (for who may route at intake), the projects and the known
    enterprises (the employer field's list), the risk flags' kinds."""
    matter = forms.text(form, "matter") if form else ""
    suggested = await dispatch.intake_suggestions(
        session=session,
        caller=staff.caller,
        now=now(),
        matter=Matter[matter] if matter in Matter.__members__ else None,
        community_code=forms.text(form, "community") if form else None,
        project_code=forms.text(form, "project") if form else None,
    )
    return {
        "dispatch": None if suggested is None else await picker(session, staff, suggested),
        "projects": await list_projects(session=session, caller=staff.caller),
        "enterprises": await list_enterprises(session=session, caller=staff.caller),
        "flag_kinds": list(models.RiskFlagKind),
    }


async def intake_dispatch(request: Request) -> Response:
    """The routing field again, for the matter, community and project now chosen."""
    await require_csrf(request)
    form = await request.form()
    async with db(request) as session:
        staff = await require_staff(request, session)
        context = await intake_context(session, staff, form)
    return render(
        request,
        "appeals/intake/_dispatch.html",
        "appeals/intake/_dispatch.html",
        {"staff": staff, "form": form, "errors": {}, **context},
    )


routes = [
    Route("/petitions/new/dispatch", intake_dispatch, methods=["POST"], name="intake_dispatch"),
]


async def parties_context(session: AsyncSession, petition: models.Petition) -> dict[str, Any]:
    """The enterprises and the project the appeal names (intake or `nameParties`), for its
    page (the appeal has been read through the slice)."""
    (parties,) = await reading.parties_by_petition(session, [petition.id])
    enterprises = (
        await reading.enterprises_by_id(session, [p.enterprise_id for p in parties])
        if parties
        else []
    )
    project = None
    if petition.project_id is not None:
        (project,) = await reading.projects_by_id(session, [petition.project_id])
    return {
        "appeal_parties": [(p, e) for p, e in zip(parties, enterprises, strict=True) if e],
        "appeal_project": project,
    }
