"""Outcome steps: answer, feedback, close, reopen (`resolvers/workflow/outcome.py`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.workflow import outcome
from schema.appeals.types import Petition
from schema.common import Info
from schema.enums import Satisfaction
from schema.workflow.steps import (
    ExpectedVersion,
    PetitionId,
    PetitionNumber,
    Reason,
    petition_ref,
    run_step,
)


async def answer_petition(
    info: Info,
    answer: Annotated[str, strawberry.argument(description="The answer (up to 5,000).")],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info, outcome.answer_petition, petition_ref(id, number, expected_version), answer=answer
    )


async def record_feedback(
    info: Info,
    satisfaction: Annotated[
        Satisfaction,
        strawberry.argument(description="What the petitioner said; REFUSED counts as a record."),
    ],
    comment: Annotated[str | None, strawberry.argument(description="Their words.")] = None,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info,
        outcome.record_feedback,
        petition_ref(id, number, expected_version),
        satisfaction=satisfaction,
        comment=comment,
    )


async def close_petition(
    info: Info,
    resolved: Annotated[bool, strawberry.argument(description="化解: was the matter settled?")],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info, outcome.close_petition, petition_ref(id, number, expected_version), resolved=resolved
    )


async def reopen_petition(
    info: Info,
    reason: Reason,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info, outcome.reopen_petition, petition_ref(id, number, expected_version), reason=reason
    )
