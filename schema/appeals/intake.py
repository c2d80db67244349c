"""`Mutation.submitPetition`: registering an appeal."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.appeals import intake, routing
from resolvers.disputes import parties
from schema.appeals.types import Petition
from schema.common import Info
from schema.disputes.mutations import PartyInput
from schema.enums import Category, Channel, Level, Matter, RiskFlagKind


@strawberry.input(description="The person bringing an appeal.")
class PetitionerInput:
    name: str = strawberry.field(description="Name (1–64 characters).")
    id_number: str | None = strawberry.field(
        default=None, description="Resident ID number, 18 characters, checked (GB 11643)."
    )
    phone: str | None = strawberry.field(default=None, description="Mobile or landline number.")
    address: str | None = strawberry.field(default=None, description="Address.")


@strawberry.input(description="A risk the registering clerk saw.")
class IntakeRiskFlagInput:
    kind: RiskFlagKind = strawberry.field(description="What was seen.")
    note: str = strawberry.field(default="", description="What exactly (up to 1,000).")


@strawberry.input(description="An appeal as the receiving organisation registers it.")
class SubmitPetitionInput:
    title: str = strawberry.field(description="Short title (1–200 characters).")
    description: str = strawberry.field(description="What the petitioner asks (up to 5,000).")
    category: Category = strawberry.field(description="Decides the time limit.")
    matter: Matter = strawberry.field(description="What it is about.")
    channel: Channel = strawberry.field(description="How it reached the hub.")
    petitioner: PetitionerInput = strawberry.field(description="Who brings it.")
    received_at: datetime | None = strawberry.field(
        default=None,
        description="When it was received, if earlier than now (a letter, a call registered "
        "later); never in the future. The deadline counts from it.",
    )
    community_code: str | None = strawberry.field(
        default=None, description="The community concerned; defaults to the receiving window's."
    )
    level: Level | None = strawberry.field(
        default=None, description="Level of receipt; defaults from the receiving organisation."
    )
    people_count: int = strawberry.field(
        default=1, description="How many people brought it; 5 or more is a collective appeal."
    )
    client_request_id: str | None = strawberry.field(
        default=None,
        description="Your own id for this submission: a retry with the same id returns the "
        "same appeal and creates nothing.",
    )
    parties: list[PartyInput] | None = strawberry.field(
        default=None, description="The enterprises it is about, as `nameParties` takes them."
    )
    project_code: str | None = strawberry.field(
        default=None, description="The construction project it concerns, e.g. `PRJ-METRO16`."
    )
    risk_flag: IntakeRiskFlagInput | None = strawberry.field(
        default=None, description="A risk seen at intake, as `flagRisk` records it."
    )
    assign_to: str | None = strawberry.field(
        default=None,
        description="Route it at once: accept it and assign it to this organisation as lead, "
        "in the same transaction (a dispatcher of the hall, or of the street platform over "
        "its community; see `Petition.dispatchSuggestions`).",
    )


async def submit_petition(
    info: Info,
    input: Annotated[SubmitPetitionInput, strawberry.argument(description="The appeal.")],
) -> Petition:
    data = intake.Submission(
        title=input.title,
        description=input.description,
        category=input.category,
        matter=input.matter,
        channel=input.channel,
        petitioner=intake.PetitionerDetails(
            name=input.petitioner.name,
            id_number=input.petitioner.id_number,
            phone=input.petitioner.phone,
            address=input.petitioner.address,
        ),
        received_at=input.received_at,
        community=input.community_code,
        level=input.level,
        people_count=input.people_count,
        client_request_id=input.client_request_id,
        extras=routing.Extras(
            parties=[
                parties.PartyInput(uscc=p.uscc, role=p.role, name=p.name)
                for p in input.parties or []
            ],
            project_code=input.project_code,
            risk_flag=input.risk_flag.kind if input.risk_flag else None,
            risk_note=input.risk_flag.note if input.risk_flag else "",
            assign_to=input.assign_to,
        ),
    )
    row = await info.context.call(
        intake.submit_petition, services=info.context.services, data=data, now=info.context.now
    )
    return Petition.from_row(row, info)
