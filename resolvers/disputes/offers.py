"""Which steps of the chain a caller is offered: the pages show only those forms.

Asked with the very checks the steps make (the case's `Actor` in `cases`, the state
rules in `rules`), so the pages hold no second copy of who may act; the step itself
decides again when it is taken.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from db import models
from resolvers.access.caller import Caller
from resolvers.disputes import rules
from resolvers.disputes.cases import CONFIRMING_COURT, COURT, INSTITUTE, MEDIATOR, Actor
from resolvers.errors import BadUserInput


def _allowed(check: Callable[..., object], *facts: Any) -> bool:
    try:
        check(*facts)
    except BadUserInput:
        return False
    return True


def _steps(caller: Caller, case: Any, steps: dict[str, tuple[Actor, bool]]) -> frozenset[str]:
    return frozenset(
        name for name, (actor, legal) in steps.items() if legal and actor.acts(caller, case)
    )


def mediation_steps(caller: Caller, case: models.MediationCase) -> frozenset[str]:
    """Of `session`, `conclude`, `payment`, `request_confirmation`, `decide_confirmation`."""
    status, asked = case.status, case.confirmation_status
    return _steps(
        caller,
        case,
        {
            "session": (MEDIATOR, _allowed(rules.check_may_hold_session, status)),
            "conclude": (MEDIATOR, _allowed(rules.check_may_conclude, status)),
            "payment": (MEDIATOR, _allowed(rules.check_may_record_payment, status)),
            "request_confirmation": (
                MEDIATOR,
                _allowed(rules.check_may_request_confirmation, status, asked),
            ),
            "decide_confirmation": (
                CONFIRMING_COURT,
                _allowed(rules.check_may_decide_confirmation, asked),
            ),
        },
    )


def arbitration_steps(caller: Caller, case: models.ArbitrationCase) -> frozenset[str]:
    """Of `hearing`, `award`, `paid`."""
    paid = case.award_paid_at is not None
    return _steps(
        caller,
        case,
        {
            "hearing": (INSTITUTE, _allowed(rules.check_hearing, case.status)),
            "award": (INSTITUTE, _allowed(rules.check_award, case.status)),
            "paid": (INSTITUTE, _allowed(rules.check_award_paid, case.status, paid)),
        },
    )


def litigation_steps(caller: Caller, case: models.LitigationCase) -> frozenset[str]:
    """Of `judgment`, `paid`."""
    paid = case.judgment_paid_at is not None
    return _steps(
        caller,
        case,
        {
            "judgment": (COURT, _allowed(rules.check_judgment, case.status)),
            "paid": (
                COURT,
                _allowed(rules.check_judgment_paid, case.status, case.judgment_fen, paid),
            ),
        },
    )


def appeal_steps(actions: Collection[str]) -> set[str]:
    """Which of the chain's appeal-level steps (`OPEN_MEDIATION`, `OPEN_ARBITRATION`,
    `OPEN_LITIGATION`) the appeal page offers: those in `actions`, the steps the caller
    could take now (`resolvers.workflow.readiness.offered`, which asks the chain's order
    of all the appeal's cases exactly as the steps do)."""
    return {a for a in ("OPEN_MEDIATION", "OPEN_ARBITRATION", "OPEN_LITIGATION") if a in actions}
