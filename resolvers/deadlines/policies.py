"""Time-limit policies as data: read them, and let the hall's administrator set them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from db.models import Category, PolicyStage
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.deadlines.calendar import MAX_WORKING_DAYS
from resolvers.deadlines.limits import DEFAULT_TIME_LIMITS
from resolvers.errors import BadUserInput, Forbidden


async def list_policies(*, session: AsyncSession, caller: Caller) -> list[models.TimeLimitPolicy]:
    """Every time-limit policy, active first. Policies are public to every caller."""
    statement = select(models.TimeLimitPolicy).order_by(
        models.TimeLimitPolicy.active.desc(), models.TimeLimitPolicy.code
    )
    return list((await session.scalars(statement)).all())


async def handling_limit(session: AsyncSession, category: Category) -> int:
    """The working days an appeal of `category` has: the active HANDLING policy, or the
    built-in default when the operator has none."""
    days = await session.scalar(
        select(models.TimeLimitPolicy.working_days)
        .where(
            models.TimeLimitPolicy.category == category,
            models.TimeLimitPolicy.stage == PolicyStage.HANDLING,
            models.TimeLimitPolicy.active,
        )
        .order_by(models.TimeLimitPolicy.updated_at.desc())
        .limit(1)
    )
    return days if days is not None else DEFAULT_TIME_LIMITS[category]


@dataclass
class PolicyChange:
    code: str
    stage: PolicyStage
    working_days: int
    category: Category | None = None
    description: str = ""
    active: bool = True


def require_hall_admin(caller: Caller) -> None:
    """Only the hall's administrators (staff with ADMIN, tokens with `admin`) set policy."""
    if not (caller.is_hall and "admin" in caller.scopes):
        raise Forbidden("only the appeals hall's administrators set time limits")


async def set_policy(
    *, session: AsyncSession, caller: Caller, change: PolicyChange
) -> models.TimeLimitPolicy:
    """Create or update the policy `change.code`. An active HANDLING policy replaces
    (deactivates) the category's other handling policies. Applies to appeals
    registered from now on; existing deadlines stay as they were promised."""
    require_hall_admin(caller)
    code = validation.text(change.code, "code", max_length=48).upper()
    description = validation.text(change.description, "description", required=False, max_length=200)
    validation.whole_number(change.working_days, "workingDays", low=1, high=MAX_WORKING_DAYS)
    if change.stage is PolicyStage.HANDLING and change.category is None:
        raise BadUserInput("a handling time limit is set per category", field="category")
    await begin_write(session)
    policy = await session.scalar(
        select(models.TimeLimitPolicy).where(models.TimeLimitPolicy.code == code)
    )
    if policy is None:
        policy = models.TimeLimitPolicy(code=code)
        session.add(policy)
    policy.category, policy.stage = change.category, change.stage
    policy.working_days, policy.description = change.working_days, description or ""
    policy.active = change.active
    if change.active and change.stage is PolicyStage.HANDLING:
        await session.execute(
            update(models.TimeLimitPolicy)
            .where(
                models.TimeLimitPolicy.category == change.category,
                models.TimeLimitPolicy.stage == PolicyStage.HANDLING,
                models.TimeLimitPolicy.code != code,
            )
            .values(active=False)
        )
    await session.commit()
    await session.refresh(policy)
    return policy


async def handling_limits(session: AsyncSession) -> dict[Category, int]:
    """Every category's handling limit in one read (what `handling_limit` gives for each)."""
    rows = await session.execute(
        select(models.TimeLimitPolicy.category, models.TimeLimitPolicy.working_days)
        .where(models.TimeLimitPolicy.stage == PolicyStage.HANDLING,
               models.TimeLimitPolicy.active)
        .order_by(models.TimeLimitPolicy.updated_at.asc())
    )
    limits = dict(DEFAULT_TIME_LIMITS)
    for category, days in rows:  # the latest update wins, as in `handling_limit`
        if category is not None:
            limits[category] = days
    return limits
