"""Dispatch: `Petition.dispatchSuggestions` and `acceptAndAssignPetition` (the rule is
`resolvers/workflow/dispatch.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from db import models
from resolvers.workflow import dispatch
from schema.appeals.types import Petition
from schema.common import Info
from schema.directory import Organisation
from schema.enums import Matter
from schema.workflow.steps import (
    ExpectedVersion,
    PetitionId,
    PetitionNumber,
    petition_ref,
    run_step,
    step_mutation,
)

strawberry.enum(
    dispatch.Basis,
    name="DispatchBasis",
    description="What a dispatch suggestion rests on ("
    + "; ".join(f"{b.name} {b.value}" for b in dispatch.Basis)
    + ").",
)


@strawberry.type(description="An organisation to give an appeal to, and why.")
class DispatchSuggestion:
    organisation: Organisation = strawberry.field(description="Who.")
    basis: dispatch.Basis = strawberry.field(description="What the suggestion rests on.")
    matter: Matter | None = strawberry.field(description="The matter it rests on, if it does.")
    place: str = strawberry.field(description="The project, street or community it names.")
    count: int = strawberry.field(
        description="For USUAL: the appeals of the matter it led in the last year."
    )
    reason: str = strawberry.field(
        description="The reason in Chinese, e.g. `劳资欠薪事项 · 地铁项目工地 · 深圳地铁16号线（坪山段）`."
    )


async def dispatch_suggestions(info: Info, row: models.Petition) -> list[DispatchSuggestion]:
    found = await info.context.loaders.dispatch_suggestions.load(row)
    return [
        DispatchSuggestion(
            organisation=Organisation.from_row(s.organisation),
            basis=s.basis,
            matter=s.matter,
            place=s.place,
            count=s.count,
            reason=s.reason,
        )
        for s in found
    ]


async def accept_and_assign_petition(
    info: Info,
    organisation_code: Annotated[str, strawberry.argument(description="The lead, e.g. `PS-LMC`.")],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
    due_at: Annotated[
        datetime | None,
        strawberry.argument(
            description="The assignment's own deadline; by default the category's time limit "
            "from now."
        ),
    ] = None,
    instructions: Annotated[
        str | None, strawberry.argument(description="What the lead is asked to do.")
    ] = None,
) -> Petition:
    return await run_step(
        info,
        dispatch.accept_and_assign,
        petition_ref(id, number, expected_version),
        organisation_code=organisation_code,
        due_at=due_at,
        instructions=instructions,
    )


@strawberry.type(description="Dispatch in one step.")
class DispatchMutation:
    accept_and_assign_petition: Petition = step_mutation(
        accept_and_assign_petition,
        "受理并交办: accept the appeal and assign it to a lead in one transaction (both "
        "events; `expectedVersion` checked once).",
    )
