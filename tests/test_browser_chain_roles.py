"""In a real headless Chromium, each partner takes its own steps of the 访调心裁 chain on
the pages, by clicking: the hall refers a labour dispute to mediation; the committee's
mediator records a session, the agreement and a payment; when an instalment is missed
it sends the dispute to arbitration; the institute's clerk finds the case in its list and
records the hearing, the award and its payment, then sends it to court, whose clerk
records the judgment. The court clerk decides a studio's judicial confirmation; the
metro centre's tier board shows a case escalated from the site tier."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from db import models
from tests import factories
from tests.disputes import (  # noqa: F401 - fixtures
    APAN,
    ARB,
    ROOM,
    SITE,
    act,
    dispute_world,
    partner_staff,
)
from tests.factories import submit
from tests.steps import step
from tests.test_browser import SHOTS, chromium, pytestmark, signed_in_page  # noqa: F401
from tests.test_disputes_chain import _watch

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def _take(page, label: str, fields: dict[str, str], selects: dict[str, str], done: str):
    """Open the step `label` on a case page, fill it in, send it, and wait for `done`."""
    await page.locator("#case summary", has_text=label).click()
    form = page.locator("details[open] form")
    for name, value in fields.items():
        await form.locator(f"[name={name}]").fill(value)
    for name, value in selects.items():
        await form.locator(f"[name={name}]").select_option(value)
    await form.get_by_role("button", name=label).click()
    await page.locator("#case", has_text=done).wait_for()


async def test_each_partner_takes_its_steps_on_the_pages(
    chromium,  # noqa: F811 - the browser fixture, imported
    server,
    staff_users,
    client_for,
    sessionmaker,
    settings,
    partner_staff,  # noqa: F811
):
    hall_api = await client_for(factories.HALL)
    appeal = await submit(hall_api, title="浏览器：某五金厂拖欠8名工人工资", peopleCount=8)
    await step(hall_api, "acceptPetition", id=appeal["id"])
    appeal_url = f"{server.url}/petitions/{appeal['number']}"
    today = models.utcnow().astimezone(SHANGHAI).date()
    now_local = models.utcnow().astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")

    # The hall's dispatcher refers it to the labour mediation committee
    hall = await signed_in_page(chromium, server, staff_users["hall_dispatcher"])
    await hall.goto(appeal_url)
    await hall.locator("#chain summary", has_text="转入调解").click()
    await hall.locator("#open-mediation [name=kind]").select_option("ADMINISTRATIVE")
    await hall.locator("#open-mediation [name=mediator]").select_option(factories.LMC)
    await hall.locator("#open-mediation [name=mediator_name]").fill("陈调解员")
    await hall.locator("#open-mediation button").click()
    await hall.wait_for_url(re.compile(r"/disputes/\d+$"))
    mediation_url = hall.url
    await hall.context.close()

    # The committee's mediator finds it and records a session, the agreement, a payment
    lmc = await signed_in_page(chromium, server, staff_users["lmc_handler"])
    await lmc.goto(f"{server.url}/disputes")
    await lmc.locator(f"a[href='{mediation_url.removeprefix(server.url)}']").click()
    await lmc.wait_for_url(mediation_url)
    await _take(
        lmc, "记录调解会",
        {"held_at": now_local, "place": "劳调委调解室", "attendees": "工人代表、厂方",
         "minutes": "厂方同意分两期支付"},
        {"place_kind": "STUDIO"}, "厂方同意分两期支付",
    )  # fmt: skip
    plan = f"{today.isoformat()} 20000\n{(today + timedelta(days=7)).isoformat()} 20000"
    await _take(
        lmc, "调解结案",
        {"agreement_amount": "40000", "terms": "分两期支付", "instalments": plan},
        {"outcome": "AGREED"}, "分期履行",
    )  # fmt: skip
    await _take(
        lmc, "记录付款", {"amount": "20000", "paid_on": today.isoformat()}, {"instalment": "1"},
        "已付",
    )  # fmt: skip
    assert "20,000.00" in await lmc.locator("#case").inner_text()

    # When the second instalment's day passes unpaid, it sends the dispute to arbitration
    await _watch(sessionmaker, settings, models.utcnow() + timedelta(days=9), whole=False)
    await lmc.goto(appeal_url)
    await lmc.locator("#chain summary", has_text="申请仲裁").click()
    await lmc.locator("#open-arbitration [name=institute]").select_option(ARB)
    await lmc.locator("#open-arbitration button").click()
    await lmc.wait_for_url(re.compile(r"/disputes/arbitration/\d+$"))
    arbitration_url = lmc.url
    await lmc.context.close()

    # Then the institute's clerk finds the case and records the hearing, award, payment
    clerk = await signed_in_page(chromium, server, "t.arb.clerk")
    await clerk.goto(f"{server.url}/petitions")  # the top bar leads the institute to its list
    await (
        clerk.get_by_role("navigation", name="主导航").get_by_role("link", name="仲裁案件").click()
    )
    await clerk.locator(f"a[href='{arbitration_url.removeprefix(server.url)}']").click()
    hearing = (models.utcnow() + timedelta(days=3)).astimezone(SHANGHAI)
    await _take(
        clerk, "开庭排期",
        {"hearing_at": hearing.strftime("%Y-%m-%dT%H:%M"), "place": "第二仲裁庭"}, {},
        "第二仲裁庭",
    )  # fmt: skip
    await _take(clerk, "作出裁决", {"amount": "20000", "summary": "支付第二期工资"}, {}, "已裁决")
    await _take(clerk, "记录裁决已履行", {}, {}, "已履行")
    await clerk.screenshot(path=str(SHOTS / "arbitration-case.png"), full_page=True)

    # and, leading the appeal now, sends it to court
    await clerk.goto(appeal_url)
    await clerk.locator("#chain summary", has_text="转入诉讼").click()
    await clerk.locator("#open-litigation [name=court]").select_option(factories.COURT)
    await clerk.locator("#open-litigation button").click()
    await clerk.wait_for_url(re.compile(r"/disputes/litigation/\d+$"))
    lawsuit_url = clerk.url
    await clerk.context.close()

    # The court's clerk finds the lawsuit in the court's list and records the judgment
    court = await signed_in_page(chromium, server, staff_users["court_clerk"])
    await court.goto(f"{server.url}/disputes/litigation")
    await court.locator(f"a[href='{lawsuit_url.removeprefix(server.url)}']").click()
    await _take(
        court, "记录判决",
        {"case_number": f"(2026)粤0310民初{appeal['id']}号", "summary": "驳回原告诉讼请求"}, {},
        "已判决",
    )  # fmt: skip

    # and decides a studio's judicial confirmation from the station's requests
    family = await submit(hall_api, title="浏览器：赡养纠纷", matter="FAMILY")
    await step(hall_api, "acceptPetition", id=family["id"])
    studio = await act(hall_api, "openMediation", id=family["id"], kind="SOCIAL", mediatorCode=APAN)
    apan = await client_for(APAN)
    await act(apan, "concludeMediation", id=studio["id"], outcome="AGREED", terms="轮流赡养")
    await act(apan, "requestJudicialConfirmation", id=studio["id"], courtCode=factories.COURT)
    await court.goto(f"{server.url}/disputes")
    await court.get_by_role("link", name="待司法确认").click()
    await court.get_by_role("link", name=studio["number"]).click()
    await _take(court, "司法确认", {}, {"confirmed": "1"}, "已确认")
    await court.context.close()

    # The chain at a glance: every stage, each linking its page
    hall = await signed_in_page(chromium, server, staff_users["hall_dispatcher"])
    await hall.goto(appeal_url)
    chain = hall.locator("#chain")
    text = await chain.inner_text()
    assert "已履行" in text and "已判决" in text and f"民初{appeal['id']}号" in text
    for url in (mediation_url, arbitration_url, lawsuit_url):
        assert await chain.locator(f"a[href='{url.removeprefix(server.url)}']").count() == 1
    await hall.context.close()

    # The metro centre's tier board shows a case escalated from the site tier
    site = await client_for(SITE)
    metro_appeal = await submit(
        site, title="浏览器：地铁工地欠薪", peopleCount=12, channel="SITE_STATION",
        matter="LABOUR_WAGES",
    )  # fmt: skip
    await step(site, "acceptPetition", id=metro_appeal["id"])
    tiered = await act(
        site, "openMediation", id=metro_appeal["id"], kind="SOCIAL", mediatorCode=ROOM,
        tiered=True,
    )  # fmt: skip
    async with sessionmaker() as session:
        await session.execute(
            update(models.MediationTier)
            .where(models.MediationTier.case_id == int(tiered["id"]))
            .values(due_at=models.utcnow() - timedelta(minutes=1))
        )
        await session.commit()
    await _watch(sessionmaker, settings, models.utcnow(), whole=False)
    metro = await signed_in_page(chromium, server, "t.metro.mediator")
    await metro.goto(f"{server.url}/disputes/tiers")
    card = metro.locator("#tier-centre").locator("..").locator(".card", has_text=tiered["number"])
    assert "超期升级" in await card.inner_text()
    await metro.context.close()
