"""Arbitration (调解前置 kept): a labour dispute's case at the institute after its
mediation, the hearing, the award, and whether the award was paid or taken to court."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from db.demo.chains.context import Chains
from db.demo.chains.litigation import sue
from db.models import ArbitrationStatus, EventKind


def arbitrate(
    chains: Chains,
    petition: dict[str, Any],
    case: dict[str, Any],
    concluded: datetime,
    pay: float,
) -> None:
    """调解前置 kept: arbitration after the mediation; an award paid with chance `pay`."""
    places, rng, end, event = chains.places, chains.rng, chains.end, chains.event
    filed = concluded + timedelta(days=rng.uniform(1, 7))
    if filed >= end:
        return
    year_seq = chains.number("PS-ZC", filed).rsplit("-", 1)[1].lstrip("0")
    arbitration_number = f"坪劳人仲案〔{filed.year}〕{year_seq}号"
    due_at, provisional = chains.shift(filed, 30)
    hearing = filed + timedelta(days=rng.uniform(15, 30))
    awarded = hearing + timedelta(days=rng.uniform(5, 20))
    paid = awarded + timedelta(days=rng.uniform(10, 40))
    award = int((case["amount_claimed_fen"] or 0) * rng.uniform(0.5, 1.0)) // 100 * 100
    row: dict[str, Any] = {
        "id": chains.new_id("arbitration_cases"),
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
            sue(chains, petition, case, row, award)
