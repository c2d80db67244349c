"""The deadline clock's steps: suspend, resume and extensions
(`resolvers/workflow/suspension.py`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.workflow import suspension as clock
from schema.appeals.types import Petition
from schema.common import Info
from schema.workflow.steps import (
    ExpectedVersion,
    OptionalReason,
    PetitionId,
    PetitionNumber,
    Reason,
    petition_ref,
    run_step,
)


async def suspend_petition(
    info: Info,
    reason: Reason,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info, clock.suspend_petition, petition_ref(id, number, expected_version), reason=reason
    )


async def resume_petition(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(info, clock.resume_petition, petition_ref(id, number, expected_version))


async def request_extension(
    info: Info,
    days: Annotated[int, strawberry.argument(description="Working days asked for (1–30).")],
    reason: Reason,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info,
        clock.request_extension,
        petition_ref(id, number, expected_version),
        days=days,
        reason=reason,
    )


async def approve_extension(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(info, clock.approve_extension, petition_ref(id, number, expected_version))


async def reject_extension(
    info: Info,
    reason: OptionalReason = None,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info, clock.reject_extension, petition_ref(id, number, expected_version), reason=reason
    )
