"""The deadline watcher: `DEADLINE_APPROACHING` and `OVERDUE`, exactly once each.

"Exactly once" is the database's promise: a `deadline_alerts` row with a unique
(petition, assignment, clock, kind) key is inserted with ON CONFLICT DO NOTHING, and the
event is written only when that insert took — in the same transaction. Any number
of watchers (workers, machines, a restarted process) may run the same pass.

An appeal has two clocks: a formal 信访事项 runs on its acceptance decision's deadline
until it is accepted (ACCEPTANCE), then on its handling deadline (HANDLING); each
clock gets its own alerts. Assignments are always HANDLING.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import models
from db.engine import begin_write
from db.models import EventKind, PolicyStage
from resolvers import metrics
from resolvers.access.policy import ACTIVE_ASSIGNMENT
from resolvers.credit.proposals import propose_from_outcomes
from resolvers.deadlines import standing
from resolvers.disputes.tiers import run_dispute_watch
from resolvers.events.timeline import record_system_event
from resolvers.services import Services

BATCH = 500
log = logging.getLogger("petition_hub.watcher")


@dataclass
class WatchResult:
    approaching: int = 0
    overdue: int = 0
    tiers_escalated: int = 0
    instalments_missed: int = 0
    credit_proposed: int = 0


async def run_watch(session: AsyncSession, now: datetime, services: Services) -> WatchResult:
    """One pass: raise every alert that is due and not yet raised, a batch per transaction."""
    result = WatchResult()
    soon = standing.due_soon_until(now, services)
    for kind, lower, upper in (
        (EventKind.OVERDUE, None, now),
        (EventKind.DEADLINE_APPROACHING, now, soon),
    ):
        while True:
            await begin_write(session)
            raised = 0
            for petition_id, assignment_id, clock, due_at in await _candidates(
                session, kind, lower, upper
            ):
                if await _claim(session, petition_id, assignment_id, clock, kind, now):
                    data = {"dueAt": due_at.astimezone(services.tz).isoformat()}
                    if clock is PolicyStage.ACCEPTANCE:
                        data["clock"] = clock.name
                    record_system_event(
                        session,
                        petition_id=petition_id,
                        assignment_id=assignment_id,
                        kind=kind,
                        occurred_at=now,
                        data=data,
                    )
                    raised += 1
            await session.commit()
            if kind is EventKind.OVERDUE:
                result.overdue += raised
            else:
                result.approaching += raised
            if raised == 0:  # nothing left, or another watcher took the rest
                break
    # The dispute chain's clocks: metro tiers whose limit passed, instalments missed.
    while True:
        disputes = await run_dispute_watch(session, now, services)
        result.tiers_escalated += disputes.tiers_escalated
        result.instalments_missed += disputes.instalments_missed
        if not (disputes.tiers_escalated or disputes.instalments_missed):
            break
    # Credit proposals from those outcomes: missed instalments, unpaid awards, judgments.
    while proposed := await propose_from_outcomes(session, now, services):
        result.credit_proposed += proposed
    return result


def _not_alerted(
    petition_id: Any, assignment_key: Any, clock: PolicyStage, kind: EventKind
) -> ColumnElement[bool]:
    alert = models.DeadlineAlert
    return ~exists().where(
        alert.petition_id == petition_id,
        alert.assignment_key == assignment_key,
        alert.clock == clock,
        alert.kind == kind,
    )


def _on_clock(clock: PolicyStage) -> ColumnElement[bool]:
    """The appeals whose running deadline is `clock`'s."""
    acceptance = standing.acceptance_clock()
    return acceptance if clock is PolicyStage.ACCEPTANCE else ~acceptance


async def _candidates(
    session: AsyncSession, kind: EventKind, lower: datetime | None, upper: datetime
) -> list[tuple[int, int | None, PolicyStage, datetime]]:
    p, a = models.Petition, models.Assignment
    overdue = kind is EventKind.OVERDUE
    petition_due = p.due_at < upper if overdue else p.due_at <= upper
    assignment_due = a.due_at < upper if overdue else a.due_at <= upper
    rows: list[tuple[int, int | None, PolicyStage, datetime]] = []
    for clock in (PolicyStage.ACCEPTANCE, PolicyStage.HANDLING):
        petitions = select(p.id, p.due_at).where(
            standing.clock_running(),
            _on_clock(clock),
            petition_due,
            _not_alerted(p.id, 0, clock, kind),
        )
        if lower is not None:
            petitions = petitions.where(p.due_at >= lower)
        rows += [
            (pid, None, clock, due)
            for pid, due in (await session.execute(petitions.limit(BATCH))).all()
        ]
    assignments = select(a.petition_id, a.id, a.due_at).where(
        a.status.in_(ACTIVE_ASSIGNMENT),
        assignment_due,
        _not_alerted(a.petition_id, a.id, PolicyStage.HANDLING, kind),
    )
    if lower is not None:
        assignments = assignments.where(a.due_at >= lower)
    rows += [
        (pid, aid, PolicyStage.HANDLING, due)
        for pid, aid, due in (
            await session.execute(
                assignments.join(p, and_(p.id == a.petition_id, p.suspended_at.is_(None))).limit(
                    BATCH
                )
            )
        ).all()
    ]
    return rows


async def _claim(
    session: AsyncSession,
    petition_id: int,
    assignment_id: int | None,
    clock: PolicyStage,
    kind: EventKind,
    now: datetime,
) -> bool:
    """Insert the alert's key; True only for the watcher whose insert took."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(models.DeadlineAlert)
        .values(
            petition_id=petition_id,
            assignment_key=assignment_id or 0,
            clock=clock,
            kind=kind,
            raised_at=now,
        )
        .on_conflict_do_nothing(index_elements=["petition_id", "assignment_key", "clock", "kind"])
        .returning(models.DeadlineAlert.id)
    )
    return (await session.execute(statement)).scalar_one_or_none() is not None


async def watch_forever(sessionmaker: async_sessionmaker[AsyncSession], services: Services) -> None:
    """Run a pass every `watch_interval` seconds until cancelled. Each pass first reloads
    the calendar, so a year imported by the CLI reaches every worker."""
    from resolvers.deadlines.calendars import load_calendar

    while True:
        try:
            with metrics.WATCHER_PASS_SECONDS.time():
                async with sessionmaker() as session:
                    services.calendar = await load_calendar(session)
                    await session.commit()
                    result = await run_watch(session, models.utcnow(), services)
            metrics.WATCHER_PASSES.inc()
            metrics.WATCHER_ALERTS.labels("DEADLINE_APPROACHING").inc(result.approaching)
            metrics.WATCHER_ALERTS.labels("OVERDUE").inc(result.overdue)
            if any(vars(result).values()):
                log.info("deadline watcher raised alerts", extra=vars(result))
        except asyncio.CancelledError:
            raise
        except Exception:  # a failed pass is retried by the next one
            log.exception("deadline watcher pass failed")
        await asyncio.sleep(max(services.settings.watch_interval, 1))
