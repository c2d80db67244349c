"""The demo's 访调心裁 chains, derived from the generated appeals.

An appeal whose lead is a mediator (the labour mediation committee, 阿潘调解工作室, the
non-litigation base, a site's mediation room, the metro centre) gets a mediation case
opened when it was assigned, with its sessions and, by the appeal's end, an outcome:
an agreement (labour ones with an amount, a third paid in instalments) when the appeal
was resolved, no agreement when it was not — and then, for half the labour ones, an
arbitration case, some of whose awards go on to court and are judged there. A metro
site's disputes are tried at the site tier first; those led by the metro centre got
there when the site tier's limit passed. Some studio agreements are judicially confirmed by the court
station. Labour appeals at a project's site station name the project and its firms.
Every step is an event on the appeal's timeline, as the live steps write them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from db.demo import credit
from db.demo.world import Output
from db.models import (
    ArbitrationStatus,
    AssignmentRole,
    ConfirmationStatus,
    EventKind,
    LitigationStatus,
    Matter,
    MediationKind,
    MediationStatus,
    MetroTier,
    PartyRole,
    PetitionStatus,
    SessionPlace,
)

MEDIATORS = {
    "PS-LMC": MediationKind.ADMINISTRATIVE,
    "PS-APAN": MediationKind.SOCIAL,
    "PS-NLB": MediationKind.JUDICIAL,
    "PS-METRO": MediationKind.SOCIAL,
}
LABOUR = (Matter.LABOUR_WAGES, Matter.LABOUR_CONTRACT)
TABLES = (
    "mediation_cases",
    "mediation_sessions",
    "mediation_tiers",
    "instalments",
    "payments",
    "arbitration_cases",
    "litigation_cases",
    "petition_parties",
    "mediation_parties",
    *credit.TABLES,
)
NO_AGREEMENT = (
    "用人单位否认欠薪事实",
    "双方对工资数额分歧较大",
    "被申请人未到场",
    "分包单位已撤场，无法联系负责人",
)


@dataclass
class Chains:
    """The chain's rows, ready for bulk insert (ids computed here)."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLES})


@dataclass
class Places:
    org_ids: dict[str, int]
    org_codes: dict[int, str]
    rooms: set[str]  # site mediation rooms
    metro_rooms: set[str]  # those on a metro project's site
    projects_by_station: dict[int, dict[str, Any]]
    firms_by_project: dict[int, list[tuple[int, str]]]  # (enterprise id, role)
    employers: list[int]  # enterprises off the projects


def add_chains(
    out: Output,
    places: Places,
    rng: random.Random,
    first: dict[str, int],
    end: datetime,
    shift: Callable[[datetime, int], tuple[datetime, bool]],
) -> Chains:
    """Add the chains (rows and timeline events) for the appeals in `out`."""
    chains = Chains()
    ids = dict(first)
    petitions = {p["id"]: p for p in out.petitions}
    leads: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in out.assignments:
        if a["role"] is AssignmentRole.LEAD:
            leads[a["petition_id"]].append(a)

    def new_id(table: str) -> int:
        ident = ids[table]
        ids[table] += 1
        return ident

    taken: dict[int, set[datetime]] = defaultdict(set)
    for at, petition_id, _, _ in out.events:
        taken[petition_id].add(at)

    def event(
        at: datetime,
        petition: dict[str, Any],
        kind: EventKind,
        org: str | None,
        data: dict[str, Any],
    ) -> None:
        # one moment, one event of an appeal (its timeline is in strict time order), and
        # the demo's appeals count a version per event
        while at in taken[petition["id"]]:
            at += timedelta(seconds=1)
        taken[petition["id"]].add(at)
        petition["version"] += 1
        out.events.append(
            (
                at,
                petition["id"],
                len(out.events),
                {
                    "petition_id": petition["id"],
                    "assignment_id": None,
                    "kind": kind,
                    "occurred_at": at,
                    "actor_user_id": None,
                    "actor_client_id": None,
                    "organisation_id": places.org_ids[org] if org else None,
                    "data": data,
                },
            )
        )

    def number(prefix: str, at: datetime) -> str:
        name = f"{prefix}-{at.year}"
        out.sequences[name] = out.sequences.get(name, 0) + 1
        return f"{name}-{out.sequences[name]:05d}"

    for row in out.petitions:
        row.setdefault("project_id", None)
    for petition_id, assigned in sorted(leads.items()):
        petition = petitions[petition_id]
        lead = min(assigned, key=lambda a: a["assigned_at"])
        code = places.org_codes[lead["organisation_id"]]
        if code not in MEDIATORS and code not in places.rooms:
            continue
        named = _parties(chains, petition, places, rng, new_id)
        opened = lead["assigned_at"] + timedelta(minutes=rng.uniform(20, 240))
        if opened >= end:
            continue
        case_id = _mediation(
            chains, petition, code, lead, opened, places, rng, new_id, event, number, end, shift
        )
        for enterprise_id, role in named:
            chains.rows["mediation_parties"].append(
                {
                    "id": new_id("mediation_parties"),
                    "case_id": case_id,
                    "enterprise_id": enterprise_id,
                    "role": role,
                }
            )
    firms = [e for named in places.firms_by_project.values() for e, _ in named]
    credit.add_credit(
        chains.rows, petitions, places.org_ids, [*firms, *places.employers], new_id, event, end
    )
    return chains


def _parties(
    chains: Chains,
    petition: dict[str, Any],
    places: Places,
    rng: random.Random,
    new_id: Callable[[str], int],
) -> list[tuple[int, PartyRole]]:
    """Name the labour appeal's employer, or its project's firms."""
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
                "id": new_id("petition_parties"),
                "petition_id": petition["id"],
                "enterprise_id": enterprise_id,
                "role": role,
            }
        )
    return named


def _mediation(
    chains: Chains,
    petition: dict[str, Any],
    code: str,
    lead: dict[str, Any],
    opened: datetime,
    places: Places,
    rng: random.Random,
    new_id: Callable[[str], int],
    event: Callable[..., None],
    number: Callable[[str, datetime], str],
    end: datetime,
    shift: Callable[[datetime, int], tuple[datetime, bool]],
) -> int:
    """Open the appeal's mediation case and live it up to the appeal's answer; its id."""
    rows = chains.rows
    labour = petition["matter"] in LABOUR
    metro = code in places.metro_rooms or code == "PS-METRO"
    referrer = places.org_codes[lead["assigned_by_id"]]
    case_id = new_id("mediation_cases")
    case_number = number("PS-TJ", opened)
    due_at, provisional = shift(opened, 10)
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
        case["tier"] = MetroTier.CENTRE if code == "PS-METRO" else MetroTier.SITE
        site_due, _ = shift(opened, 3)
        site_org = places.org_ids[code] if code != "PS-METRO" else lead["assigned_by_id"]
        rows["mediation_tiers"].append(
            {
                "id": new_id("mediation_tiers"),
                "case_id": case_id,
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
            centre_due, _ = shift(site_due, 5)
            rows["mediation_tiers"].append(
                {
                    "id": new_id("mediation_tiers"),
                    "case_id": case_id,
                    "tier": MetroTier.CENTRE,
                    "organisation_id": places.org_ids["PS-METRO"],
                    "started_at": site_due,
                    "due_at": centre_due,
                    "deadline_provisional": False,
                    "ended_at": None,
                    "escalated": False,
                }
            )
            if site_due < end:
                event(
                    site_due,
                    petition,
                    EventKind.TIER_ESCALATED,
                    None,
                    {
                        "case": case_number,
                        "from": "SITE",
                        "to": "CENTRE",
                        "organisation": "PS-METRO",
                        "dueAt": centre_due.isoformat(),
                    },
                )
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
                "id": new_id("mediation_sessions"),
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
        missed = _agreement(
            chains, petition, case, concluded, labour, places, rng, new_id, event, end
        )
        if missed is not None and rng.random() < 0.6:
            _arbitration(
                chains,
                petition,
                case,
                missed,
                places,
                rng,
                new_id,
                event,
                number,
                end,
                shift,
                pay=0.8,
            )
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
            _arbitration(
                chains,
                petition,
                case,
                concluded,
                places,
                rng,
                new_id,
                event,
                number,
                end,
                shift,
                pay=0.9 if petition["resolved"] else 0.5,
            )
    return case_id


def _agreement(
    chains: Chains,
    petition: dict[str, Any],
    case: dict[str, Any],
    concluded: datetime,
    labour: bool,
    places: Places,
    rng: random.Random,
    new_id: Callable[[str], int],
    event: Callable[..., None],
    end: datetime,
) -> datetime | None:
    """The agreement, its instalments and payments; when an instalment was missed."""
    rows = chains.rows
    missed_at: datetime | None = None
    code_of = case["number"]
    mediator = places.org_codes[case["mediator_org_id"]]
    case["status"] = MediationStatus.AGREED
    amount = None
    plan: list[tuple[datetime, int]] = []
    if labour and case["amount_claimed_fen"]:
        amount = int(case["amount_claimed_fen"] * rng.uniform(0.7, 1.0)) // 100 * 100
        if rng.random() < 0.35:
            parts = rng.choice((2, 3))
            share = amount // parts // 100 * 100
            plan = [(concluded + timedelta(days=30 * i + 1), share) for i in range(parts)]
            plan[-1] = (plan[-1][0], amount - share * (parts - 1))
    case.update(agreement_amount_fen=amount, agreement_terms="双方自愿达成调解协议")
    event(
        concluded,
        petition,
        EventKind.MEDIATION_CONCLUDED,
        mediator,
        {"case": code_of, "outcome": "AGREED", "instalments": len(plan), "reason": None},
    )
    for seq, (due, fen) in enumerate(plan, start=1):
        instalment_id = new_id("instalments")
        paid = due < end and rng.random() < 0.93
        rows["instalments"].append(
            {
                "id": instalment_id,
                "case_id": case["id"],
                "seq": seq,
                "due_on": due.date(),
                "amount_fen": fen,
                "paid_fen": fen if paid else 0,
                "paid_on": due.date() if paid else None,
                "missed_at": due + timedelta(days=1) if not paid and due < end else None,
            }
        )
        if paid:
            rows["payments"].append(
                {
                    "id": new_id("payments"),
                    "instalment_id": instalment_id,
                    "case_id": case["id"],
                    "amount_fen": fen,
                    "paid_on": due.date(),
                    "organisation_id": case["mediator_org_id"],
                    "recorded_at": due,
                }
            )
            event(
                due,
                petition,
                EventKind.PAYMENT_RECORDED,
                mediator,
                {
                    "case": code_of,
                    "instalment": seq,
                    "paidOn": due.date().isoformat(),
                    "settled": True,
                },
            )
        elif due + timedelta(days=1) < end:
            event(
                due + timedelta(days=1),
                petition,
                EventKind.INSTALMENT_MISSED,
                None,
                {"case": code_of, "instalment": seq, "dueOn": due.date().isoformat()},
            )
            missed_at = missed_at or due + timedelta(days=1)
    if mediator in ("PS-APAN", "PS-NLB") and rng.random() < 0.3:
        asked = concluded + timedelta(days=rng.uniform(1, 10))
        decided = asked + timedelta(days=rng.uniform(3, 15))
        if decided < end:
            confirmed = rng.random() < 0.92
            case.update(
                confirmation_status=ConfirmationStatus.CONFIRMED
                if confirmed
                else ConfirmationStatus.REFUSED,
                confirmation_court_id=places.org_ids["PS-COURT"],
                confirmation_requested_at=asked,
                confirmation_decided_at=decided,
                confirmation_note=None if confirmed else "协议内容违反法律强制性规定",
                version=4,
            )
            event(
                asked,
                petition,
                EventKind.CONFIRMATION_ASKED,
                mediator,
                {"case": code_of, "court": "PS-COURT"},
            )
            event(
                decided,
                petition,
                EventKind.CONFIRMATION_DECIDED,
                "PS-COURT",
                {"case": code_of, "confirmed": confirmed},
            )
    return missed_at


def _arbitration(
    chains: Chains,
    petition: dict[str, Any],
    case: dict[str, Any],
    concluded: datetime,
    places: Places,
    rng: random.Random,
    new_id: Callable[[str], int],
    event: Callable[..., None],
    number: Callable[[str, datetime], str],
    end: datetime,
    shift: Callable[[datetime, int], tuple[datetime, bool]],
    pay: float,
) -> None:
    """调解前置 kept: arbitration after the mediation; an award paid with chance `pay`."""
    filed = concluded + timedelta(days=rng.uniform(1, 7))
    if filed >= end:
        return
    year_seq = number("PS-ZC", filed).rsplit("-", 1)[1].lstrip("0")
    arbitration_number = f"坪劳人仲案〔{filed.year}〕{year_seq}号"
    due_at, provisional = shift(filed, 30)
    hearing = filed + timedelta(days=rng.uniform(15, 30))
    awarded = hearing + timedelta(days=rng.uniform(5, 20))
    paid = awarded + timedelta(days=rng.uniform(10, 40))
    award = int((case["amount_claimed_fen"] or 0) * rng.uniform(0.5, 1.0)) // 100 * 100
    row: dict[str, Any] = {
        "id": new_id("arbitration_cases"),
        "number": arbitration_number,
        "petition_id": petition["id"],
        "mediation_case_id": case["id"],
        "arbitration_org_id": places.org_ids["PS-ARB"],
        "referring_org_id": case["mediator_org_id"],
        "status": ArbitrationStatus.FILED,
        "claim_fen": case["amount_claimed_fen"],
        "filed_at": filed,
        "due_at": due_at,
        "deadline_provisional": provisional,
        "hearing_at": None,
        "hearing_place": None,
        "awarded_at": None,
        "award_fen": None,
        "award_summary": None,
        "award_paid_at": None,
        "version": 1,
        "updated_at": filed,
    }
    chains.rows["arbitration_cases"].append(row)
    mediator = places.org_codes[case["mediator_org_id"]]
    event(
        filed,
        petition,
        EventKind.ARBITRATION_OPENED,
        mediator,
        {
            "case": arbitration_number,
            "mediation": case["number"],
            "organisation": "PS-ARB",
            "dueAt": due_at.isoformat(),
        },
    )
    if hearing < end:
        row.update(
            status=ArbitrationStatus.HEARING_SCHEDULED,
            hearing_at=hearing,
            hearing_place="坪山区劳动人事争议仲裁院仲裁庭",
            version=2,
            updated_at=hearing,
        )
        event(
            filed + timedelta(hours=2),
            petition,
            EventKind.HEARING_SCHEDULED,
            "PS-ARB",
            {
                "case": arbitration_number,
                "hearingAt": hearing.isoformat(),
                "place": row["hearing_place"],
            },
        )
    if awarded < end:
        row.update(
            status=ArbitrationStatus.AWARDED,
            awarded_at=awarded,
            award_fen=award,
            award_summary="被申请人支付拖欠工资",
            version=3,
            updated_at=awarded,
        )
        event(awarded, petition, EventKind.AWARD_MADE, "PS-ARB", {"case": arbitration_number})
        if paid < end and rng.random() < pay:
            row.update(award_paid_at=paid, version=4, updated_at=paid)
            event(paid, petition, EventKind.AWARD_PAID, "PS-ARB", {"case": arbitration_number})
        elif rng.random() < 0.4:
            sued = awarded + timedelta(days=rng.uniform(5, 14))
            if sued < end:
                litigation_id = new_id("litigation_cases")
                chains.rows["litigation_cases"].append(
                    {
                        "id": litigation_id,
                        "petition_id": petition["id"],
                        "arbitration_case_id": row["id"],
                        "mediation_case_id": case["id"],
                        "court_org_id": places.org_ids["PS-COURT"],
                        "referring_org_id": places.org_ids["PS-ARB"],
                        "case_number": None,
                        "status": LitigationStatus.FILED,
                        "filed_at": sued,
                        "judged_at": None,
                        "judgment_summary": None,
                        "judgment_fen": None,
                        "version": 1,
                        "updated_at": sued,
                    }
                )
                event(
                    sued,
                    petition,
                    EventKind.LITIGATION_OPENED,
                    "PS-ARB",
                    {
                        "litigation": litigation_id,
                        "court": "PS-COURT",
                        "arbitration": arbitration_number,
                    },
                )
                _judgment(chains.rows["litigation_cases"][-1], petition, award, rng, event, end)


def _judgment(
    row: dict[str, Any],
    petition: dict[str, Any],
    award: int,
    rng: random.Random,
    event: Callable[..., None],
    end: datetime,
) -> None:
    """Most lawsuits over an award are judged within one to three months (the court's
    case number, e.g. `(2026)粤0310民初2041号`); most judgments uphold the award."""
    judged = row["filed_at"] + timedelta(days=rng.uniform(30, 90))
    if judged >= end or rng.random() >= 0.85:
        return
    upheld = rng.random() < 0.8
    number = f"({judged.year})粤0310民初{2000 + row['id']}号"
    row.update(
        case_number=number,
        status=LitigationStatus.JUDGED,
        judged_at=judged,
        judgment_summary="维持仲裁裁决，被告支付拖欠工资" if upheld else "部分支持原告诉讼请求",
        judgment_fen=award if upheld else award // 2 // 100 * 100,
        version=2,
        updated_at=judged,
    )
    event(
        judged,
        petition,
        EventKind.JUDGMENT_GIVEN,
        "PS-COURT",
        {"litigation": row["id"], "caseNumber": number},
    )


def places_for(
    organisations: list[dict[str, Any]],
    projects: list[dict[str, Any]],
    project_enterprises: list[dict[str, Any]],
    enterprises: list[dict[str, Any]],
    metro_stations: set[str],
) -> Places:
    """What `add_chains` needs, from the demo's static rows."""
    org_ids = {o["code"]: o["id"] for o in organisations}
    rooms = {o["code"] for o in organisations if o["code"].endswith("-MR")}
    metro_rooms = {r for r in rooms if r.removesuffix("-MR") in metro_stations}
    firms: dict[int, list[tuple[int, str]]] = defaultdict(list)
    on_projects: set[int] = set()
    for pe in project_enterprises:
        firms[pe["project_id"]].append((pe["enterprise_id"], pe["role"]))
        on_projects.add(pe["enterprise_id"])
    return Places(
        org_ids=org_ids,
        org_codes={i: c for c, i in org_ids.items()},
        rooms=rooms,
        metro_rooms=metro_rooms,
        projects_by_station={p["station_id"]: p for p in projects},
        firms_by_project=dict(firms),
        employers=[e["id"] for e in enterprises if e["id"] not in on_projects],
    )
