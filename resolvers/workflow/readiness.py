"""Whether a step can be taken now, all of it: `preconditions.refusal` and what needs the
database — the extension cap, the chain's order for opening its next stage
(openMediation, openArbitration, openLitigation), and for escalation who may escalate
and where to.

The steps take such an action through `take`; the appeal page offers what `offered`
lists. Both ask `step_refusal`, so a page never offers a step that would fail, and never
hides one that would succeed (short of the step's own input: a text, a chosen
organisation — and for escalation the page lists exactly the organisations
`escalation_targets` allows).
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import (
    AssignmentRole,
    Escalation,
    LitigationStatus,
    MediationStatus,
    PetitionStatus,
    TimeUnit,
)
from resolvers.access.caller import Caller
from resolvers.deadlines.limits import Limit
from resolvers.deadlines.policies import extension_limit
from resolvers.directory.organisations import list_organisations
from resolvers.disputes import reading, rules
from resolvers.errors import BadUserInput, Forbidden, HubError
from resolvers.services import Services
from resolvers.workflow.preconditions import refusal
from resolvers.workflow.steps import LATER_CHECKED, Step, caller_standing
from resolvers.workflow.transitions import Action, next_status

WORKING_DAYS_CAP = (
    "extensions may add at most {most} working days in all ({granted} granted so far)"
)
DAYS_CAP = "extensions may add at most {most} days in all ({granted} granted so far)"

Target = tuple[Escalation, models.Organisation]


async def _extension_cap(step: Step) -> Limit | None:
    if "extension_cap" not in step.facts:
        step.facts["extension_cap"] = await extension_limit(step.session, step.petition.category)
    cap: Limit | None = step.facts["extension_cap"]
    return cap


async def extension_refusal(step: Step, days: int) -> HubError | None:
    """Why an extension of `days` may not be asked for: no EXTENSION policy for the
    category, or its cap on what extensions add in all would be passed."""
    p = step.petition
    cap = await _extension_cap(step)
    if cap is None:
        return BadUserInput("no extension policy applies to this category", field="days")
    if p.extension_days + days > cap.days:
        counts = {"most": cap.days, "granted": p.extension_days}
        if cap.unit is TimeUnit.WORKING_DAYS:
            return BadUserInput(WORKING_DAYS_CAP, field="days", params=counts)
        return BadUserInput(DAYS_CAP, field="days", params=counts)
    return None


async def _chain(step: Step) -> tuple[rules.ChainFacts, list[models.MediationCase]]:
    """The appeal's chain as the rules read it (once per step)."""
    if "chain" not in step.facts:
        pid = step.petition.id
        mediations = await reading.mediation_facts(step.session, pid)
        arbitrations = await step.session.scalars(
            select(models.ArbitrationCase.status)
            .where(models.ArbitrationCase.petition_id == pid)
            .order_by(models.ArbitrationCase.id)
        )
        lawsuits = set(
            await step.session.scalars(
                select(models.LitigationCase.status)
                .where(models.LitigationCase.petition_id == pid)
                .distinct()
            )
        )
        facts = rules.ChainFacts(
            step.petition.matter,
            [f for _, f in mediations],
            list(arbitrations),
            lawsuit_pending=LitigationStatus.FILED in lawsuits,
            judged=LitigationStatus.JUDGED in lawsuits,
        )
        step.facts["chain"] = (facts, [c for c, _ in mediations])
    chain: tuple[rules.ChainFacts, list[models.MediationCase]] = step.facts["chain"]
    return chain


def _leads(step: Step) -> set[int]:
    return {a.organisation_id for a in step.active(AssignmentRole.LEAD)}


async def escalation_targets(step: Step) -> list[Target]:
    """Where the appeal may be escalated now, and to whom: by the chain's order, to
    organisations of the stage's kind, never to its current lead."""
    if "targets" not in step.facts:
        facts, _ = await _chain(step)
        stages = [to for to in Escalation if rules.escalation_refusal(to, facts) is None]
        kinds = {kind for to in stages for kind in rules.ESCALATION_KINDS[to]}
        organisations = (
            await list_organisations(
                session=step.session, caller=step.caller, kinds=sorted(kinds, key=str)
            )
            if kinds
            else []
        )
        leads = _leads(step)
        step.facts["targets"] = [
            (to, o)
            for to in stages
            for o in organisations
            if o.kind in rules.ESCALATION_KINDS[to] and o.id not in leads
        ]
    targets: list[Target] = step.facts["targets"]
    return targets


async def _mediating(step: Step) -> bool:
    """Whether the caller's organisation is itself mediating the appeal: the mediator of
    its open mediation case, or the mediator it was escalated to and that leads it."""
    org = step.caller.organisation_id
    _, cases = await _chain(step)
    if any(c.mediator_org_id == org and c.status is MediationStatus.OPEN for c in cases):
        return True
    p = step.petition
    return (
        p.escalated_to is Escalation.MEDIATION and p.escalated_to_id == org and org in _leads(step)
    )


async def _escalation_ready(step: Step) -> HubError | None:
    if await _mediating(step):
        return Forbidden(
            "the organisation mediating the appeal concludes its mediation; it does not escalate it"
        )
    if not await escalation_targets(step):
        return BadUserInput(
            "no organisation may take the appeal at this stage of its chain",
            field="organisationCode",
        )
    return None


async def escalation_target(step: Step, to: Escalation, code: str) -> models.Organisation:
    """The organisation `code` if the appeal may be escalated to it as `to` now; else
    `BAD_USER_INPUT` on `organisationCode` saying why."""
    code = (code or "").strip()
    for stage, organisation in await escalation_targets(step):
        if stage is to and organisation.code == code:
            return organisation
    found = (
        await step.session.scalars(
            select(models.Organisation).where(
                models.Organisation.code == code, models.Organisation.active.is_(True)
            )
        )
    ).one_or_none()
    if found is None:
        raise BadUserInput("no active organisation with that code", field="organisationCode")
    params = {"organisation": found.code, "escalation": to.name.lower()}
    if found.kind not in rules.ESCALATION_KINDS[to]:
        raise BadUserInput(
            "{organisation} does not take {escalation}", field="organisationCode", params=params
        )
    facts, _ = await _chain(step)
    refused = rules.escalation_refusal(to, facts)
    if refused is not None:
        raise refused
    raise BadUserInput(
        "{organisation} already leads the appeal", field="organisationCode", params=params
    )


def _stage_ready(to: Escalation) -> Callable[[Step], Awaitable[HubError | None]]:
    """Opening the chain's next stage (openMediation, openArbitration, openLitigation):
    the chain's order, read of all the appeal's cases as the step reads them."""

    async def ready(step: Step) -> HubError | None:
        facts, _ = await _chain(step)
        return rules.stage_refusal(to, facts)

    return ready


async def _extension_ready(step: Step) -> HubError | None:
    return await extension_refusal(step, 1)


LATER: dict[Action, Callable[[Step], Awaitable[HubError | None]]] = {
    Action.REQUEST_EXTENSION: _extension_ready,
    Action.ESCALATE: _escalation_ready,
    Action.OPEN_MEDIATION: _stage_ready(Escalation.MEDIATION),
    Action.OPEN_ARBITRATION: _stage_ready(Escalation.ARBITRATION),
    Action.OPEN_LITIGATION: _stage_ready(Escalation.LITIGATION),
}
assert set(LATER) == LATER_CHECKED


class Combined(enum.Enum):
    """A step that takes several actions in turn, in one transaction."""

    ACCEPT_AND_ASSIGN = (Action.ACCEPT, Action.ASSIGN_LEAD)  # 受理并交办


async def step_refusal(
    step: Step, action: Action | Combined, status: PetitionStatus | None = None
) -> HubError | None:
    """Why `action` would be refused now, or None (see the module doc). A combined step:
    its first action's refusal, then the next one's in the status the first leads to."""
    if isinstance(action, Combined):
        p = step.petition
        status = p.status
        for each in action.value:
            refused = await step_refusal(step, each, status)
            if refused is not None:
                return refused
            status = next_status(status, each, previous=p.suspended_from)
        return None
    refused = refusal(step, action, status)
    if refused is None and action in LATER:
        refused = await LATER[action](step)
    return refused


async def combined_ready(step: Step, combined: Combined) -> None:
    """Refuse a combined step (before any of its actions) unless all of it would pass."""
    refused = await step_refusal(step, combined)
    if refused is not None:
        raise refused


async def take(step: Step, action: Action) -> None:
    """`Step.move` for every step: refuse unless ready, then move the appeal."""
    refused = await step_refusal(step, action)
    if refused is not None:
        raise refused
    step.advance(action)


async def offered(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    petition: models.Petition,
    assignments: list[models.Assignment],
) -> tuple[list[Action | Combined], Step]:
    """The steps `caller` could take now on the appeal (what a page offers), and the
    step's facts (for the escalation targets the page lists). Combined steps (受理并交办)
    are listed as they are refused: all their actions in turn."""
    standing = await caller_standing(session, caller, petition, assignments)
    step = Step(session, caller, services, now, petition, list(assignments), standing)
    if "petitions:write" not in caller.scopes:
        return [], step
    steps: list[Action | Combined] = [*Action, *Combined]
    return [action for action in steps if await step_refusal(step, action) is None], step
