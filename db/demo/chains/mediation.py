"""Mediation: the case opened when a mediator leads the appeal, its metro tiers, its
sessions, and its end by the appeal's answer — an agreement, or none (and then, for
labour disputes, arbitration)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from db.demo.chains.agreement import agree
from db.demo.chains.arbitration import arbitrate
from db.demo.chains.context import LABOUR, MEDIATORS, Chains
from db.models import (
    EventKind,
    MediationKind,
    MediationStatus,
    MetroTier,
    PetitionStatus,
    SessionPlace,
)

NO_AGREEMENT = (
    "用人单位否认欠薪事实",
    "双方对工资数额分歧较大",
    "被申请人未到场",
    "分包单位已撤场，无法联系负责人",
)


def open_mediation(
    chains: Chains,
    petition: dict[str, Any],
    code: str,
    lead: dict[str, Any],
    opened: datetime,
) -> int:
    """Open the appeal's mediation case and live it up to the appeal's answer; its id."""
    places, rng, end, event = chains.places, chains.rng, chains.end, chains.event
    rows = chains.rows
    labour = petition["matter"] in LABOUR
    metro = code in places.metro_rooms or code == "PS-METRO"
    referrer = places.org_codes[lead["assigned_by_id"]]
    case_id = chains.new_id("mediation_cases")
    case_number = chains.number("PS-TJ", opened)
    due_at, provisional = chains.shift(opened, 10)
    workers = petition["people_count"]
    claimed = (workers * rng.randrange(6_000, 30_000, 500) * 100) if labour else None
    closed = petition["status"] is PetitionStatus.CLOSED
    finish = (petition["answered_at"] or petition["closed_at"]) if closed else None
    case: dict[str, Any] = {
        "id": case_id,
        "number": case_number,
        "petition_id": petition["id"],
        "kind": MEDIATORS.get(code, MediationKind.SOCIAL),
        "status": MediationStatus.OPEN,
        "mediator_org_id": places.org_ids[code],
        "mediator_name": "",
        "referring_org_id": lead["assigned_by_id"],
        "project_id": petition.get("project_id"),
        "worker_count": workers if labour else 0,
        "amount_claimed_fen": claimed,
        "opened_at": opened,
        "due_at": due_at,
        "deadline_provisional": provisional,
        "tier": None,
        "concluded_at": None,
        "outcome_reason": None,
        "agreement_amount_fen": None,
        "agreement_terms": None,
        "confirmation_status": None,
        "confirmation_court_id": None,
        "confirmation_requested_at": None,
        "confirmation_decided_at": None,
        "confirmation_note": None,
        "version": 1,
        "updated_at": opened,
    }
    rows["mediation_cases"].append(case)
    event(
        opened,
        petition,
        EventKind.MEDIATION_OPENED,
        referrer,
        {
            "case": case_number,
            "kind": case["kind"].name,
            "mediator": code,
            "tier": MetroTier.SITE.name if metro else None,
            "dueAt": due_at.isoformat(),
        },
    )
    if metro:
        _tiers(chains, petition, case, code, lead)
    place = (
        SessionPlace.SITE_MEDIATION_ROOM
        if code in places.rooms
        else SessionPlace.STUDIO
        if code == "PS-APAN"
        else SessionPlace.CENTRE
    )
    last = finish if finish is not None else end
    held = opened + timedelta(hours=rng.uniform(20, 70))
    for _ in range(rng.choice((1, 1, 2, 3))):
        if held >= last:
            break
        rows["mediation_sessions"].append(
            {
                "id": chains.new_id("mediation_sessions"),
                "case_id": case_id,
                "held_at": held,
                "place_kind": place,
                "place": "",
                "attendees": ["申请人", "被申请人代表"],
                "minutes": "",
                "organisation_id": places.org_ids[code],
                "recorded_at": held,
            }
        )
        event(
            held,
            petition,
            EventKind.MEDIATION_SESSION,
            code,
            {"case": case_number, "place": place.name, "heldAt": held.isoformat()},
        )
        held += timedelta(days=rng.uniform(2, 6))
    if finish is None:
        return case_id
    concluded = max(held, opened + timedelta(hours=1))
    if concluded >= finish:
        concluded = opened + (finish - opened) * 0.8
    for tier in rows["mediation_tiers"][-2:]:  # this case's, if tiered
        if tier["case_id"] == case_id and tier["ended_at"] is None:
            tier["ended_at"] = concluded
    case.update(concluded_at=concluded, updated_at=concluded, version=2)
    # Most resolved appeals were settled by the mediation; a few labour ones only by
    # an arbitral award after it failed, or after its agreement was not kept.
    if petition["resolved"] and not (labour and rng.random() < 0.06):
        missed = agree(chains, petition, case, concluded, labour)
        if missed is not None and rng.random() < 0.6:
            arbitrate(chains, petition, case, missed, pay=0.8)
    else:
        case.update(status=MediationStatus.NO_AGREEMENT, outcome_reason=rng.choice(NO_AGREEMENT))
        event(
            concluded,
            petition,
            EventKind.MEDIATION_CONCLUDED,
            code,
            {
                "case": case_number,
                "outcome": "NO_AGREEMENT",
                "instalments": 0,
                "reason": case["outcome_reason"],
            },
        )
        if labour and (petition["resolved"] or rng.random() < 0.5):
            arbitrate(chains, petition, case, concluded, pay=0.9 if petition["resolved"] else 0.5)
    return case_id


def _tiers(
    chains: Chains, petition: dict[str, Any], case: dict[str, Any], code: str, lead: dict[str, Any]
) -> None:
    """A metro site's dispute is tried at the site tier first; one the metro centre leads
    got there when the site tier's limit passed."""
    places, opened = chains.places, case["opened_at"]
    case["tier"] = MetroTier.CENTRE if code == "PS-METRO" else MetroTier.SITE
    site_due, _ = chains.shift(opened, 3)
    site_org = places.org_ids[code] if code != "PS-METRO" else lead["assigned_by_id"]
    chains.rows["mediation_tiers"].append(
        {
            "id": chains.new_id("mediation_tiers"),
            "case_id": case["id"],
            "tier": MetroTier.SITE,
            "organisation_id": site_org,
            "started_at": opened,
            "due_at": site_due,
            "deadline_provisional": False,
            "ended_at": site_due if code == "PS-METRO" else None,
            "escalated": code == "PS-METRO",
        }
    )
    if code == "PS-METRO":
        centre_due, _ = chains.shift(site_due, 5)
        chains.rows["mediation_tiers"].append(
            {
                "id": chains.new_id("mediation_tiers"),
                "case_id": case["id"],
                "tier": MetroTier.CENTRE,
                "organisation_id": places.org_ids["PS-METRO"],
                "started_at": site_due,
                "due_at": centre_due,
                "deadline_provisional": False,
                "ended_at": None,
                "escalated": False,
            }
        )
        if site_due < chains.end:
            chains.event(
                site_due,
                petition,
                EventKind.TIER_ESCALATED,
                None,
                {
                    "case": case["number"],
                    "from": "SITE",
                    "to": "CENTRE",
                    "organisation": "PS-METRO",
                    "dueAt": centre_due.isoformat(),
                },
            )
