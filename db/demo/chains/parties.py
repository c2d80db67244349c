"""The parties: the enterprises a labour appeal names (its employer, or its project's
contractors)."""

from __future__ import annotations

from typing import Any

from db.demo.chains.context import LABOUR, Chains
from db.models import PartyRole


def name_parties(chains: Chains, petition: dict[str, Any]) -> list[tuple[int, PartyRole]]:
    """Name the labour appeal's employer, or its project's firms."""
    places, rng = chains.places, chains.rng
    if petition["matter"] not in LABOUR:
        return []
    project = places.projects_by_station.get(petition["received_by_id"])
    named: list[tuple[int, PartyRole]] = []
    if project is not None:
        petition["project_id"] = project["id"]
        firms = places.firms_by_project[project["id"]]
        main = [f for f, role in firms if role == "MAIN_CONTRACTOR"]
        subs = [f for f, role in firms if role == "SUBCONTRACTOR"]
        named = [(main[0], PartyRole.MAIN_CONTRACTOR)] if main else []
        if subs:
            named.append((rng.choice(subs), PartyRole.SUBCONTRACTOR))
    elif places.employers:
        named = [(rng.choice(places.employers), PartyRole.EMPLOYER)]
    for enterprise_id, role in named:
        chains.rows["petition_parties"].append(
            {
                "id": chains.new_id("petition_parties"),
                "petition_id": petition["id"],
                "enterprise_id": enterprise_id,
                "role": role,
            }
        )
    return named
