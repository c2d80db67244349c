"""`Query.stats` against a small fixture whose figures are worked out by hand.

The fixture lives in March 2019, a period no other test can reach (receivedAt is
at most a year ago), so the shared database does not disturb the figures.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import httpx
import pytest

from db import models
from db.models import Category, Channel, Level, Matter, PetitionStatus, Satisfaction
from resolvers.access import tokens
from tests import factories

STATS = """
query Stats($period: PeriodInput!, $groupBy: StatsGroupBy!) {
  stats(period: $period, groupBy: $groupBy) {
    from to
    rows { ...figures }
    total { ...figures }
    pyramid { inverted levels { level received } }
  }
}
fragment figures on StatsRow {
  key label received closed closedOnTime resolved dueInPeriod completedOfDue feedbackGiven
  satisfied repeats completionRate onTimeRate resolutionRate satisfactionRate repeatRate
  open dueSoon overdue backlog
}
"""
MARCH_2019 = {"from": "2019-03-01", "to": "2019-03-31"}


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00")


@pytest.fixture(scope="module")
async def march_2019(sessionmaker, world):
    """Nine appeals; the comments give each one's part in the figures."""
    orgs, regions = world.organisations, world.regions
    liulian, maluan = regions[factories.COMMUNITY], regions[factories.OTHER_COMMUNITY]
    window, other, hall = (
        orgs[factories.WINDOW],
        orgs[factories.OTHER_WINDOW],
        orgs[factories.HALL],
    )
    # key: (received by, community, level, received, due, status, closed, resolved, satisfaction)
    specs = {
        "A": (window, liulian, Level.COMMUNITY, "2019-03-04", "2019-03-13", "2019-03-10", True,
              Satisfaction.SATISFIED),
        "B": (window, liulian, Level.COMMUNITY, "2019-03-05", "2019-03-06", "2019-03-08", False,
              Satisfaction.DISSATISFIED),
        "C": (window, liulian, Level.COMMUNITY, "2019-03-20", "2019-03-29", "2019-04-02", True,
              Satisfaction.BASICALLY_SATISFIED),
        "D": (window, liulian, Level.COMMUNITY, "2019-03-25", "2019-04-01", None, None, None),
        "I": (window, liulian, Level.COMMUNITY, "2019-03-26", "2019-04-02", None, None, None),
        "E": (other, maluan, Level.STREET, "2019-03-06", "2019-03-15", "2019-03-14", True,
              Satisfaction.REFUSED),
        "F": (hall, maluan, Level.DISTRICT, "2019-03-07", "2019-03-18", "2019-03-12", False, None),
        "G": (hall, maluan, Level.DISTRICT, "2019-02-20", "2019-03-01", "2019-03-01", True,
              Satisfaction.SATISFIED),
        "H": (hall, maluan, Level.DISTRICT, "2019-02-01", "2019-02-12", "2019-02-11", True, None),
    }  # fmt: skip
    rows: dict[str, models.Petition] = {}
    async with sessionmaker() as session:
        for key, (org, community, level, received, due, closed, resolved, sat) in specs.items():
            row = models.Petition(
                number=f"T19-{uuid.uuid4().hex[:12]}",
                title=f"统计{key}",
                category=Category.COMPLAINT,
                matter=Matter.LABOUR_WAGES,
                channel=Channel.WALK_IN,
                level=level,
                status=PetitionStatus.CLOSED if closed else PetitionStatus.IN_PROGRESS,
                received_at=_at(received),
                received_by_id=org,
                community_id=community,
                due_at=datetime.fromisoformat(f"{due}T23:59:59+08:00"),
                time_limit_days=7,
                closed_at=_at(closed) if closed else None,
                resolved=resolved,
                satisfaction=sat,
            )
            rows[key] = row
            session.add(row)
        await session.flush()
        rows["D"].repeat_of_id, rows["D"].backlog = rows["A"].id, True
        rows["I"].status, rows["I"].suspended_at = PetitionStatus.SUSPENDED, _at("2019-03-27")
        await session.commit()
    return rows


async def test_the_hall_sees_every_street_figured_by_hand(hall, march_2019):
    data = await hall.data(STATS, {"period": MARCH_2019, "groupBy": "STREET"})

    stats = data["stats"]
    rows = {r["key"]: r for r in stats["rows"]}
    pingshan = rows["PS-S-PINGSHAN"]
    # Received A B C D I; D repeats A. Closed in March: A (on time, resolved, satisfied),
    # B (late, unresolved, dissatisfied); C closed in April. Due in March: A B C, of
    # which A and B were closed by the end of March. Open: D (overdue, backlog) and I
    # (suspended: its clock is paused, so not overdue).
    assert {k: pingshan[k] for k in pingshan if k != "label"} == {
        "key": "PS-S-PINGSHAN",
        "received": 5, "closed": 2, "closedOnTime": 1, "resolved": 1,
        "dueInPeriod": 3, "completedOfDue": 2, "feedbackGiven": 2, "satisfied": 1,
        "repeats": 1,
        "completionRate": pytest.approx(2 / 3, abs=1e-6), "onTimeRate": 0.5,
        "resolutionRate": 0.5, "satisfactionRate": 0.5, "repeatRate": 0.2,
        "open": 2, "dueSoon": 0, "overdue": 1, "backlog": 1,
    }  # fmt: skip
    maluan = rows["PS-S-MALUAN"]
    # Received E F (G came in February). Closed in March: E F G, all on time, E and G
    # resolved; E refused feedback and F gave none, so only G's answer counts. H was
    # received, due and closed in February: not in March at all.
    assert {k: maluan[k] for k in maluan if k not in ("label", "key")} == {
        "received": 2, "closed": 3, "closedOnTime": 3, "resolved": 2,
        "dueInPeriod": 3, "completedOfDue": 3, "feedbackGiven": 1, "satisfied": 1,
        "repeats": 0,
        "completionRate": 1.0, "onTimeRate": 1.0,
        "resolutionRate": pytest.approx(2 / 3, abs=1e-6), "satisfactionRate": 1.0,
        "repeatRate": 0.0, "open": 0, "dueSoon": 0, "overdue": 0, "backlog": 0,
    }  # fmt: skip
    assert set(rows) == {"PS-S-PINGSHAN", "PS-S-MALUAN"}
    assert stats["total"]["received"] == 7
    assert stats["total"]["closed"] == 5
    assert stats["total"]["completionRate"] == pytest.approx(5 / 6, abs=1e-6)
    # Pyramid: community 5 (A B C D I), street 1 (E), district 1 (F), city 0 — positive.
    assert stats["pyramid"] == {
        "inverted": False,
        "levels": [
            {"level": "COMMUNITY", "received": 5},
            {"level": "STREET", "received": 1},
            {"level": "DISTRICT", "received": 1},
            {"level": "CITY", "received": 0},
        ],
    }


async def test_other_groupings_add_up_to_the_same_total(hall, march_2019):
    for group_by in ("ORGANISATION", "COMMUNITY", "CATEGORY", "MATTER"):
        data = await hall.data(STATS, {"period": MARCH_2019, "groupBy": group_by})
        rows = data["stats"]["rows"]
        assert sum(r["received"] for r in rows) == 7, group_by
        assert sum(r["closed"] for r in rows) == 5, group_by
    by_org = await hall.data(STATS, {"period": MARCH_2019, "groupBy": "ORGANISATION"})
    received = {r["key"]: r["received"] for r in by_org["stats"]["rows"]}
    assert received == {factories.WINDOW: 5, factories.OTHER_WINDOW: 1, factories.HALL: 1}


async def test_a_caller_sees_figures_for_its_own_slice_only(
    window, street_platform, labour_committee, client_for, march_2019
):
    other_window = await client_for(factories.OTHER_WINDOW)

    mine = (await window.data(STATS, {"period": MARCH_2019, "groupBy": "STREET"}))["stats"]
    street = (await street_platform.data(STATS, {"period": MARCH_2019, "groupBy": "STREET"}))[
        "stats"
    ]
    partner = (await labour_committee.data(STATS, {"period": MARCH_2019, "groupBy": "STREET"}))[
        "stats"
    ]
    other = (await other_window.data(STATS, {"period": MARCH_2019, "groupBy": "STREET"}))["stats"]

    assert [(r["key"], r["received"]) for r in mine["rows"]] == [("PS-S-PINGSHAN", 5)]
    assert [(r["key"], r["received"]) for r in street["rows"]] == [("PS-S-PINGSHAN", 5)]
    assert partner["rows"] == [] and partner["total"]["received"] == 0
    # The other window received only E, at street level: its pyramid is inverted.
    assert [(r["key"], r["received"]) for r in other["rows"]] == [("PS-S-MALUAN", 1)]
    assert other["pyramid"]["inverted"] is True


async def test_a_backwards_period_is_bad_user_input(hall):
    error = await hall.error(
        STATS, {"period": {"from": "2019-03-31", "to": "2019-03-01"}, "groupBy": "STREET"}
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_leaders_see_the_whole_district_and_their_staff_only_their_slice(
    server, session, march_2019, hall
):
    from tests.test_signin import csrf_of, sign_in

    # Given a leader and a handler of the labour mediation committee (whose slice holds
    # none of March 2019's appeals)
    for username, role in (
        ("lmc.leader.stats", models.Role.LEADER),
        ("lmc.handler.stats", models.Role.HANDLER),
    ):
        await tokens.create_user(
            session=session,
            caller=None,
            organisation_code=factories.LMC,
            username=username,
            password="correct horse battery",
            roles=[role],
        )
    everything = (await hall.data(STATS, {"period": MARCH_2019, "groupBy": "STREET"}))["stats"]

    totals = {}
    for username in ("lmc.leader.stats", "lmc.handler.stats"):
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as browser:
            await sign_in(browser, username)
            token = csrf_of(await browser.get("/login"))
            answer = await browser.post(
                "/graphql",
                headers={"X-CSRF-Token": token},
                json={"query": STATS, "variables": {"period": MARCH_2019, "groupBy": "STREET"}},
            )
        totals[username] = answer.json()["data"]["stats"]["total"]["received"]

    # Then the leader's figures are the district's, the handler's are empty
    assert totals["lmc.leader.stats"] == everything["total"]["received"] > 0
    assert totals["lmc.handler.stats"] == 0
