"""`Query.stats` against every figure counted one appeal at a time in Python.

`petition_stats` reduces each appeal to a profile (one bit per figure it counts in) and
sums over (group, profile); this test builds 240 varied appeals in June 2017 (a period
no other test reaches) — every status, level and satisfaction, closed or due on either
side of the period, suspended, backlog, repeats with links across slices, assignments —
and holds every figure of every group, for five callers and every grouping, to a count
made here from the rows themselves, before and after a series of changes.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from db import models
from db.models import (
    AWAITING_ANSWER,
    AssignmentRole,
    AssignmentStatus,
    Category,
    Channel,
    Level,
    Matter,
    PetitionStatus,
    Satisfaction,
)
from tests import factories

FIGURES = """
query Stats($period: PeriodInput!, $groupBy: StatsGroupBy!) {
  stats(period: $period, groupBy: $groupBy) {
    rows { ...figures }
    total { ...figures }
    pyramid { levels { level received } }
  }
}
fragment figures on StatsRow {
  key received repeats closed closedOnTime resolved feedbackGiven satisfied dueInPeriod
  completedOfDue open dueSoon overdue backlog
}
"""
JUNE_2017 = {"from": "2017-06-01", "to": "2017-06-30"}
LO = datetime.fromisoformat("2017-06-01T00:00:00+08:00")
HI = datetime.fromisoformat("2017-07-01T00:00:00+08:00")
NAMES = (
    "received repeats closed closedOnTime resolved feedbackGiven satisfied dueInPeriod "
    "completedOfDue open dueSoon overdue backlog"
).split()
CALLERS = (
    factories.HALL,
    factories.WINDOW,
    factories.OTHER_WINDOW,
    factories.STREET,
    factories.LMC,
)
GROUPINGS = ("STREET", "COMMUNITY", "ORGANISATION", "CATEGORY", "MATTER")


@dataclass
class Appeal:
    row: models.Petition
    earlier: list[int] = field(default_factory=list)  # ids of the appeals it repeats
    assigned: set[int] = field(default_factory=set)  # organisations it was assigned to


def _within(moment: datetime | None) -> bool:
    return moment is not None and LO <= moment < HI


def _figures(appeal: Appeal, repeat: bool, now: datetime) -> dict[str, bool]:
    """Which figures one appeal counts in (README, "Figures"), one at a time."""
    p = appeal.row
    received = _within(p.received_at)
    closed = p.status is PetitionStatus.CLOSED and _within(p.closed_at)
    due = _within(p.due_at)
    open_ = received and p.status is not PetitionStatus.CLOSED
    running = p.status in AWAITING_ANSWER and p.suspended_at is None
    given = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.DISSATISFIED)
    return {
        "received": received,
        "repeats": received and repeat,
        "closed": closed,
        "closedOnTime": closed and p.closed_at is not None and p.closed_at <= p.due_at,
        "resolved": closed and p.resolved is True,
        "feedbackGiven": closed and p.satisfaction in given,
        "satisfied": closed and p.satisfaction in given[:2],
        "dueInPeriod": due,
        "completedOfDue": due
        and p.status is PetitionStatus.CLOSED
        and p.closed_at is not None
        and p.closed_at < HI,
        "open": open_,
        # within the next working day's end: the fixture's are due an hour after it is made
        "dueSoon": open_ and running and now <= p.due_at <= now + timedelta(days=1),
        "overdue": open_ and running and p.due_at < now,
        "backlog": open_ and p.backlog,
        **{f"level_{lv.name}": received and p.level is lv for lv in Level},
    }


@pytest.fixture(scope="module")
async def june_2017(sessionmaker, world):
    """240 appeals, deterministic; received from mid-May to mid-July 2017."""
    rng = random.Random(2017)
    orgs, regions = world.organisations, world.regions
    receivers = [orgs[c] for c in (factories.WINDOW, factories.OTHER_WINDOW, factories.HALL)]
    receivers.append(orgs[factories.STREET])
    communities = [regions[factories.COMMUNITY], regions[factories.OTHER_COMMUNITY], None]
    appeals: dict[int, Appeal] = {}
    async with sessionmaker() as session:
        for n in range(240):
            received = LO + timedelta(days=rng.randint(-20, 44), hours=rng.randint(0, 23))
            status = rng.choice(list(PetitionStatus))
            due = received + timedelta(days=rng.randint(0, 25))
            if status is not PetitionStatus.CLOSED and rng.random() < 0.1:
                due = datetime.now(UTC) + timedelta(hours=1)  # due soon
            closed_at = None
            if status is PetitionStatus.CLOSED or rng.random() < 0.1:  # or reopened since
                closed_at = due + timedelta(days=rng.randint(-8, 8), hours=rng.randint(0, 5))
            row = models.Petition(
                number=f"T17-{uuid.uuid4().hex[:12]}",
                title=f"统计{n}",
                category=rng.choice(list(Category)),
                matter=rng.choice(list(Matter)),
                channel=rng.choice(list(Channel)),
                level=rng.choice(list(Level)),
                status=status,
                received_at=received,
                received_by_id=rng.choice(receivers),
                community_id=rng.choice(communities),
                due_at=due,
                time_limit_days=7,
                closed_at=closed_at,
                resolved=(True, False, None)[n % 3],
                satisfaction=[*Satisfaction, None][n % (len(Satisfaction) + 1)],
                backlog=rng.random() < 0.2,
                suspended_at=received if rng.random() < 0.15 else None,
            )
            session.add(row)
            await session.flush()
            appeal = appeals[row.id] = Appeal(row)
            earlier = [a for a in appeals.values() if a.row.received_at < received]
            if earlier and rng.random() < 0.3:
                picked = rng.sample(earlier, k=min(len(earlier), rng.randint(1, 2)))
                row.repeat_of_id = picked[0].row.id
                for other in picked:
                    appeal.earlier.append(other.row.id)
                    session.add(models.PetitionRepeat(petition_id=row.id, earlier_id=other.row.id))
            if rng.random() < 0.3:
                org = rng.choice([orgs[factories.LMC], orgs[factories.WINDOW]])
                appeal.assigned.add(org)
                session.add(_assignment(row, org))
        await session.commit()
    return appeals


def _assignment(row: models.Petition, org: int) -> models.Assignment:
    return models.Assignment(
        petition_id=row.id,
        organisation_id=org,
        role=AssignmentRole.LEAD,
        status=AssignmentStatus.ACCEPTED,
        assigned_at=row.received_at,
        due_at=row.due_at,
    )


async def _expected(session, world, appeals: dict[int, Appeal], org_code: str, group_by: str):
    """Every group's figures for `org_code`'s slice, counted one appeal at a time."""
    org = await session.scalar(
        select(models.Organisation).where(models.Organisation.code == org_code)
    )
    regions = {r.id: r for r in await session.scalars(select(models.Region))}
    codes = {o.id: o.code for o in await session.scalars(select(models.Organisation))}

    def sees(a: Appeal) -> bool:
        if org.kind is models.OrganisationKind.APPEALS_HALL:
            return True
        community = regions.get(a.row.community_id) if a.row.community_id else None
        return (
            a.row.received_by_id == org.id
            or org.id in a.assigned
            or (
                org.kind is models.OrganisationKind.STREET_PLATFORM
                and community is not None
                and community.parent_id == org.region_id
            )
        )

    def key(a: Appeal) -> str:
        p = a.row
        community = regions.get(p.community_id) if p.community_id else None
        match group_by:
            case "STREET":
                return regions[community.parent_id].code if community else "NONE"
            case "COMMUNITY":
                return community.code if community else "NONE"
            case "ORGANISATION":
                return codes[p.received_by_id]
            case "CATEGORY":
                return p.category.name
            case _:
                return p.matter.name

    now = datetime.now(UTC)
    groups: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(NAMES, 0))
    for a in appeals.values():
        p = a.row
        if not sees(a) or not (_within(p.received_at) or _within(p.closed_at) or _within(p.due_at)):
            continue
        if org.kind is models.OrganisationKind.APPEALS_HALL:
            repeat = p.repeat_of_id is not None
        else:
            repeat = any(sees(appeals[e]) for e in a.earlier)
        counted = groups[key(a)]
        for name, holds in _figures(a, repeat, now).items():
            counted[name] = counted.get(name, 0) + int(holds)
    return dict(groups)


async def _check_all(client_for, session, world, appeals):
    for org_code in CALLERS:
        client = await client_for(org_code)
        for group_by in GROUPINGS:
            data = await client.data(FIGURES, {"period": JUNE_2017, "groupBy": group_by})
            stats = data["stats"]
            expected = await _expected(session, world, appeals, org_code, group_by)
            got = {r["key"]: {n: r[n] for n in NAMES} for r in stats["rows"]}
            want = {k: {n: v[n] for n in NAMES} for k, v in expected.items()}
            assert got == want, (org_code, group_by)
            levels = {lv["level"]: lv["received"] for lv in stats["pyramid"]["levels"]}
            for level, received in levels.items():
                assert received == sum(g[f"level_{level}"] for g in expected.values()), (
                    org_code,
                    level,
                )
    return True


async def test_every_figure_equals_a_count_of_the_appeals(client_for, session, world, june_2017):
    # The fixture reaches every figure for the hall
    hall = await _expected(session, world, june_2017, factories.HALL, "CATEGORY")
    total = {name: sum(g[name] for g in hall.values()) for name in NAMES}
    # and tells each figure from the one it lies within
    for part, whole in (
        ("repeats", "received"),
        ("open", "received"),
        ("backlog", "open"),
        ("overdue", "open"),
        ("dueSoon", "open"),
        ("closedOnTime", "closed"),
        ("resolved", "closed"),
        ("feedbackGiven", "closed"),
        ("satisfied", "feedbackGiven"),
        ("completedOfDue", "dueInPeriod"),
    ):
        assert 0 < total[part] < total[whole], (part, whole, total)
    assert await _check_all(client_for, session, world, june_2017)


async def test_the_figures_follow_changes_of_the_appeals(
    client_for, sessionmaker, session, world, june_2017
):
    # Given a series of changes: closings, reopenings, suspensions, new assignments and
    # appeals moved between communities and levels
    rng = random.Random(6)
    async with sessionmaker() as s:
        for appeal in rng.sample(list(june_2017.values()), k=40):
            row = await s.get(models.Petition, appeal.row.id)
            assert row is not None
            change = rng.randrange(4)
            if change == 0:
                row.status, row.closed_at = PetitionStatus.CLOSED, LO + timedelta(days=20)
            elif change == 1:
                row.status, row.suspended_at = PetitionStatus.REOPENED, None
            elif change == 2:
                row.community_id = world.regions[factories.OTHER_COMMUNITY]
                row.level = Level.CITY
            else:
                org = world.organisations[factories.LMC]
                if org not in appeal.assigned:
                    appeal.assigned.add(org)
                    s.add(_assignment(row, org))
            await s.flush()
            appeal.row = row
        await s.commit()
    # Then every figure still equals the count
    assert await _check_all(client_for, session, world, june_2017)
