"""Assignment steps: assign, accept, return, escalate (`resolvers/workflow/assignments.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.workflow import assignments
from schema.appeals.types import Petition
from schema.common import Info
from schema.enums import AssignmentRole, Escalation
from schema.workflow.steps import (
    ExpectedVersion,
    OptionalReason,
    PetitionId,
    PetitionNumber,
    Reason,
    petition_ref,
    run_step,
)


async def assign_petition(
    info: Info,
    organisation_code: Annotated[
        str, strawberry.argument(description="The assignee, e.g. `PS-LMC`.")
    ],
    role: Annotated[
        AssignmentRole, strawberry.argument(description="LEAD (主办, one at a time) or ASSISTING.")
    ],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
    due_at: Annotated[
        datetime | None,
        strawberry.argument(
            description="The assignment's own deadline; by default the category's time limit "
            "in working days from now."
        ),
    ] = None,
    instructions: Annotated[
        str | None, strawberry.argument(description="What the assignee is asked to do.")
    ] = None,
) -> Petition:
    return await run_step(
        info,
        assignments.assign_petition,
        petition_ref(id, number, expected_version),
        organisation_code=organisation_code,
        role=role,
        due_at=due_at,
        instructions=instructions,
    )


async def accept_assignment(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info, assignments.accept_assignment, petition_ref(id, number, expected_version)
    )


async def return_assignment(
    info: Info,
    reason: Reason,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info,
        assignments.return_assignment,
        petition_ref(id, number, expected_version),
        reason=reason,
    )


async def escalate_petition(
    info: Info,
    to: Annotated[
        Escalation, strawberry.argument(description="MEDIATION, ARBITRATION or LITIGATION.")
    ],
    organisation_code: Annotated[
        str,
        strawberry.argument(
            description="Who takes it: a mediator (e.g. `PS-LMC`, `PS-APAN`), `PS-ARB` or "
            "`PS-COURT`; it becomes the lead."
        ),
    ],
    reason: OptionalReason = None,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info,
        assignments.escalate_petition,
        petition_ref(id, number, expected_version),
        to=to,
        organisation_code=organisation_code,
        reason=reason,
    )
