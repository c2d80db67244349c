"""Issue 12's "Done when", end to end through GraphQL over HTTP: a mediation
agreement's missed instalment proposes a wage-arrears record; the credit centre confirms
it; the court station and the mediator see it on the employer's public profile while a
restricted warning stays invisible to them; the debt is paid, the centre records the
repair, and the profile shows it."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from db import models
from tests import factories
from tests.credit import (
    CREDIT,
    agreed_mediation,
    credit_refused,
    credit_step,
    credit_world,  # noqa: F401 - a fixture
    new_employer,
    profile,
    records,
    watch,
)
from tests.disputes import (
    APAN,
    act,
    dispute_world,  # noqa: F401 - a fixture
)
from tests.steps import timeline
from tests.streams import subscription

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _kinds(shown: list[dict]) -> list[tuple[str, str]]:
    return sorted((r["kind"], r["status"]) for r in shown)


async def test_a_missed_instalment_becomes_wage_arrears_then_a_repair(
    client_for,
    sessionmaker,
    settings,
    credit_world,  # noqa: F811
):
    window, apan = await client_for(factories.WINDOW), await client_for(APAN)
    centre, court = await client_for(CREDIT), await client_for(factories.COURT)
    hall, committee = await client_for(factories.HALL), await client_for(factories.LMC)
    uscc, name = new_employer()
    today = models.utcnow().astimezone(SHANGHAI).date()

    # Given an agreement in two instalments, the employer signing a credit commitment
    appeal, case = await agreed_mediation(
        window, apan, uscc=uscc, name=name, creditCommitment=True,
        instalments=[
            {"dueOn": today.isoformat(), "amount": "30000"},
            {"dueOn": (today + timedelta(days=10)).isoformat(), "amount": "20000"},
        ],
    )  # fmt: skip
    await act(apan, "recordPayment", id=case["id"], instalment=1, amount="30000",
              paidOn=today.isoformat())  # fmt: skip
    [commitment] = await profile(court, uscc)
    assert (commitment["kind"], commitment["status"], commitment["stage"]) == (
        "COMMITMENT", "CONFIRMED", "DURING",
    )  # fmt: skip
    assert commitment["recordedBy"]["code"] == APAN

    # When the second instalment's day passes unpaid: the watcher proposes wage arrears, once
    later = models.utcnow() + timedelta(days=12)
    first = await watch(sessionmaker, settings, later)
    again = await watch(sessionmaker, settings, later)
    assert first.credit_proposed >= 1 and again.credit_proposed == 0
    [proposal] = await records(centre, uscc=uscc, status="PROPOSED")
    assert (proposal["kind"], proposal["stage"], proposal["recordedBy"]["code"]) == (
        "WAGE_ARREARS", "AFTER", APAN,
    )  # fmt: skip
    assert [e["kind"] for e in proposal["events"]] == ["CREDIT_PROPOSED"]
    # the proposal is the centre's and the mediator's (whose outcome raised it), no one else's
    assert [r["id"] for r in await records(apan, uscc=uscc, status="PROPOSED")] == [proposal["id"]]
    for other in (court, hall, committee):
        assert await records(other, uscc=uscc, status="PROPOSED") == [], other.org
        assert _kinds(await profile(other, uscc)) == [("COMMITMENT", "CONFIRMED")], other.org

    # Then the credit centre confirms it (a stale version first: CONFLICT)
    stale = await credit_refused(
        centre, "confirmCreditProposal", id=proposal["id"], expectedVersion=proposal["version"] + 1
    )
    assert stale["extensions"]["code"] == "CONFLICT"
    confirmed = await credit_step(
        centre, "confirmCreditProposal", id=proposal["id"], expectedVersion=proposal["version"]
    )
    assert (confirmed["status"], confirmed["version"]) == ("CONFIRMED", proposal["version"] + 1)
    twice = await credit_refused(centre, "confirmCreditProposal", id=proposal["id"])
    assert twice["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}

    # and records a restricted warning of its own
    warning = await credit_step(
        centre, "recordCreditRecord", uscc=uscc, kind="WARNING", public=False,
        summary="多次拖延支付工资，约谈警示",
    )  # fmt: skip
    assert (warning["status"], warning["public"], warning["stage"]) == (
        "CONFIRMED", False, "BEFORE",
    )  # fmt: skip

    # The court station and the mediator see the record on the public profile; the
    # restricted warning stays invisible to them (and to everyone but the centre)
    public = [("COMMITMENT", "CONFIRMED"), ("WAGE_ARREARS", "CONFIRMED")]
    for partner in (court, apan, committee, hall):
        assert _kinds(await profile(partner, uscc)) == public, partner.org
        assert await records(partner, uscc=uscc, kind="WARNING") == [], partner.org
    assert _kinds(await profile(centre, uscc)) == sorted([*public, ("WARNING", "CONFIRMED")])

    # A repair before the debt is paid is refused
    early = await credit_refused(centre, "recordCreditRepair", id=proposal["id"], reason="已付清")
    assert early["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}

    # When the debt is paid, the centre records the repair
    await act(apan, "recordPayment", id=case["id"], instalment=2, amount="20000",
              paidOn=today.isoformat())  # fmt: skip
    repair = await credit_step(
        centre, "recordCreditRepair", id=proposal["id"], reason="欠薪已全部支付，准予信用修复",
        expectedVersion=confirmed["version"],
    )  # fmt: skip
    assert (repair["kind"], repair["status"], repair["repairs"]["id"]) == (
        "REPAIR", "CONFIRMED", proposal["id"],
    )  # fmt: skip

    # Then the profile shows it: the record repaired (its effect ended, its history kept)
    for partner in (court, apan):
        shown = await profile(partner, uscc)
        assert _kinds(shown) == sorted(
            [("COMMITMENT", "CONFIRMED"), ("REPAIR", "CONFIRMED"), ("WAGE_ARREARS", "REPAIRED")]
        ), partner.org
        [arrears] = [r for r in shown if r["kind"] == "WAGE_ARREARS"]
        assert arrears["effectiveUntil"] == today.isoformat()
        assert arrears["repairedBy"]["id"] == repair["id"]
        assert [e["kind"] for e in arrears["events"]] == [
            "CREDIT_PROPOSED", "CREDIT_CONFIRMED", "CREDIT_REPAIRED",
        ]  # fmt: skip

    # And the appeal's timeline holds the public credit steps (never the proposal)
    kinds = [e["kind"] for e in (await timeline(hall, appeal["id"]))["events"]]
    assert kinds.count("CREDIT_RECORDED") == 2  # the commitment and the confirmation
    assert kinds.count("CREDIT_REPAIRED") == 1


def _token(client) -> str:
    return client.http.headers["authorization"].split()[1]


async def test_the_stream_carries_a_public_record_taking_effect_and_nothing_else(
    client_for,
    server,
    credit_world,  # noqa: F811
):
    window, apan = await client_for(factories.WINDOW), await client_for(APAN)
    centre, court = await client_for(CREDIT), await client_for(factories.COURT)
    uscc, name = new_employer()
    today = models.utcnow().astimezone(SHANGHAI).date()
    appeal, _ = await agreed_mediation(
        window, apan, uscc=uscc, name=name,
        instalments=[{"dueOn": (today + timedelta(days=100)).isoformat(), "amount": "100"}],
    )  # fmt: skip
    kinds = ["CREDIT_RECORDED", "CREDIT_REPAIRED"]
    async with (
        subscription(server.url, _token(window)) as watching,
        subscription(server.url, _token(court)) as outside,
    ):
        await watching.subscribe(kinds=kinds)
        await outside.subscribe(kinds=kinds)
        # proposals from the appeal, and a restricted record confirmed: on no stream
        proposal = await credit_step(apan, "recordCreditRecord", uscc=uscc, kind="WAGE_ARREARS",
                                     summary="拖欠", petition=appeal["id"])  # fmt: skip
        restricted = await credit_step(apan, "recordCreditRecord", uscc=uscc, kind="WARNING",
                                       public=False, summary="拒不到场", petition=appeal["id"])  # fmt: skip
        await credit_step(centre, "confirmCreditProposal", id=restricted["id"])
        # the public proposal confirmed: a record taking effect, on the appeal's stream
        await credit_step(centre, "confirmCreditProposal", id=proposal["id"])
        event = await watching.event()
        assert (event["kind"], event["petition"]["id"]) == ("CREDIT_RECORDED", appeal["id"])
        assert event["data"] == {"creditRecord": int(proposal["id"]), "kind": "WAGE_ARREARS"}
        assert await watching.nothing_for(0.5)
        assert await outside.nothing_for(0.5)  # the court does not see the appeal
