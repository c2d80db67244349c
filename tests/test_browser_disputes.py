"""In a real headless Chromium: the chain of a labour dispute at a glance on the appeal
page — a mediation whose second instalment was missed, then arbitration with its award
paid. Its screenshot of the chain (tests/screenshots/chain.png) is the README's
docs/chain.png, copied by hand when the page changes."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from db import models
from tests import factories
from tests.disputes import ARB, act, dispute_world  # noqa: F401 - a fixture
from tests.factories import submit
from tests.steps import step
from tests.test_browser import SHOTS, chromium, pytestmark, signed_in_page  # noqa: F401
from tests.test_disputes_chain import _watch


async def test_the_chain_at_a_glance_on_the_appeal_page(
    chromium,  # noqa: F811 - the browser fixture, imported
    server,
    staff_users,
    client_for,
    sessionmaker,
    settings,
    dispute_world,  # noqa: F811 - the fixture, imported
):
    hall, lmc, arbitration = [await client_for(c) for c in (factories.HALL, factories.LMC, ARB)]
    appeal = await submit(hall, title="某电子厂拖欠32名员工两个月工资", peopleCount=32)
    await step(hall, "acceptPetition", id=appeal["id"])
    case = await act(
        hall,
        "openMediation",
        id=appeal["id"],
        kind="ADMINISTRATIVE",
        mediatorCode=factories.LMC,
        mediatorName="陈调解员",
        amountClaimed="384000",
    )
    today = models.utcnow().astimezone(ZoneInfo("Asia/Shanghai")).date()
    await act(
        lmc,
        "concludeMediation",
        id=case["id"],
        outcome="AGREED",
        agreementAmount="384000",
        terms="分两期支付",
        instalments=[
            {"dueOn": today.isoformat(), "amount": "192000"},
            {"dueOn": (today + timedelta(days=7)).isoformat(), "amount": "192000"},
        ],
    )
    await act(
        lmc, "recordPayment", id=case["id"], instalment=1, amount="192000", paidOn=today.isoformat()
    )
    await _watch(sessionmaker, settings, models.utcnow() + timedelta(days=9), whole=False)
    opened = await act(hall, "openArbitration", id=appeal["id"], arbitrationCode=ARB)
    await act(
        arbitration,
        "recordAward",
        id=opened["id"],
        amount="192000",
        summary="被申请人支付第二期工资",
    )
    await act(arbitration, "recordAwardPaid", id=opened["id"])
    # the employer sues over the award; the court judges it
    lawsuit = await act(arbitration, "openLitigation", id=appeal["id"], courtCode=factories.COURT)
    court = await client_for(factories.COURT)
    await act(
        court,
        "recordJudgment",
        id=lawsuit["id"],
        caseNumber=f"(2026)粤0310民初{appeal['id']}号",
        summary="驳回起诉，维持仲裁裁决",
    )

    page = await signed_in_page(chromium, server, staff_users["hall_dispatcher"])
    await page.goto(f"{server.url}/petitions/{appeal['number']}")
    chain = page.locator("#chain")
    await chain.wait_for()
    text = await chain.inner_text()
    assert case["number"] in text and opened["number"] in text
    assert "逾期未付" in text and "已履行" in text and "维持仲裁裁决" in text
    # the judgment ends the chain: no form opens another stage
    for form in ("#open-mediation", "#open-arbitration", "#open-litigation"):
        assert await chain.locator(form).count() == 0, form
    await chain.scroll_into_view_if_needed()
    await page.screenshot(path=str(SHOTS / "chain-page.png"), full_page=True)
    await chain.screenshot(path=str(SHOTS / "chain.png"))

    # In English: the block's words, statuses and kinds are translated, no raw enum names
    await page.goto(f"{server.url}/petitions/{appeal['number']}?lang=en")
    english = await page.locator("#chain").inner_text()
    await page.locator("#chain").screenshot(path=str(SHOTS / "chain-en.png"))
    assert "Arbitration" in english and "Awarded" in english and "Judged" in english
    assert "Mediator: " in english and "384,000.00 yuan" in english
    for raw in ("AWARDED", "JUDGED", "ADMINISTRATIVE", "已裁决", "逾期未付", "调解组织", "："):
        assert raw not in english, raw
    await page.context.close()
