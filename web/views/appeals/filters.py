"""The worklist's query string: its view, its filters and its ordering, read strictly.

The page, its htmx redraws and the exports read the same names; a value the page could
not have offered is `BAD_USER_INPUT` naming the field (a 400 page), as in `web/forms.py`.
The filter rule itself is `resolvers.appeals.reading.PetitionFilter`, the API's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import Category, Channel, Matter, PetitionStatus
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.appeals.reading import PetitionFilter, PetitionOrder
from resolvers.appeals.worklist import View
from resolvers.directory.organisations import communities_by_street, list_organisations
from resolvers.errors import BadUserInput
from web import forms

# In the order the filter form shows them; `view` and `after` travel beside them.
FILTERS = (
    "view",
    "q",
    "status",
    "category",
    "matter",
    "channel",
    "street",
    "community",
    "organisation",
    "due",
    "collective",
    "repeat",
    "skipping",
    "backlog",
    "from",
    "to",
    "sort",
    "size",
)
YES_NO = {"1": True, "0": False}
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


@dataclass
class Worklist:
    """What a worklist's query string asks for: a view (None: the person's own), a
    filter, an ordering and a page size."""

    where: PetitionFilter
    order: PetitionOrder
    view: View | None = None
    size: int = PAGE_SIZE
    chosen: dict[str, str] = field(default_factory=dict)


def _yes_no(params: Any, name: str) -> bool | None:
    raw = forms.text(params, name)
    if raw and raw not in YES_NO:
        raise BadUserInput("choose a {field}", field=name, params={"field": name})
    return YES_NO.get(raw)


def _one_of(params: Any, name: str, allowed: tuple[str, ...]) -> str:
    raw = forms.text(params, name)
    if raw and raw not in allowed:
        raise BadUserInput("choose a {field}", field=name, params={"field": name})
    return raw


def _day_start(day: date | None, tz: ZoneInfo, name: str) -> datetime | None:
    if day is None:
        return None
    start = datetime.combine(day, time(), tz)
    validation.moment(start, name)
    return start


def worklist_from(params: Any, tz: ZoneInfo, *, backlog: bool = False) -> Worklist:
    """The worklist a query string asks for; `BAD_USER_INPUT` names a field it cannot be."""
    view_name = _one_of(params, "view", tuple(v.value for v in View))
    status = forms.optional_choice(PetitionStatus, params, "status")
    category = forms.optional_choice(Category, params, "category")
    matter = forms.optional_choice(Matter, params, "matter")
    channel = forms.optional_choice(Channel, params, "channel")
    due = _one_of(params, "due", ("soon", "overdue"))
    received_from = _day_start(forms.optional_date(params, "from"), tz, "from")
    last_day = forms.optional_date(params, "to")
    received_to = _day_start(last_day + timedelta(days=1) if last_day else None, tz, "to")
    sort = _one_of(params, "sort", ("received", "due"))
    size = forms.whole_number(params, "size", default=PAGE_SIZE, low=1, high=MAX_PAGE_SIZE)
    where = PetitionFilter(
        statuses=[status] if status else None,
        categories=[category] if category else None,
        matters=[matter] if matter else None,
        channels=[channel] if channel else None,
        street=forms.text(params, "street") or None,
        community=forms.text(params, "community") or None,
        organisation=forms.text(params, "organisation") or None,
        overdue=True if due == "overdue" else None,
        due_soon=True if due == "soon" else None,
        collective=_yes_no(params, "collective"),
        repeat=_yes_no(params, "repeat"),
        level_skipping=_yes_no(params, "skipping"),
        backlog=True if backlog or _yes_no(params, "backlog") else None,
        received_from=received_from,
        received_to=received_to,
        text=forms.text(params, "q")[:100] or None,
    )
    order = PetitionOrder.DUE_ASC if sort == "due" else PetitionOrder.RECEIVED_DESC
    return Worklist(
        where=where,
        order=order,
        view=View(view_name) if view_name else None,
        size=size,
        chosen={k: forms.text(params, k) for k in FILTERS if forms.text(params, k)},
    )


@dataclass
class Requested:
    """A worklist asked for, with the streets and organisations its form offers."""

    worklist: Worklist
    streets: list[tuple[models.Region, list[models.Region]]]
    organisations: list[models.Organisation]


async def requested(
    session: AsyncSession, caller: Caller, params: Any, tz: ZoneInfo, *, backlog: bool = False
) -> Requested:
    """The worklist `params` ask for, its codes checked against what the form offers."""
    streets = await communities_by_street(session=session)
    organisations = await list_organisations(session=session, caller=caller)
    worklist = worklist_from(params, tz, backlog=backlog)
    check_codes(worklist, streets, organisations)
    return Requested(worklist, streets, organisations)


def check_codes(
    worklist: Worklist,
    streets: list[tuple[models.Region, list[models.Region]]],
    organisations: list[models.Organisation],
) -> None:
    """A street, community or organisation the form does not offer is a bad value."""
    where = worklist.where
    known = {
        "street": {s.code for s, _ in streets},
        "community": {c.code for _, cs in streets for c in cs},
        "organisation": {o.code for o in organisations},
    }
    for name, given in (
        ("street", where.street),
        ("community", where.community),
        ("organisation", where.organisation),
    ):
        if given is not None and given not in known[name]:
            raise BadUserInput("choose a {field}", field=name, params={"field": name})
