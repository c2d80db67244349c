"""司法确认: the court station confirms (or, rarely, refuses) a studio's agreement."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from db.demo.chains.context import Chains
from db.models import ConfirmationStatus, EventKind


def confirm(
    chains: Chains, petition: dict[str, Any], case: dict[str, Any], concluded: datetime
) -> None:
    """Ask the court to confirm the agreement, and its decision, if made by the demo's end."""
    rng, event = chains.rng, chains.event
    code_of = case["number"]
    mediator = chains.places.org_codes[case["mediator_org_id"]]
    asked = concluded + timedelta(days=rng.uniform(1, 10))
    decided = asked + timedelta(days=rng.uniform(3, 15))
    if decided < chains.end:
        confirmed = rng.random() < 0.92
        case.update(
            confirmation_status=ConfirmationStatus.CONFIRMED
            if confirmed
            else ConfirmationStatus.REFUSED,
            confirmation_court_id=chains.places.org_ids["PS-COURT"],
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
