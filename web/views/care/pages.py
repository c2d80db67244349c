"""The care centre's reading pages: people at risk (and appeals referred but not yet
screened), and each person's screenings, sessions (the home-visit log with its
refusals), plans and crises, with the counsellors' forms.

Only the care centre's counsellors get them (`care_policy.reads_care_records`); for
anyone else they do not exist (404). Every page that shows notes or scores writes its
READ_PSYCH_DATA audit entry (`Disclosures.show_care`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db.models import CareSessionKind, RiskLevel
from resolvers.access.audit import AuditPath
from resolvers.access.care_policy import reads_care_records, records_care
from resolvers.access.disclosure import Disclosures
from resolvers.care import reading
from resolvers.care.reading import CareFilter
from web.pages import PageNotFound, Staff, db, render, require_staff

MAX_LISTED = 200


async def people(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_staff(request, session)
        if not reads_care_records(staff.caller):
            raise PageNotFound
        listed = await reading.people_under_care(session=session, caller=staff.caller)
        waiting = await reading.awaiting_screening(session=session, caller=staff.caller)
    return render(
        request,
        "care/index.html",
        None,
        {"staff": staff, "people": listed, "waiting": waiting, "section": "care"},
    )


async def person_context(session: AsyncSession, staff: Staff, ident: int) -> dict[str, Any]:
    """The person's record as the centre sees it, and what its forms need. PageNotFound
    when the centre has no record of the person and sees none of their appeals."""
    if not reads_care_records(staff.caller):
        raise PageNotFound
    where = CareFilter(person_id=ident)
    screenings = (
        await reading.list_screenings(
            session=session, caller=staff.caller, where=where, first=MAX_LISTED, after=None
        )
    ).rows
    sessions = (
        await reading.list_care_sessions(
            session=session, caller=staff.caller, where=where, first=MAX_LISTED, after=None
        )
    ).rows
    appeals = await reading.person_appeals(session=session, caller=staff.caller, person_id=ident)
    if not screenings and not sessions and not appeals:
        raise PageNotFound
    plans = await reading.person_plans(session=session, caller=staff.caller, person_id=ident)
    crises = await reading.person_crises(session=session, caller=staff.caller, person_id=ident)
    disclosures = Disclosures(staff.caller, AuditPath.PAGE, {"page": "care"})
    shown = {
        "screenings": [
            (s, disclosures.show_care("Screening", s.id, (s.score, s.notes))) for s in screenings
        ],
        "sessions": [(c, disclosures.show_care("CareSession", c.id, c.notes)) for c in sessions],
        "plans": [(p, disclosures.show_care("CounsellingPlan", p.id, p.goals)) for p in plans],
        "crises": [(c, disclosures.show_care("CrisisRecord", c.id, c.notes)) for c in crises],
    }
    await disclosures.record(session)
    visits = [c for c in sessions if c.kind is CareSessionKind.HOME_VISIT]
    return {
        "staff": staff,
        "section": "care",
        "person_id": ident,
        **shown,
        "visits": len(visits),
        "refused": sum(1 for c in visits if c.refused),
        "appeals": appeals,
        # The forms: only for who records care, and only with an appeal to record it on.
        "may_record": records_care(staff.caller) and bool(appeals),
        "risk_levels": list(RiskLevel),
        "session_kinds": list(CareSessionKind),
        "errors": {},
        "values": {},
    }


async def person(request: Request) -> Response:
    async with db(request) as session:
        staff = await require_staff(request, session)
        context = await person_context(session, staff, request.path_params["person"])
    return render(request, "care/person.html", "care/_person.html", context)


routes = [
    Route("/care", people, name="care"),
    Route("/care/people/{person:int}", person, name="care_person"),
]
