"""What may follow what in a dispute's chain. Pure: facts in, a refusal or an answer out.

Labour disputes go mediation first (调解前置, 劳动争议调解仲裁法): arbitration opens
only after a mediation of the same appeal ended without agreement, was refused, or
ended in an agreement the employer then failed to keep (an instalment missed). A
labour case reaches the court after an arbitral award; other disputes (family,
neighbours) may go to court from a mediation or directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from db.models import (
    ArbitrationStatus,
    ConfirmationStatus,
    Escalation,
    LitigationStatus,
    Matter,
    MediationStatus,
    MetroTier,
    OrganisationKind,
    PolicyStage,
)
from resolvers.errors import BadUserInput

LABOUR_MATTERS = frozenset({Matter.LABOUR_WAGES, Matter.LABOUR_CONTRACT})
ENDED_WITHOUT_AGREEMENT = frozenset({MediationStatus.NO_AGREEMENT, MediationStatus.REFUSED})
# Who may mediate, and who tries the metro tiers' first one.
MEDIATORS = frozenset(
    {
        OrganisationKind.LABOUR_MEDIATION_COMMITTEE,
        OrganisationKind.MEDIATION_STUDIO,
        OrganisationKind.SITE_MEDIATION_ROOM,
        OrganisationKind.METRO_DISPUTE_CENTRE,
        OrganisationKind.NON_LITIGATION_BASE,
        OrganisationKind.SOCIAL_GOVERNANCE_CENTRE,
        OrganisationKind.GOVERNANCE_CENTRE,
        OrganisationKind.COURT_STATION,  # 司法调解 in the online judicial mediation room
        OrganisationKind.LABOUR_ARBITRATION,  # 仲裁调解
    }
)
# Which organisations take an appeal escalated to each stage (`escalatePetition`).
ESCALATION_KINDS: dict[Escalation, frozenset[OrganisationKind]] = {
    Escalation.MEDIATION: MEDIATORS
    - {OrganisationKind.COURT_STATION, OrganisationKind.LABOUR_ARBITRATION},
    Escalation.ARBITRATION: frozenset({OrganisationKind.LABOUR_ARBITRATION}),
    Escalation.LITIGATION: frozenset({OrganisationKind.COURT_STATION}),
}
SITE_TIER = frozenset({OrganisationKind.SITE_MEDIATION_ROOM, OrganisationKind.SITE_STATION})
TIER_STAGES = {
    MetroTier.SITE: PolicyStage.METRO_SITE,
    MetroTier.CENTRE: PolicyStage.METRO_CENTRE,
    MetroTier.REGULATOR: PolicyStage.METRO_REGULATOR,
}
NEXT_TIER = {MetroTier.SITE: MetroTier.CENTRE, MetroTier.CENTRE: MetroTier.REGULATOR}
# Working days when no policy says otherwise (policies are data: time_limit_policies).
DEFAULT_STAGE_LIMITS = {
    PolicyStage.MEDIATION: 10,
    PolicyStage.ARBITRATION: 30,
    PolicyStage.METRO_SITE: 3,
    PolicyStage.METRO_CENTRE: 5,
    PolicyStage.METRO_REGULATOR: 10,
}


@dataclass(frozen=True)
class MediationFacts:
    """What the chain's rules need to know of one mediation case."""

    status: MediationStatus
    instalment_missed: bool = False


def check_may_open_mediation(cases: Iterable[MediationFacts]) -> None:
    if any(c.status is MediationStatus.OPEN for c in cases):
        raise BadUserInput("the appeal already has a mediation under way")


def arbitration_basis(matter: Matter, cases: list[MediationFacts]) -> int:
    """Which mediation (index into `cases`, oldest first) opens the way to arbitration;
    `BadUserInput` when none does (mediation first)."""
    if matter not in LABOUR_MATTERS:
        raise BadUserInput("arbitration takes labour disputes only", field="matter")
    for index in range(len(cases) - 1, -1, -1):
        case = cases[index]
        if case.status in ENDED_WITHOUT_AGREEMENT or (
            case.status is MediationStatus.AGREED and case.instalment_missed
        ):
            return index
    raise BadUserInput(
        "mediation comes first: arbitration opens after a mediation ended without "
        "agreement, was refused, or its agreement was not kept"
    )


@dataclass(frozen=True)
class ChainFacts:
    """Where an appeal stands in its chain: its matter, mediations and arbitrations (all
    of them, oldest first), whether a lawsuit is pending and whether one was judged."""

    matter: Matter
    mediations: list[MediationFacts]
    arbitrations: list[ArbitrationStatus]
    lawsuit_pending: bool = False
    judged: bool = False


def stage_refusal(to: Escalation, facts: ChainFacts) -> BadUserInput | None:
    """Whether the chain's order lets the appeal's next stage be `to` now: a mediation
    unless one is under way; arbitration for a labour dispute after a mediation failed
    (or its agreement was broken), none yet; the court after the award for a labour
    dispute, directly for others, no lawsuit pending. A judgment ends the chain: the
    dispute is not mediated, arbitrated or brought to this court again (一事不再理); what
    follows it (an appeal to the higher court, enforcement) is outside the hub."""
    try:
        if facts.judged:
            raise BadUserInput("the dispute has been judged: its chain has ended")
        if to is Escalation.MEDIATION:
            check_may_open_mediation(facts.mediations)
        elif to is Escalation.ARBITRATION:
            arbitration_basis(facts.matter, facts.mediations)
            check_may_open_arbitration(facts.arbitrations)
        else:
            litigation_basis(facts.matter, facts.arbitrations)
            if facts.lawsuit_pending:
                raise BadUserInput("the appeal already has a lawsuit pending")
    except BadUserInput as refused:
        return refused
    return None


def escalation_refusal(to: Escalation, facts: ChainFacts) -> BadUserInput | None:
    """`stage_refusal` for `escalatePetition`, whose refusal names `organisationCode`."""
    refused = stage_refusal(to, facts)
    if refused is not None:
        refused.extensions["field"] = "organisationCode"
    return refused


def check_may_open_arbitration(statuses: Iterable[ArbitrationStatus]) -> None:
    if any(s is not ArbitrationStatus.WITHDRAWN for s in statuses):
        raise BadUserInput("the appeal already has an arbitration case")


def litigation_basis(matter: Matter, arbitrations: list[ArbitrationStatus]) -> int | None:
    """Which arbitration case (index) a lawsuit follows: for labour disputes an award is
    needed first (仲裁前置); other disputes may go to court directly (None)."""
    for index in range(len(arbitrations) - 1, -1, -1):
        if arbitrations[index] is ArbitrationStatus.AWARDED:
            return index
    if matter in LABOUR_MATTERS:
        raise BadUserInput("a labour dispute goes to court after the arbitral award")
    return None


def check_may_conclude(status: MediationStatus) -> None:
    if status is not MediationStatus.OPEN:
        raise BadUserInput(
            "the mediation has already ended ({state})", params={"state": status.name}
        )


def check_instalments(schedule: list[tuple[date, int]], total: int | None, opened: date) -> None:
    """Instalments fall on increasing days from the case's opening and add up to the
    agreed amount."""
    days = [day for day, _ in schedule]
    if days != sorted(days) or len(set(days)) != len(days):
        raise BadUserInput("instalments fall on increasing days", field="instalments")
    if days and days[0] < opened:
        raise BadUserInput(
            "an instalment cannot fall before the mediation began", field="instalments"
        )
    if any(amount <= 0 for _, amount in schedule):
        raise BadUserInput("every instalment is more than 0", field="instalments")
    if schedule and total is None:
        raise BadUserInput("instalments need the agreed amount", field="agreementAmount")
    if schedule and sum(amount for _, amount in schedule) != total:
        raise BadUserInput("the instalments must add up to the agreed amount", field="instalments")


def check_may_request_confirmation(
    status: MediationStatus, confirmation: ConfirmationStatus | None
) -> None:
    if status is not MediationStatus.AGREED:
        raise BadUserInput("only a mediation agreement can be judicially confirmed")
    if confirmation in (ConfirmationStatus.REQUESTED, ConfirmationStatus.CONFIRMED):
        raise BadUserInput(
            "judicial confirmation is already {state}", params={"state": confirmation.name.lower()}
        )


def check_may_decide_confirmation(confirmation: ConfirmationStatus | None) -> None:
    if confirmation is not ConfirmationStatus.REQUESTED:
        raise BadUserInput("no judicial confirmation awaits a decision")


def check_may_hold_session(status: MediationStatus) -> None:
    if status is not MediationStatus.OPEN:
        raise BadUserInput("the mediation has ended: no more sessions")


def check_may_record_payment(status: MediationStatus) -> None:
    if status is not MediationStatus.AGREED:
        raise BadUserInput("payments follow an agreement")


def check_hearing(status: ArbitrationStatus) -> None:
    if status not in (ArbitrationStatus.FILED, ArbitrationStatus.HEARING_SCHEDULED):
        raise BadUserInput(
            "the arbitration case is {state}: no hearing", params={"state": status.name}
        )


def check_award_paid(status: ArbitrationStatus, paid: bool) -> None:
    if status is not ArbitrationStatus.AWARDED:
        raise BadUserInput("only an award can be paid")
    if paid:
        raise BadUserInput("the award is already recorded as paid")


def check_judgment(status: LitigationStatus) -> None:
    if status is not LitigationStatus.FILED:
        raise BadUserInput("the lawsuit is {state}: no judgment", params={"state": status.name})


def check_judgment_paid(status: LitigationStatus, amount: int | None, paid: bool) -> None:
    """A judgment's payment: only of a judgment that orders an amount, once."""
    if status is not LitigationStatus.JUDGED or not amount:
        raise BadUserInput("only a judgment with an amount can be paid")
    if paid:
        raise BadUserInput("the judgment is already recorded as paid")


def check_award(status: ArbitrationStatus) -> None:
    if status not in (ArbitrationStatus.FILED, ArbitrationStatus.HEARING_SCHEDULED):
        raise BadUserInput(
            "the arbitration case is {state}: no award can be made", params={"state": status.name}
        )
