"""Where the top navigation's disputes entry leads each partner: to its own list."""

from __future__ import annotations

from typing import NamedTuple

from db.models import OrganisationKind


class Entry(NamedTuple):
    route: str  # a route's name
    label: str  # a message id


MEDIATION = Entry("disputes", "调解案件")
ENTRIES = {
    OrganisationKind.LABOUR_ARBITRATION: Entry("arbitrations", "仲裁案件"),
    OrganisationKind.COURT_STATION: Entry("litigations", "诉讼案件"),
    OrganisationKind.APPEALS_HALL: Entry("disputes", "访调心裁"),
}


def disputes_entry(kind: OrganisationKind) -> Entry:
    """The arbitration institute its arbitrations, the court station its lawsuits, the
    hall the whole chain (its tabs), every mediator — and everyone else — the mediations."""
    return ENTRIES.get(kind, MEDIATION)
