"""Time-limit policies as data: read them, and let the hall's administrator set them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.engine import begin_write
from db.models import Category, DeadlineStart, PolicyStage, TimeUnit
from resolvers import validation
from resolvers.access.caller import Caller
from resolvers.admin.staff import sets_district_rules
from resolvers.deadlines.calendar import MAX_DAYS
from resolvers.deadlines.limits import DEFAULT_TIME_LIMITS, Limit
from resolvers.errors import BadUserInput, Forbidden

CHAIN_STAGES = (
    PolicyStage.MEDIATION,
    PolicyStage.ARBITRATION,
    PolicyStage.METRO_SITE,
    PolicyStage.METRO_CENTRE,
    PolicyStage.METRO_REGULATOR,
)

# The events each stage may count from: acceptance is decided from receipt, an extension
# runs on from the deadline it extends, handling from receipt, acceptance or assignment.
STARTS: dict[PolicyStage, frozenset[DeadlineStart]] = {
    PolicyStage.HANDLING: frozenset(
        {DeadlineStart.RECEIPT, DeadlineStart.ACCEPTANCE, DeadlineStart.ASSIGNMENT}
    ),
    PolicyStage.ACCEPTANCE: frozenset({DeadlineStart.RECEIPT}),
    PolicyStage.EXTENSION: frozenset({DeadlineStart.PREVIOUS_DEADLINE}),
    # the 访调心裁 chain's stages run from when their organisation takes the case
    **{stage: frozenset({DeadlineStart.ASSIGNMENT}) for stage in CHAIN_STAGES},
}


async def list_policies(*, session: AsyncSession, caller: Caller) -> list[models.TimeLimitPolicy]:
    """Every time-limit policy, active first. Policies are public to every caller."""
    statement = select(models.TimeLimitPolicy).order_by(
        models.TimeLimitPolicy.active.desc(), models.TimeLimitPolicy.code
    )
    return list((await session.scalars(statement)).all())


def limit_of(policy: models.TimeLimitPolicy) -> Limit:
    return Limit(policy.days, policy.unit, policy.counts_from)


def stage_policy(
    category: Category | ColumnElement[Category], stage: PolicyStage
) -> Select[models.TimeLimitPolicy]:
    """The active policy of `stage` for `category` (the latest set), else the active one
    for every category (no category): at most one row."""
    t = models.TimeLimitPolicy
    return (
        select(t)
        .where(t.stage == stage, t.active, (t.category == category) | t.category.is_(None))
        .order_by(t.category.is_(None), t.updated_at.desc())
        .limit(1)
    )


async def stage_limit(
    session: AsyncSession, category: Category, stage: PolicyStage
) -> Limit | None:
    """The limit of `stage_policy`, else None."""
    policy = (await session.scalars(stage_policy(category, stage))).one_or_none()
    return limit_of(policy) if policy is not None else None


async def handling_limit(session: AsyncSession, category: Category) -> Limit:
    """The time limit an appeal of `category` has: the active HANDLING policy, or the
    built-in default when the operator has none."""
    limit = await stage_limit(session, category, PolicyStage.HANDLING)
    return limit if limit is not None else DEFAULT_TIME_LIMITS[category]


async def acceptance_limit(session: AsyncSession, category: Category) -> Limit | None:
    """How long the decision whether to accept an appeal of `category` may take, if a
    policy says (a formal 信访事项: 15 日 from receipt)."""
    return await stage_limit(session, category, PolicyStage.ACCEPTANCE)


async def extension_limit(session: AsyncSession, category: Category) -> Limit | None:
    """The most that extensions may add to an appeal of `category`, in all; None: no
    extension is allowed."""
    return await stage_limit(session, category, PolicyStage.EXTENSION)


USUAL_START = {
    PolicyStage.HANDLING: DeadlineStart.RECEIPT,
    PolicyStage.ACCEPTANCE: DeadlineStart.RECEIPT,
    PolicyStage.EXTENSION: DeadlineStart.PREVIOUS_DEADLINE,
    **{stage: DeadlineStart.ASSIGNMENT for stage in CHAIN_STAGES},
}


@dataclass
class PolicyChange:
    code: str
    stage: PolicyStage
    days: int
    category: Category | None = None
    description: str = ""
    active: bool = True
    unit: TimeUnit = TimeUnit.WORKING_DAYS
    counts_from: DeadlineStart | None = None  # None: the stage's usual event


def require_hall_admin(caller: Caller) -> None:
    """Only the hall's administrators (staff with ADMIN, tokens with `admin`) set policy."""
    if not sets_district_rules(caller):
        raise Forbidden("only the appeals hall's administrators set time limits")


async def set_policy(
    *, session: AsyncSession, caller: Caller, change: PolicyChange
) -> models.TimeLimitPolicy:
    """Create or update the policy `change.code`, unit and starting event included. An
    active policy replaces (deactivates) the category's other ones of the same stage.
    Applies to appeals registered from now on; existing deadlines stay as promised (an
    EXTENSION policy caps the extensions requested from now on)."""
    require_hall_admin(caller)
    code = validation.text(change.code, "code", max_length=48).upper()
    description = validation.text(change.description, "description", required=False, max_length=200)
    validation.whole_number(change.days, "days", low=1, high=MAX_DAYS)
    if change.stage is PolicyStage.HANDLING and change.category is None:
        raise BadUserInput("a handling time limit is set per category", field="category")
    counts_from = change.counts_from or USUAL_START[change.stage]
    if counts_from not in STARTS[change.stage]:
        raise BadUserInput(
            "a time limit for {stage} cannot count from {start}",
            field="countsFrom",
            params={"stage": change.stage.name, "start": counts_from.name},
        )
    await begin_write(session)
    policy = await session.scalar(
        select(models.TimeLimitPolicy).where(models.TimeLimitPolicy.code == code)
    )
    if policy is None:
        policy = models.TimeLimitPolicy(code=code)
        session.add(policy)
    policy.category, policy.stage = change.category, change.stage
    policy.days, policy.description = change.days, description or ""
    policy.unit, policy.counts_from = change.unit, counts_from
    policy.active = change.active
    if change.active:
        t = models.TimeLimitPolicy
        same_category = (
            t.category.is_(None) if change.category is None else t.category == change.category
        )
        await session.execute(
            update(t)
            .where(same_category, t.stage == change.stage, t.code != code)
            .values(active=False)
        )
    await session.commit()
    await session.refresh(policy)
    return policy


async def handling_limits(session: AsyncSession) -> dict[Category, Limit]:
    """Every category's handling limit in one read (what `handling_limit` gives for each)."""
    rows = await session.scalars(
        select(models.TimeLimitPolicy)
        .where(models.TimeLimitPolicy.stage == PolicyStage.HANDLING, models.TimeLimitPolicy.active)
        .order_by(models.TimeLimitPolicy.updated_at.asc())
    )
    limits = dict(DEFAULT_TIME_LIMITS)
    for policy in rows:  # the latest update wins, as in `handling_limit`
        if policy.category is not None:
            limits[policy.category] = limit_of(policy)
    return limits
