"""The hall's correction of a petitioner's record (更正信访人信息).

An appeal keeps the contact details given with it (`Petition.petitioner_*`), and every
door shows those (`resolvers/access/disclosure.py`), so that one organisation's
submission naming a known ID number changes nothing another slice sees. The
person's record (`Petitioner`: the ID number, and contact details as the hall last
confirmed them) changes only through `update_petitioner`, the hall's audited step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import EventKind
from resolvers import validation
from resolvers.access.audit import AuditAction, AuditPath, audit_entry
from resolvers.access.caller import Caller
from resolvers.errors import BadUserInput
from resolvers.services import Services
from resolvers.workflow.steps import PetitionRef, Step, take_step
from resolvers.workflow.transitions import Action


@dataclass
class PetitionerCorrection:
    """What the hall corrects; None leaves a detail as it is."""

    name: str | None = None
    phone: str | None = None
    address: str | None = None


def _cleaned(correction: PetitionerCorrection) -> dict[str, str | None]:
    changes: dict[str, str | None] = {}
    if correction.name is not None:
        changes["name"] = validation.text(correction.name, "name", max_length=64)
    if correction.phone is not None:
        changes["phone"] = validation.phone(correction.phone, "phone")
    if correction.address is not None:
        changes["address"] = (
            validation.text(correction.address, "address", required=False, max_length=200) or ""
        )
    if not changes:
        raise BadUserInput("give a name, a phone or an address", field="name")
    return changes


async def update_petitioner(
    *,
    session: AsyncSession,
    caller: Caller,
    services: Services,
    now: datetime,
    ref: PetitionRef,
    correction: PetitionerCorrection,
    path: AuditPath = AuditPath.GRAPHQL,
) -> models.Petition:
    """更正信访人信息: the hall corrects the person's record and this appeal's contact
    details. The timeline says which details changed (not their values); the audit log
    says who changed the record, on which appeal."""
    changes = _cleaned(correction)

    async def change(step: Step) -> None:
        step.move(Action.UPDATE_PETITIONER)
        petition = step.petition
        if petition.petitioner_id is None:
            raise BadUserInput("this appeal names no petitioner", field="id")
        person = await step.session.get(models.Petitioner, petition.petitioner_id)
        assert person is not None
        changed = []
        for detail, value in changes.items():
            if detail == "phone" and value is None:
                continue  # an empty phone leaves it as it is
            if (
                getattr(person, detail) != value
                or getattr(petition, f"petitioner_{detail}") != value
            ):
                changed.append(detail)
            setattr(person, detail, value)
            setattr(petition, f"petitioner_{detail}", value)
        step.event(EventKind.PETITIONER_UPDATED, {"changed": sorted(changed)})
        step.session.add(
            audit_entry(
                step.caller,
                action=AuditAction.UPDATE_PETITIONER,
                path=path,
                object_kind="Petitioner",
                ids=[person.id],
                at=step.now,
                detail={"petition": petition.number, "changed": sorted(changed)},
            )
        )

    return await take_step(
        session=session, caller=caller, services=services, now=now, ref=ref, change=change
    )
