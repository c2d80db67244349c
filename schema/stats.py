"""`Query.stats`: the figures leaders watch, for the caller's slice."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

import strawberry

from resolvers.backlog import figures as backlog_figures
from resolvers.stats import figures as stats
from schema.common import Info
from schema.credit.figures import CreditFigures, credit_figures
from schema.disputes.figures import DisputeFigures, dispute_figures
from schema.enums import Level

StatsGroupBy = strawberry.enum(
    stats.GroupBy,
    name="StatsGroupBy",
    description="How the figures are grouped (by the appeal's attribute).",
)


@strawberry.input(description="A period of whole local days, both ends included.")
class PeriodInput:
    from_: date = strawberry.field(name="from", description="The first day.")
    to: date = strawberry.field(description="The last day.")


@strawberry.type(description="One group's figures (README, 'Figures', defines each).")
class StatsRow:
    key: str = strawberry.field(
        description="The group: an organisation or region code, a category or matter name; "
        "`NONE` when unset; `TOTAL` for the total."
    )
    label: str = strawberry.field(description="The group's name.")
    received: int = strawberry.field(description="Appeals received in the period.")
    closed: int = strawberry.field(description="Appeals closed (办结) in the period.")
    closed_on_time: int = strawberry.field(description="Of those closed, closed by their deadline.")
    resolved: int = strawberry.field(description="Of those closed, resolved (化解).")
    due_in_period: int = strawberry.field(description="Appeals whose deadline falls in the period.")
    completed_of_due: int = strawberry.field(
        description="Of those due in the period, closed by the period's end."
    )
    feedback_given: int = strawberry.field(
        description="Of those closed, with a satisfaction answer (refused/unreachable excluded)."
    )
    satisfied: int = strawberry.field(
        description="Of those with feedback, satisfied or basically satisfied."
    )
    repeats: int = strawberry.field(description="Of those received, repeat appeals (重复访).")
    completion_rate: float | None = strawberry.field(
        description="办结率: completedOfDue ÷ dueInPeriod; null when nothing was due."
    )
    on_time_rate: float | None = strawberry.field(description="closedOnTime ÷ closed.")
    resolution_rate: float | None = strawberry.field(description="化解率: resolved ÷ closed.")
    satisfaction_rate: float | None = strawberry.field(description="satisfied ÷ feedbackGiven.")
    repeat_rate: float | None = strawberry.field(description="repeats ÷ received.")
    open: int = strawberry.field(description="Of those received, not closed now.")
    due_soon: int = strawberry.field(
        description="Of those open and awaiting an answer, due within one working day from now."
    )
    overdue: int = strawberry.field(
        description="Of those open and awaiting an answer, past their deadline now."
    )
    backlog: int = strawberry.field(description="Of those open, backlog cases (积案).")

    @classmethod
    def from_row(cls, row: stats.StatsRow) -> Self:
        return cls(
            key=row.key,
            label=row.label,
            received=row.received,
            closed=row.closed,
            closed_on_time=row.closed_on_time,
            resolved=row.resolved,
            due_in_period=row.due,
            completed_of_due=row.completed,
            feedback_given=row.feedback,
            satisfied=row.satisfied,
            repeats=row.repeats,
            completion_rate=row.completion_rate,
            on_time_rate=row.on_time_rate,
            resolution_rate=row.resolution_rate,
            satisfaction_rate=row.satisfaction_rate,
            repeat_rate=row.repeat_rate,
            open=row.open,
            due_soon=row.due_soon,
            overdue=row.overdue,
            backlog=row.backlog,
        )


@strawberry.type(description="Appeals received at one level (走访金字塔).")
class PyramidLevel:
    level: Level = strawberry.field(description="The level of receipt.")
    received: int = strawberry.field(description="Appeals received there in the period.")


@strawberry.type(description="The visit pyramid: community ≥ street ≥ district ≥ city is healthy.")
class VisitPyramid:
    levels: list[PyramidLevel] = strawberry.field(description="From community up to city.")
    inverted: bool = strawberry.field(
        description="Whether any level received more appeals than the level below it."
    )


@strawberry.type(description="Backlog cases (积案) in the period, in the caller's slice.")
class BacklogStats:
    opened: int = strawberry.field(description="Cases opened in the period.")
    reviews: int = strawberry.field(description="Reviews held in the period.")
    reviewed_on_time: int = strawberry.field(
        description="Of those reviews, held on or before the day they were due."
    )
    settled: int = strawberry.field(description="Cases closed (销号) in the period.")
    open_now: int = strawberry.field(description="Cases open now.")
    overdue_now: int = strawberry.field(
        description="Open cases whose review or supervision is overdue now."
    )


@strawberry.type(description="The figures leaders watch, for the caller's slice only.")
class Stats:
    from_: date = strawberry.field(name="from", description="The period's first day.")
    to: date = strawberry.field(description="The period's last day.")
    rows: list[StatsRow] = strawberry.field(description="One row per group, most received first.")
    total: StatsRow = strawberry.field(description="All groups together.")
    pyramid: VisitPyramid = strawberry.field(description="The visit pyramid for the period.")

    @strawberry.field(
        description="The 访调心裁 chain: mediations and their outcomes, arbitration, lawsuits."
    )
    async def disputes(self, info: Info) -> DisputeFigures:
        return await dispute_figures(info, self.from_, self.to)

    @strawberry.field(
        description="Credit supervision: proposals, records taking effect, rejections and "
        "repairs, by kind and street (needs `credit:read`)."
    )
    async def credit(self, info: Info) -> CreditFigures:
        return await credit_figures(info, self.from_, self.to)

    @strawberry.field(description="Backlog cases opened, reviewed (on time) and settled.")
    async def backlog_cases(self, info: Info) -> BacklogStats:
        tz = info.context.services.tz
        figures = await info.context.call(
            backlog_figures.backlog_figures,
            start=self.from_,
            end=self.to,
            today=info.context.now.astimezone(tz).date(),
            tz=tz,
        )
        return BacklogStats(
            opened=figures.opened,
            reviews=figures.reviews,
            reviewed_on_time=figures.reviewed_on_time,
            settled=figures.settled,
            open_now=figures.open_now,
            overdue_now=figures.overdue_now,
        )


async def resolve_stats(
    info: Info,
    period: Annotated[PeriodInput, strawberry.argument(description="The days counted.")],
    group_by: Annotated[
        StatsGroupBy,  # type: ignore[valid-type]
        strawberry.argument(description="How the rows are grouped."),
    ],
) -> Stats:
    result = await info.context.call(
        stats.petition_stats,
        services=info.context.services,
        start=period.from_,
        end=period.to,
        group_by=group_by,
        now=info.context.now,
    )
    return Stats(
        from_=result.start,
        to=result.end,
        rows=[StatsRow.from_row(r) for r in result.rows],
        total=StatsRow.from_row(result.total),
        pyramid=VisitPyramid(
            levels=[PyramidLevel(level=lv, received=n) for lv, n in result.pyramid],
            inverted=result.inverted,
        ),
    )
