"""Time-limit policies as GraphQL: `Query.timeLimitPolicies`, `Mutation.setTimeLimitPolicy`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

import strawberry

from db import models
from resolvers.deadlines import policies
from resolvers.errors import BadUserInput
from schema.common import Info, local
from schema.enums import Category, DeadlineStart, TimeUnit

PolicyStage = strawberry.enum(
    models.PolicyStage,
    description="The step a time limit applies to ("
    + "; ".join(f"{m.name} {m.value}" for m in models.PolicyStage)
    + ").",
)


@strawberry.type(
    description="A time limit for a step of the procedure: `days` of `unit`, counted from "
    "the day of `countsFrom` (not counted)."
)
class TimeLimitPolicy:
    code: str = strawberry.field(description="Its code, e.g. `COMPLAINT.HANDLING`.")
    category: Category | None = strawberry.field(
        description="The category it applies to; null for every category without its own."
    )
    stage: PolicyStage = strawberry.field(description="The step it limits.")  # type: ignore[valid-type]
    days: int = strawberry.field(description="The limit, in `unit`s.")
    unit: TimeUnit = strawberry.field(description="工作日 (WORKING_DAYS) or 日 (CALENDAR_DAYS).")
    counts_from: DeadlineStart = strawberry.field(description="The event it counts from.")
    working_days: int = strawberry.field(
        description="The limit (`days`), whatever its unit.",
        deprecation_reason="Use `days` with `unit`: a limit may count 日, not 工作日.",
    )
    description: str = strawberry.field(description="Where it comes from, in words.")
    active: bool = strawberry.field(description="Whether it applies to new appeals.")
    updated_at: datetime = strawberry.field(description="When it was last set.")

    @classmethod
    def from_row(cls, row: models.TimeLimitPolicy, info: Info) -> Self:
        return cls(
            code=row.code,
            category=row.category,
            stage=row.stage,
            days=row.days,
            unit=row.unit,
            counts_from=row.counts_from,
            working_days=row.days,
            description=row.description,
            active=row.active,
            updated_at=local(info, row.updated_at),  # type: ignore[arg-type]
        )


@strawberry.input(description="A time-limit policy to create or change, found by its code.")
class TimeLimitPolicyInput:
    code: str = strawberry.field(description="Its code; an existing code is updated.")
    stage: PolicyStage = strawberry.field(description="The step it limits.")  # type: ignore[valid-type]
    days: int | None = strawberry.field(
        default=None, description="The limit in `unit`s, at least 1 (or give `workingDays`)."
    )
    unit: TimeUnit = strawberry.field(  # type: ignore[assignment]
        default=models.TimeUnit.WORKING_DAYS,
        description="What it counts: WORKING_DAYS (工作日, the default) or CALENDAR_DAYS (日).",
    )
    counts_from: DeadlineStart | None = strawberry.field(
        default=None,
        description="The event it counts from: HANDLING from RECEIPT (the default), "
        "ACCEPTANCE or ASSIGNMENT; ACCEPTANCE from RECEIPT; EXTENSION from PREVIOUS_DEADLINE.",
    )
    working_days: int | None = strawberry.field(
        default=None,
        description="The limit in working days: the same as `days` with unit WORKING_DAYS "
        "(kept for older clients).",
    )
    category: Category | None = strawberry.field(
        default=None, description="The category; required for a HANDLING limit."
    )
    description: str = strawberry.field(default="", description="Where it comes from.")
    active: bool = strawberry.field(
        default=True,
        description="Apply it to new appeals; an active HANDLING limit replaces the "
        "category's other one.",
    )


async def time_limit_policies(info: Info) -> list[TimeLimitPolicy]:
    rows = await info.context.call(policies.list_policies)
    return [TimeLimitPolicy.from_row(r, info) for r in rows]


async def set_time_limit_policy(
    info: Info,
    input: Annotated[TimeLimitPolicyInput, strawberry.argument(description="The policy.")],
) -> TimeLimitPolicy:
    days = input.days if input.days is not None else input.working_days
    if days is None:
        raise BadUserInput("give the limit in days", field="days")
    change = policies.PolicyChange(
        code=input.code,
        stage=input.stage,
        days=days,
        unit=input.unit,
        counts_from=input.counts_from,
        category=input.category,
        description=input.description,
        active=input.active,
    )
    row = await info.context.call(policies.set_policy, change=change)
    return TimeLimitPolicy.from_row(row, info)
