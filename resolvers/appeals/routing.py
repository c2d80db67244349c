"""What intake adds to an appeal it registers, in the same transaction: the enterprises
and the project it is about, a risk flag, and — for a dispatcher — acceptance and
assignment at once (the hall routes as it registers). Each is the workflow's own step
(`name_parties`, `flag_risk`, `accept_and_assign`) with its event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import RiskFlagKind
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.care import flags
from resolvers.disputes import parties as appeal_parties
from resolvers.disputes.parties import PartyInput
from resolvers.errors import BadUserInput
from resolvers.services import Services
from resolvers.workflow import dispatch
from resolvers.workflow.steps import Step, caller_standing


@dataclass
class Extras:
    parties: list[PartyInput] = field(default_factory=list)
    project_code: str | None = None
    risk_flag: RiskFlagKind | None = None
    risk_note: str = ""
    assign_to: str | None = None  # an organisation's code: accept and assign as lead

    def __bool__(self) -> bool:
        return bool(self.parties or self.project_code or self.risk_flag or self.assign_to)

    def cleaned(self) -> Extras:
        """Checked as far as no database is needed (the rest in `complete`)."""
        note = validation.text(self.risk_note, "riskNote", required=False, max_length=1000)
        if note and self.risk_flag is None:
            raise BadUserInput("a risk note needs its flag", field="riskFlag")
        return Extras(
            parties=list(self.parties),
            project_code=(self.project_code or "").strip() or None,
            risk_flag=self.risk_flag,
            risk_note=note,
            assign_to=(self.assign_to or "").strip() or None,
        )

    def fingerprint(self) -> list[object]:
        return [
            [[p.uscc, p.role.name, p.name] for p in self.parties],
            self.project_code,
            self.risk_flag.name if self.risk_flag else None,
            self.risk_note,
            self.assign_to,
        ]


async def complete(
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    petition: models.Petition,
    extras: Extras,
) -> None:
    """Name the parties and project, flag the risk, route: inside intake's transaction."""
    if not extras:
        return
    await session.flush()
    step = Step(session, caller, services, now, petition, [])
    step.standing = await caller_standing(session, caller, petition, [])
    if extras.parties or extras.project_code:
        await appeal_parties.name(step, extras.parties, extras.project_code)
    if extras.risk_flag is not None:
        flags.flag(step, extras.risk_flag, extras.risk_note)
    if extras.assign_to:
        await dispatch.route(step, extras.assign_to)
