"""Litigation: an unpaid award taken to the court station, and its judgment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from db.demo.chains.context import Chains
from db.models import EventKind, LitigationStatus


def sue(
    chains: Chains,
    petition: dict[str, Any],
    case: dict[str, Any],
    arbitration: dict[str, Any],
    award: int,
) -> None:
    """A lawsuit over the award, filed within two weeks of it, if by the demo's end."""
    rng = chains.rng
    sued = arbitration["awarded_at"] + timedelta(days=rng.uniform(5, 14))
    if sued >= chains.end:
        return
    litigation_id = chains.new_id("litigation_cases")
    row: dict[str, Any] = {
        "id": litigation_id,
        "petition_id": petition["id"],
        "arbitration_case_id": arbitration["id"],
        "mediation_case_id": case["id"],
        "court_org_id": chains.places.org_ids["PS-COURT"],
        "referring_org_id": chains.places.org_ids["PS-ARB"],
        "case_number": None,
        "status": LitigationStatus.FILED,
        "filed_at": sued,
        "judged_at": None,
        "judgment_summary": None,
        "judgment_fen": None,
        "version": 1,
        "updated_at": sued,
    }
    chains.rows["litigation_cases"].append(row)
    chains.event(
        sued,
        petition,
        EventKind.LITIGATION_OPENED,
        "PS-ARB",
        {
            "litigation": litigation_id,
            "court": "PS-COURT",
            "arbitration": arbitration["number"],
        },
    )
    _judgment(chains, row, petition, award)


def _judgment(chains: Chains, row: dict[str, Any], petition: dict[str, Any], award: int) -> None:
    """Most lawsuits over an award are judged within one to three months (the court's
    case number, e.g. `(2026)粤0310民初2041号`); most judgments uphold the award."""
    rng = chains.rng
    judged = row["filed_at"] + timedelta(days=rng.uniform(30, 90))
    if judged >= chains.end or rng.random() >= 0.85:
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
    chains.event(
        judged,
        petition,
        EventKind.JUDGMENT_GIVEN,
        "PS-COURT",
        {"litigation": row["id"], "caseNumber": number},
    )
