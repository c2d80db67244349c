"""An appeal's parties (the employer, main contractor, subcontractors) and its project."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import EventKind, PartyRole
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.errors import BadUserInput
from resolvers.services import Services
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action

MAX_PARTIES = 20


@dataclass(frozen=True)
class PartyInput:
    """An enterprise named by an appeal; `name` registers one the hub does not know yet."""

    uscc: str
    role: PartyRole
    name: str | None = None


async def enterprise_for(session: AsyncSession, party: PartyInput, field: str) -> models.Enterprise:
    """The enterprise with the party's credit code (checked, GB 32100); a new one needs a
    name and is registered."""
    code = validation.credit_code(party.uscc, f"{field}.uscc")
    enterprise = await session.scalar(
        select(models.Enterprise).where(models.Enterprise.uscc == code)
    )
    if enterprise is None:
        name = validation.text(party.name, f"{field}.name", max_length=128)
        enterprise = models.Enterprise(uscc=code, name=name)
        session.add(enterprise)
        await session.flush()
    return enterprise


async def name_parties(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    parties: list[PartyInput],
    project_code: str | None = None,
) -> models.Petition:
    """Name the enterprises the appeal is about and the project it concerns (added to
    those already named)."""
    if not parties and not project_code:
        raise BadUserInput("name a party, a project or both", field="parties")

    async def change(step: Step) -> None:
        await name(step, parties, project_code)

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )


async def name(step: Step, parties: list[PartyInput], project_code: str | None) -> None:
    """The naming itself, inside a step (`name_parties`, intake)."""
    session = step.session
    step.move(Action.NAME_PARTIES)
    if len(parties) > MAX_PARTIES:
        raise BadUserInput(
            "at most {count} parties", field="parties", params={"count": MAX_PARTIES}
        )
    data: dict[str, object] = {}
    if project_code:
        project = await session.scalar(
            select(models.Project).where(models.Project.code == project_code.strip())
        )
        if project is None:
            raise BadUserInput("no project with that code", field="projectCode")
        step.petition.project_id = project.id
        data["project"] = project.code
    existing = {
        (p.enterprise_id, p.role)
        for p in await session.scalars(
            select(models.PetitionParty).where(models.PetitionParty.petition_id == step.petition.id)
        )
    }
    named = []
    for index, party in enumerate(parties):
        enterprise = await enterprise_for(session, party, f"parties.{index}")
        if (enterprise.id, party.role) not in existing:
            existing.add((enterprise.id, party.role))
            session.add(
                models.PetitionParty(
                    petition_id=step.petition.id, enterprise_id=enterprise.id, role=party.role
                )
            )
        named.append({"uscc": enterprise.uscc, "role": party.role.name})
    data["parties"] = named
    step.event(EventKind.PARTIES_NAMED, data)
