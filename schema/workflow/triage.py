"""Triage steps: accept, classify, note, and the backlog flag (`resolvers/workflow/triage.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.workflow import triage
from schema.appeals.types import Petition
from schema.common import Info
from schema.enums import Category, Matter
from schema.workflow.steps import (
    ExpectedVersion,
    PetitionId,
    PetitionNumber,
    petition_ref,
    run_step,
)


async def accept_petition(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
    accepted_at: Annotated[
        datetime | None,
        strawberry.argument(
            description="When it was accepted, for a decision recorded afterwards (with a "
            "time zone offset; not before receipt, not in the future); default now. A time "
            "limit counted from acceptance starts on that day."
        ),
    ] = None,
) -> Petition:
    return await run_step(
        info,
        triage.accept_petition,
        petition_ref(id, number, expected_version),
        accepted_at=accepted_at,
    )


async def classify_petition(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
    category: Annotated[
        Category | None,
        strawberry.argument(description="The new category; the deadline is recomputed."),
    ] = None,
    matter: Annotated[Matter | None, strawberry.argument(description="The new matter.")] = None,
) -> Petition:
    return await run_step(
        info,
        triage.classify_petition,
        petition_ref(id, number, expected_version),
        category=category,
        matter=matter,
    )


async def add_note(
    info: Info,
    text: Annotated[str, strawberry.argument(description="The note (up to 2,000 characters).")],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info, triage.add_note, petition_ref(id, number, expected_version), text=text
    )


async def mark_backlog(
    info: Info,
    owner: Annotated[str, strawberry.argument(description="Who owns the backlog case.")],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(
        info, triage.mark_backlog, petition_ref(id, number, expected_version), owner=owner
    )


async def clear_backlog(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await run_step(info, triage.clear_backlog, petition_ref(id, number, expected_version))
