"""What every step field shares: the appeal's reference and version arguments, the
call that runs a step's resolver and wraps the appeal, and the mutation's declaration."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from db import models
from resolvers.errors import not_found
from resolvers.workflow import steps as workflow
from schema.appeals.types import Petition
from schema.common import Info, parse_id

PetitionId = Annotated[
    strawberry.ID | None, strawberry.argument(description="The appeal's id (or give `number`).")
]

PetitionNumber = Annotated[
    str | None,
    strawberry.argument(description="The appeal's number, e.g. `PS-2026-004211`, instead of id."),
]
ExpectedVersion = Annotated[
    int | None,
    strawberry.argument(
        description="The `version` you last read; if the appeal has moved on since, the step "
        "answers CONFLICT and changes nothing. Leave it out to act on the current version."
    ),
]

Reason = Annotated[str, strawberry.argument(description="Why (required).")]
OptionalReason = Annotated[str | None, strawberry.argument(description="Why (optional).")]


def petition_ref(
    id: strawberry.ID | None, number: str | None, expected: int | None
) -> workflow.PetitionRef:
    """The appeal a step acts on, by id or number, with the version the caller read."""
    ident = parse_id(id) if id is not None else None
    if id is not None and ident is None:
        raise not_found("petition")  # a malformed id is simply not found
    return workflow.PetitionRef(id=ident, number=number, expected_version=expected)


async def run_step(
    info: Info,
    resolver: Callable[..., Awaitable[models.Petition]],
    ref: workflow.PetitionRef,
    **kwargs: Any,
) -> Petition:
    """Run a workflow step's resolver in the caller's context; the updated appeal."""
    row = await info.context.call(
        resolver, services=info.context.services, now=info.context.now, ref=ref, **kwargs
    )
    return Petition.from_row(row, info)


def step_mutation(resolver: Any, description: str) -> Any:
    """A step's mutation field, which requires the `petitions:write` scope."""
    # The hub refuses a step without `petitions:write` itself; the scope is also
    # declared for a federation router, which can refuse it before planning.
    return strawberry.federation.mutation(
        resolver=resolver, description=description, requires_scopes=[["petitions:write"]]
    )
