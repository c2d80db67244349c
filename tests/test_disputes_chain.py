"""The seed's two stories of the 访调心裁 chain, end to end through GraphQL."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from db import models
from resolvers.deadlines.calendars import load_calendar
from resolvers.deadlines.watcher import run_watch
from resolvers.disputes.tiers import run_dispute_watch
from resolvers.services import Services
from tests import factories
from tests.disputes import (
    APAN,
    ARB,
    CHAIN,
    MAIN_CONTRACTOR,
    MEDIATION,
    METRO,
    PROJECT,
    ROOM,
    SITE,
    SUBCONTRACTOR,
    act,
    dispute_world,  # noqa: F401 - a fixture
    refused,
)
from tests.factories import submit
from tests.steps import step

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def _watch(sessionmaker, settings, now, *, whole: bool = True):
    async with sessionmaker() as session:
        services = Services(settings, calendar=await load_calendar(session))
        await session.commit()
        if whole:
            return await run_watch(session, now, services)
        return await run_dispute_watch(session, now, services)


async def test_forty_workers_wage_claim_at_a_metro_site(
    client_for,
    sessionmaker,
    settings,
    dispute_world,  # noqa: F811
):
    site, room, metro = [await client_for(c) for c in (SITE, ROOM, METRO)]
    arbitration, apan, court = [await client_for(c) for c in (ARB, APAN, factories.COURT)]
    hall = await client_for(factories.HALL)
    before = await _figures(hall)

    # Given forty workers' collective wage claim received at the metro line 16 site station,
    # naming the subcontractor (new to the hub) and the project
    appeal = await submit(
        site,
        title="地铁16号线工地40名工人被拖欠工资",
        peopleCount=40,
        channel="SITE_STATION",
        matter="LABOUR_WAGES",
    )
    ident = appeal["id"]
    assert appeal["collective"] is True
    named = await act(
        site,
        "nameParties",
        id=ident,
        projectCode=PROJECT,
        parties=[
            {"uscc": SUBCONTRACTOR, "role": "SUBCONTRACTOR", "name": "深圳市兴业建筑劳务有限公司"},
            {"uscc": MAIN_CONTRACTOR, "role": "MAIN_CONTRACTOR"},
        ],
    )
    assert named["project"]["code"] == PROJECT
    assert {p["role"] for p in named["parties"]} == {"SUBCONTRACTOR", "MAIN_CONTRACTOR"}
    bad = await refused(
        site,
        "nameParties",
        id=ident,
        parties=[{"uscc": SUBCONTRACTOR[:-1] + "0", "role": "EMPLOYER", "name": "x"}],
    )
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "parties.0.uscc"}

    # When the station accepts it and refers it to its mediation room, tried at the site tier
    await step(site, "acceptPetition", id=ident)
    case = await act(
        site,
        "openMediation",
        id=ident,
        kind="SOCIAL",
        mediatorCode=ROOM,
        mediatorName="王调解员",
        amountClaimed="1200000.00",
        tiered=True,
    )
    assert (case["tier"], case["mediator"]["code"], case["workerCount"]) == ("SITE", ROOM, 40)
    assert case["parties"][0]["enterprise"]["uscc"] in (SUBCONTRACTOR, MAIN_CONTRACTOR)
    case_id = case["id"]
    await act(
        room,
        "recordMediationSession",
        id=case_id,
        heldAt=_now_iso(),
        placeKind="SITE_MEDIATION_ROOM",
        place="16号线工地调解室",
        attendees=["工人代表3名", "分包单位项目经理"],
        minutes="分包单位称总包未拨付进度款",
    )
    # the metro centre does not see the case while the site tier tries it
    assert (await metro.data(MEDIATION, {"id": case_id}))["mediationCase"] is None

    # and the site tier's limit passes unresolved: the watcher escalates it, once
    async with sessionmaker() as session:
        await session.execute(
            update(models.MediationTier)
            .where(models.MediationTier.case_id == int(case_id))
            .values(due_at=models.utcnow() - timedelta(minutes=1))
        )
        await session.commit()
    first = await _watch(sessionmaker, settings, models.utcnow())
    again = await _watch(sessionmaker, settings, models.utcnow())
    assert (first.tiers_escalated, again.tiers_escalated) == (1, 0)
    at_centre = (await metro.data(MEDIATION, {"id": case_id}))["mediationCase"]
    assert (at_centre["tier"], at_centre["mediator"]["code"]) == ("CENTRE", METRO)
    assert [(t["tier"], t["escalated"]) for t in at_centre["tiers"]] == [
        ("SITE", True),
        ("CENTRE", False),
    ]
    # the site tier still sees the case it tried, but acts no more
    assert (await room.data(MEDIATION, {"id": case_id}))["mediationCase"]["tier"] == "CENTRE"
    moved_on = await refused(room, "concludeMediation", id=case_id, outcome="WITHDRAWN", reason="x")
    assert moved_on["extensions"]["code"] == "FORBIDDEN"

    # Then the metro centre settles it with two instalments
    today = models.utcnow().astimezone(SHANGHAI).date()
    settled = await act(
        metro,
        "concludeMediation",
        id=case_id,
        outcome="AGREED",
        agreementAmount="1200000",
        terms="总包单位代付，分两期支付",
        instalments=[
            {"dueOn": today.isoformat(), "amount": "600000"},
            {"dueOn": (today + timedelta(days=10)).isoformat(), "amount": "600000.00"},
        ],
        expectedVersion=at_centre["version"],
    )
    assert settled["status"] == "AGREED" and settled["agreementAmount"] == "1200000.00"
    await act(
        metro, "recordPayment", id=case_id, instalment=1, amount="600000", paidOn=today.isoformat()
    )
    # arbitration is refused while the agreement is being kept (mediation first)
    early = await refused(metro, "openArbitration", id=ident, arbitrationCode=ARB)
    assert early["extensions"]["code"] == "BAD_USER_INPUT"
    assert "mediation comes first" in early["message"]

    # When the second instalment's day passes unpaid
    missed = await _watch(sessionmaker, settings, models.utcnow() + timedelta(days=12), whole=False)
    assert missed.instalments_missed == 1

    # Then the workers go to arbitration; the award is made and paid
    opened = await act(metro, "openArbitration", id=ident, arbitrationCode=ARB)
    assert opened["mediation"]["number"] == case["number"]
    assert opened["claim"] == "1200000.00"
    arbitration_id = opened["id"]
    stale = await refused(
        arbitration,
        "recordAward",
        id=arbitration_id,
        amount="600000",
        summary="x",
        expectedVersion=opened["version"] + 1,
    )
    assert stale["extensions"]["code"] == "CONFLICT"
    await act(
        arbitration,
        "scheduleHearing",
        id=arbitration_id,
        hearingAt=(models.utcnow() + timedelta(days=3)).astimezone(SHANGHAI).isoformat(),
        place="坪山区劳动人事争议仲裁院第一仲裁庭",
    )
    awarded = await act(
        arbitration,
        "recordAward",
        id=arbitration_id,
        amount="600000",
        summary="被申请人支付第二期工资600000元",
    )
    assert (awarded["status"], awarded["awardAmount"]) == ("AWARDED", "600000.00")
    paid = await act(arbitration, "recordAwardPaid", id=arbitration_id)
    assert paid["awardPaid"] is True
    forbidden = await refused(metro, "recordAwardPaid", id=arbitration_id)
    assert forbidden["extensions"]["code"] in ("FORBIDDEN", "BAD_USER_INPUT")

    # And the appeal closes with feedback
    await step(arbitration, "answerPetition", id=ident, answer="仲裁裁决已履行，工资已全部支付")
    await step(site, "recordFeedback", id=ident, satisfaction="SATISFIED")
    closed = await step(arbitration, "closePetition", id=ident, resolved=True)
    assert closed["status"] == "CLOSED"

    # The whole chain is one query, and every stage is on the appeal's timeline
    chain = (await site.data(CHAIN, {"id": ident}))["petition"]
    assert chain["project"]["code"] == PROJECT
    [mediation] = chain["disputeChain"]["mediations"]
    assert [(i["seq"], i["settled"], i["missed"]) for i in mediation["instalments"]] == [
        (1, True, False),
        (2, False, True),
    ]
    [arbitrated] = chain["disputeChain"]["arbitrations"]
    assert (arbitrated["awardPaid"], arbitrated["mediation"]["number"]) == (True, case["number"])
    kinds = [e["kind"] for e in chain["events"]]
    chain_kinds = [k for k in kinds if k not in ("ASSIGNMENT_COMPLETED",)]
    assert chain_kinds[:4] == ["SUBMITTED", "PARTIES_NAMED", "ACCEPTED", "MEDIATION_OPENED"]
    for kind in (
        "MEDIATION_SESSION",
        "TIER_ESCALATED",
        "MEDIATION_CONCLUDED",
        "PAYMENT_RECORDED",
        "INSTALMENT_MISSED",
        "ARBITRATION_OPENED",
        "HEARING_SCHEDULED",
        "AWARD_MADE",
        "AWARD_PAID",
        "ANSWERED",
        "CLOSED",
    ):
        assert kinds.count(kind) == 1, kind
    assert kinds.index("TIER_ESCALATED") < kinds.index("MEDIATION_CONCLUDED")
    assert kinds.index("INSTALMENT_MISSED") < kinds.index("ARBITRATION_OPENED")
    # The figures gain the stages and what they recovered (the hall: the whole district)
    assert _delta(before, await _figures(hall)) == {
        "mediationsOpened": 1,
        "AGREED": 1,
        "agreedAmount": 1200000,
        "tiersEscalated": 1,
        "recoveredByAgreement": 600000,
        "arbitrationsFiled": 1,
        "awardsMade": 1,
        "awardsPaid": 1,
        "awardedAmount": 600000,
        "recoveredByAward": 600000,
    }
    # Partners outside the chain see none of it
    assert (await apan.data(MEDIATION, {"id": case_id}))["mediationCase"] is None
    assert (await court.data(MEDIATION, {"id": case_id}))["mediationCase"] is None


FIGURES = """
query($from: Date!, $to: Date!) {
  stats(period: {from: $from, to: $to}, groupBy: MATTER) {
    disputes {
      mediationsOpened mediationOutcomes { status count } agreedAmount tiersEscalated
      confirmationsAsked confirmedByCourt recoveredByAgreement arbitrationsFiled awardsMade
      awardsPaid awardedAmount recoveredByAward lawsuitsFiled judgments
    }
  }
}
"""


async def _figures(client) -> dict:
    """This week's dispute figures, flattened (outcomes by status)."""
    today = models.utcnow().astimezone(SHANGHAI).date()
    period = {
        "from": (today - timedelta(days=3)).isoformat(),
        "to": (today + timedelta(days=3)).isoformat(),
    }
    figures = (await client.data(FIGURES, period))["stats"]["disputes"]
    outcomes = {o["status"]: o["count"] for o in figures.pop("mediationOutcomes")}
    return figures | outcomes


def _delta(before: dict, after: dict) -> dict:
    return {
        k: (float(after[k]) - float(before[k]))
        for k in after
        if float(after[k]) != float(before[k])
    }


def _now_iso() -> str:
    return models.utcnow().astimezone(SHANGHAI).isoformat()


async def test_a_family_dispute_at_apan_ends_with_judicial_confirmation(
    client_for,
    hall,
    court,
    dispute_world,  # noqa: F811
):
    apan = await client_for(APAN)
    before, apan_before = await _figures(hall), await _figures(apan)

    # Given a family dispute received at the hall and referred to 阿潘调解工作室
    appeal = await submit(
        hall, title="离婚后子女抚养费纠纷", matter="FAMILY", category="ASSISTANCE"
    )
    ident = appeal["id"]
    await step(hall, "acceptPetition", id=ident)
    case = await act(
        hall, "openMediation", id=ident, kind="SOCIAL", mediatorCode=APAN, mediatorName="阿潘"
    )
    case_id = case["id"]
    again = await refused(hall, "openMediation", id=ident, kind="SOCIAL", mediatorCode=APAN)
    assert again["extensions"]["code"] == "BAD_USER_INPUT"

    # When the studio mediates and the parties agree
    await act(
        apan,
        "recordMediationSession",
        id=case_id,
        heldAt=_now_iso(),
        placeKind="STUDIO",
        place="阿潘调解工作室",
        attendees=["李某", "黄某"],
        minutes="双方同意抚养费按月支付",
    )
    early = await refused(apan, "requestJudicialConfirmation", id=case_id, courtCode="PS-COURT")
    assert early["extensions"]["code"] == "BAD_USER_INPUT"
    agreed = await act(
        apan,
        "concludeMediation",
        id=case_id,
        outcome="AGREED",
        terms="黄某每月支付抚养费2000元至子女年满十八周岁",
    )
    twice = await refused(apan, "concludeMediation", id=case_id, outcome="NO_AGREEMENT", reason="x")
    assert twice["extensions"]["code"] == "BAD_USER_INPUT"
    # the court station does not see the case until confirmation is asked of it
    assert (await court.data(MEDIATION, {"id": case_id}))["mediationCase"] is None
    unseen = await refused(court, "decideJudicialConfirmation", id=case_id, confirmed=True)
    assert unseen["extensions"]["code"] == "NOT_FOUND"
    asked = await act(
        apan,
        "requestJudicialConfirmation",
        id=case_id,
        courtCode="PS-COURT",
        expectedVersion=agreed["version"],
    )
    assert asked["judicialConfirmation"]["status"] == "REQUESTED"

    # Then the court station sees it and confirms it; nobody else may decide
    seen = (await court.data(MEDIATION, {"id": case_id}))["mediationCase"]
    assert seen["number"] == case["number"] and seen["sessions"][0]["placeKind"] == "STUDIO"
    not_court = await refused(apan, "decideJudicialConfirmation", id=case_id, confirmed=True)
    assert not_court["extensions"]["code"] == "FORBIDDEN"
    confirmed = await act(court, "decideJudicialConfirmation", id=case_id, confirmed=True)
    assert confirmed["judicialConfirmation"]["status"] == "CONFIRMED"
    listed = await court.data(
        "query($p: ID!) { mediationCases(filter: {petition: $p, confirmation: [CONFIRMED]}) "
        "{ totalCount edges { node { number } } } }",
        {"p": ident},
    )
    assert listed["mediationCases"]["totalCount"] == 1

    # And the studio answers, the hall records feedback, the appeal closes
    await step(apan, "answerPetition", id=ident, answer="经调解达成协议并经法院司法确认")
    await step(hall, "recordFeedback", id=ident, satisfaction="SATISFIED")
    closed = await step(apan, "closePetition", id=ident, resolved=True)
    assert closed["status"] == "CLOSED"
    chain = (await hall.data(CHAIN, {"id": ident}))["petition"]
    [mediation] = chain["disputeChain"]["mediations"]
    assert mediation["judicialConfirmation"]["court"]["code"] == "PS-COURT"
    kinds = [e["kind"] for e in chain["events"]]
    assert kinds.index("CONFIRMATION_ASKED") < kinds.index("CONFIRMATION_DECIDED")
    change = {"mediationsOpened": 1, "AGREED": 1, "confirmationsAsked": 1, "confirmedByCourt": 1}
    assert _delta(before, await _figures(hall)) == change
    assert _delta(apan_before, await _figures(apan)) == change  # its own slice
    # the court decided on the mediation, not the appeal: the appeal stays outside its slice
    assert (await court.data("query($id: ID!) { petition(id: $id) { id } }", {"id": ident}))[
        "petition"
    ] is None


async def test_the_chain_s_steps_are_on_the_event_stream(
    server,
    client_for,
    hall,
    dispute_world,  # noqa: F811
):
    from tests.streams import subscription
    from tests.test_event_stream import listening, token_of

    apan = await client_for(APAN)
    async with subscription(server.url, token_of(hall)) as stream:
        await stream.subscribe(kinds=["MEDIATION_OPENED", "MEDIATION_CONCLUDED"])
        await listening(server)
        appeal = await submit(hall, title="相邻通行纠纷", matter="OTHER")
        await step(hall, "acceptPetition", id=appeal["id"])
        case = await act(hall, "openMediation", id=appeal["id"], kind="SOCIAL", mediatorCode=APAN)
        await act(
            apan, "concludeMediation", id=case["id"], outcome="WITHDRAWN", reason="双方自行和解"
        )

        opened, concluded = await stream.event(), await stream.event()
        assert (opened["kind"], opened["data"]["case"]) == ("MEDIATION_OPENED", case["number"])
        assert concluded["kind"] == "MEDIATION_CONCLUDED"
        assert concluded["organisation"]["code"] == APAN
        assert concluded["petition"]["id"] == appeal["id"]
