"""The arbitration institute's and the court station's pages: the mediator sends a labour
dispute to arbitration from the appeal page, the institute's clerk finds the case in its
list and records the hearing, the award and its payment; the institute sends it to
court, whose clerk records the judgment. A wrong step gets the field's error with what
was typed kept and nothing changed; a step the person may not take is refused; another
organisation's clerk gets the same 404 as for no case."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from db import models
from tests import factories
from tests.disputes import (  # noqa: F401 - fixtures
    ARB,
    CHAIN,
    act,
    dispute_world,
    partner_staff,
    signed_in,
)
from tests.factories import submit
from tests.steps import step

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


async def _failed_mediation(client_for) -> dict:
    """A labour appeal the labour mediation committee mediated without agreement."""
    hall = await client_for(factories.HALL)
    appeal = await submit(hall, title="仲裁页面：某厂拖欠工资", peopleCount=6)
    await step(hall, "acceptPetition", id=appeal["id"])
    case = await act(
        hall, "openMediation", id=appeal["id"], kind="ADMINISTRATIVE",
        mediatorCode=factories.LMC, amountClaimed="90000",
    )  # fmt: skip
    lmc = await client_for(factories.LMC)
    await act(lmc, "concludeMediation", id=case["id"], outcome="NO_AGREEMENT", reason="拒不到场")
    return appeal


async def _stage(hall, appeal: dict, key: str) -> dict:
    [found] = (await hall.data(CHAIN, {"id": appeal["id"]}))["petition"]["disputeChain"][key]
    return found


async def test_arbitration_and_the_lawsuit_are_taken_on_their_pages(
    server,
    sign_in_as,
    client_for,
    partner_staff,  # noqa: F811
):
    hall_api = await client_for(factories.HALL)
    appeal = await _failed_mediation(client_for)
    appeal_url = f"/petitions/{appeal['number']}"

    # Given the committee, leading the appeal, offered arbitration but not yet a lawsuit
    lmc = await sign_in_as("lmc_handler")
    page = await lmc.get(appeal_url)
    assert 'id="open-arbitration"' in page.text and 'id="open-litigation"' not in page.text
    wrong = await lmc.post(
        f"{appeal_url}/arbitration", data={"version": _version(page.text), "institute": "PS-HALL"}
    )
    assert wrong.status_code == 400 and "PS-HALL不承办此类案件" in wrong.text
    assert (await hall_api.data(CHAIN, {"id": appeal["id"]}))["petition"]["disputeChain"][
        "arbitrations"
    ] == []

    # When it sends the dispute to the arbitration institute
    sent = await lmc.post(
        f"{appeal_url}/arbitration",
        data={"version": _version(page.text), "institute": ARB, "claim": ""},
    )
    assert sent.status_code == 303
    case_url = sent.headers["location"]
    assert re.fullmatch(r"/disputes/arbitration/\d+", case_url)

    # Then the institute's clerk finds it in its list and is offered the hearing and award
    clerk = await signed_in(server, "t.arb.clerk")
    try:
        assert case_url in (await clerk.get("/disputes/arbitration")).text
        assert case_url not in (await clerk.get("/disputes/arbitration?status=AWARDED")).text
        case = await clerk.get(case_url)
        assert 'id="case-hearing"' in case.text and 'id="case-award"' in case.text
        assert 'id="case-paid"' not in case.text
        before = await _stage(hall_api, appeal, "arbitrations")

        # a wrong amount: the field's error, what was typed kept, nothing changed
        bad = await clerk.post(
            f"{case_url}/act/award",
            data={"version": _version(case.text), "amount": "1.234", "summary": "支付工资九万元"},
        )
        assert bad.status_code == 400 and "金额最多两位小数" in bad.text
        assert "支付工资九万元</textarea>" in bad.text
        swapped = await clerk.post(
            f"{case_url}/act/award",
            data={"version": _version(case.text), "amount": "x", "summary": "y"},
            htmx=True,
        )
        assert swapped.status_code == 200 and "<html" not in swapped.text
        assert '<article id="case">' in swapped.text and 'id="err-award"' in swapped.text
        # a step out of turn (payment before the award) is said above the forms
        early = await clerk.post(f"{case_url}/act/paid", data={"version": _version(case.text)})
        assert early.status_code == 400 and "只有已作出的裁决才能记录履行" in early.text
        stale = await clerk.post(
            f"{case_url}/act/hearing",
            data={"version": "0", "hearing_at": "2026-12-01T09:30", "place": "第一仲裁庭"},
        )
        assert stale.status_code == 409 and "此案件刚被他人更改" in stale.text
        assert await _stage(hall_api, appeal, "arbitrations") == before

        # the hearing, the award and its payment
        hearing = (models.utcnow() + timedelta(days=2)).astimezone(SHANGHAI)
        for action, data in (
            ("hearing", {"hearing_at": hearing.strftime("%Y-%m-%dT%H:%M"), "place": "第一仲裁庭"}),
            ("award", {"amount": "90000", "summary": "被申请人支付工资90000元"}),
        ):
            case = await clerk.get(case_url)
            assert f'id="case-{action}"' in case.text, action
            done = await clerk.post(
                f"{case_url}/act/{action}", data={"version": _version(case.text), **data}
            )
            assert done.status_code == 303, (action, done.text)
        # the payment by htmx: the case's part comes back, its step gone
        case = await clerk.get(case_url)
        paid = await clerk.post(
            f"{case_url}/act/paid", data={"version": _version(case.text)}, htmx=True
        )
        assert paid.status_code == 200 and "<html" not in paid.text
        assert "已履行" in paid.text and 'id="case-paid"' not in paid.text
        awarded = await _stage(hall_api, appeal, "arbitrations")
        assert (awarded["status"], awarded["awardAmount"], awarded["awardPaid"]) == (
            "AWARDED",
            "90000.00",
            True,
        )
        assert awarded["hearingPlace"] == "第一仲裁庭"

        # And the court's clerk cannot see it; the hall sees it but takes no step
        court = await sign_in_as("court_clerk")
        outside, missing = (
            await court.get(case_url),
            await court.get("/disputes/arbitration/999999"),
        )
        assert outside.status_code == missing.status_code == 404
        assert outside.text == missing.text
        assert (await court.post(f"{case_url}/act/paid", data={})).status_code == 404
        hall = await sign_in_as("hall_dispatcher")
        seen = await hall.get(case_url)
        assert seen.status_code == 200 and 'id="case-hearing"' not in seen.text
        assert "您在此案件上没有可执行的操作" in seen.text
        forbidden = await hall.post(
            f"{case_url}/act/award", data={"amount": "1", "summary": "越权裁决"}
        )
        assert forbidden.status_code == 403 and "只有仲裁院可以执行此步骤" in forbidden.text

        # When the institute, now leading the appeal, sends it to court
        page = await clerk.get(appeal_url)
        assert 'id="open-litigation"' in page.text and 'id="open-arbitration"' not in page.text
        filed = await clerk.post(
            f"{appeal_url}/litigation",
            data={"version": _version(page.text), "court": factories.COURT},
        )
        assert filed.status_code == 303
        lawsuit_url = filed.headers["location"]
        assert re.fullmatch(r"/disputes/litigation/\d+", lawsuit_url)
    finally:
        await clerk.http.aclose()

    # Then the court's clerk finds the lawsuit and records the judgment
    assert lawsuit_url in (await court.get("/disputes/litigation")).text
    lawsuit = await court.get(lawsuit_url)
    assert 'id="case-judgment"' in lawsuit.text and awarded["number"] in lawsuit.text
    blank = await court.post(
        f"{lawsuit_url}/act/judgment",
        data={"version": _version(lawsuit.text), "case_number": " ", "summary": "驳回起诉"},
    )
    assert blank.status_code == 400 and "请填写案号" in blank.text and "驳回起诉" in blank.text
    judged = await court.post(
        f"{lawsuit_url}/act/judgment",
        data={
            "version": _version(lawsuit.text),
            "case_number": "(2026)粤0310民初9901号",
            "summary": "维持仲裁裁决",
            "amount": "90000",
        },
    )
    assert judged.status_code == 303
    lawsuit = await court.get(lawsuit_url)
    assert "(2026)粤0310民初9901号" in lawsuit.text and 'id="case-judgment"' not in lawsuit.text
    final = await _stage(hall_api, appeal, "litigations")
    assert (final["status"], final["caseNumber"]) == ("JUDGED", "(2026)粤0310民初9901号")
    # and, once the defendant pays, the judgment's payment (what a credit repair waits for)
    assert 'id="case-paid"' in lawsuit.text
    paid = await court.post(f"{lawsuit_url}/act/paid", data={"version": _version(lawsuit.text)})
    assert paid.status_code == 303
    lawsuit = await court.get(lawsuit_url)
    assert 'id="case-paid"' not in lawsuit.text and "判决履行" in lawsuit.text

    # The chain on the appeal page links every stage's page
    chain = (await hall.get(appeal_url)).text
    assert case_url in chain and lawsuit_url in chain


async def test_the_institute_s_list_costs_the_same_for_more_cases(
    server,
    sign_in_as,
    client_for,
    partner_staff,  # noqa: F811
):
    hall_api = await client_for(factories.HALL)

    async def arbitrated() -> None:
        appeal = await _failed_mediation(client_for)
        await act(hall_api, "openArbitration", id=appeal["id"], arbitrationCode=ARB)

    await arbitrated()
    clerk = await signed_in(server, "t.arb.clerk")
    try:
        counts = []
        for more in (0, 3):
            for _ in range(more):
                await arbitrated()
            server.statements.reset()
            listed = await clerk.get("/disputes/arbitration")
            counts.append(server.statements.count)
            assert listed.status_code == 200
        assert counts[0] == counts[1], counts
        assert len(re.findall(r'href="/disputes/arbitration/\d+"', listed.text)) >= 4
    finally:
        await clerk.http.aclose()
