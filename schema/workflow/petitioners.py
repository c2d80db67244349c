"""The hall's correction of the petitioner's record (`resolvers/appeals/petitioners.py`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.appeals import petitioners
from schema.appeals.types import Petition
from schema.common import Info
from schema.workflow.steps import (
    ExpectedVersion,
    PetitionId,
    PetitionNumber,
    petition_ref,
    run_step,
)


async def update_petitioner(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
    name: Annotated[
        str | None, strawberry.argument(description="The corrected name (up to 64).")
    ] = None,
    phone: Annotated[
        str | None, strawberry.argument(description="The corrected phone number.")
    ] = None,
    address: Annotated[
        str | None, strawberry.argument(description="The corrected address (up to 200).")
    ] = None,
) -> Petition:
    return await run_step(
        info,
        petitioners.update_petitioner,
        petition_ref(id, number, expected_version),
        correction=petitioners.PetitionerCorrection(name=name, phone=phone, address=address),
    )
