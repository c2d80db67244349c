"""A mediation's agreement: labour ones with an amount, a third paid in instalments, some
of which are missed; then, for some studio agreements, the court's confirmation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from db.demo.chains.confirmation import confirm
from db.demo.chains.context import Chains
from db.models import EventKind, MediationStatus


def agree(
    chains: Chains,
    petition: dict[str, Any],
    case: dict[str, Any],
    concluded: datetime,
    labour: bool,
) -> datetime | None:
    """The agreement, its instalments and payments; when an instalment was missed."""
    places, rng, end, event = chains.places, chains.rng, chains.end, chains.event
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
        instalment_id = chains.new_id("instalments")
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
                    "id": chains.new_id("payments"),
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
        confirm(chains, petition, case, concluded)
    return missed_at
