"""In a real headless Chromium: a mediation agreement's missed instalment proposes a
wage-arrears record; the credit centre's officer confirms it on the proposals page; the
committee's mediator then reads the employer's public standing on the appeal page and
on the enterprise's profile — and never the centre's restricted warning."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from db import models
from tests import factories
from tests.credit_pages import employer_on_an_appeal, record
from tests.disputes import act
from tests.test_browser import SHOTS, chromium, pytestmark, signed_in_page  # noqa: F401
from tests.test_disputes_chain import _watch


async def test_a_missed_instalment_is_confirmed_and_the_mediator_sees_it(
    chromium,  # noqa: F811 - the browser fixture, imported
    server,
    staff_users,
    client_for,
    sessionmaker,
    settings,
):
    hall, lmc = await client_for(factories.HALL), await client_for(factories.LMC)
    employer = await employer_on_an_appeal(client_for)
    case = await act(
        hall, "openMediation", id=employer.appeal["id"], kind="ADMINISTRATIVE",
        mediatorCode=factories.LMC, amountClaimed="60000",
    )  # fmt: skip
    today = models.utcnow().astimezone(ZoneInfo("Asia/Shanghai")).date()
    await act(
        lmc, "concludeMediation", id=case["id"], outcome="AGREED", agreementAmount="60000",
        terms="分两期支付",
        instalments=[
            {"dueOn": today.isoformat(), "amount": "30000"},
            {"dueOn": (today + timedelta(days=30)).isoformat(), "amount": "30000"},
        ],
    )  # fmt: skip
    later = models.utcnow() + timedelta(days=3)
    await _watch(sessionmaker, settings, later, whole=False)  # the instalment is missed
    await _watch(sessionmaker, settings, later)  # and its proposal raised
    await record(await client_for(factories.CREDIT), employer, "WARNING", "内部警示：多次欠薪", public=False)  # fmt: skip

    # The centre's officer confirms the proposal.
    violations: list[str] = []  # of the pages' Content-Security-Policy: there must be none
    officer = await signed_in_page(
        chromium, server, staff_users["credit_officer"], violations=violations
    )
    await officer.get_by_role("link", name="信用提议").click()
    await officer.wait_for_url("**/credit/proposals")
    row = officer.locator("#proposals tr", has_text=employer.name)
    await row.wait_for()
    assert "欠薪" in await row.inner_text() and case["number"] in await row.inner_text()
    await officer.screenshot(path=str(SHOTS / "credit-proposals.png"), full_page=True)
    await row.get_by_role("button", name="确认", exact=True).click()
    await officer.locator("#done").wait_for()
    assert await row.count() == 0
    await officer.context.close()

    # The committee's mediator reads it beside the employer on the appeal page …
    mediator = await signed_in_page(
        chromium, server, staff_users["lmc_mediator"], violations=violations
    )
    await mediator.goto(f"{server.url}/petitions/{employer.appeal['number']}")
    parties = mediator.locator("dd.appeal-parties")
    await parties.wait_for()
    standing = parties.locator("a.standing")
    assert (await standing.inner_text()).replace("\n", "") == "信用状况：欠薪记录1条（已确认）"
    assert "警示" not in await parties.inner_text()

    # … and on the profile, where the restricted warning is not.
    await standing.click()
    await mediator.wait_for_url(f"**/enterprises/{employer.uscc}")
    records = mediator.locator("#credit-records")
    await records.wait_for()
    text = await records.inner_text()
    assert "欠薪" in text and case["number"] in text and "已确认" in text
    assert "警示" not in text  # (the record form below offers the kind, as to any partner)
    assert "警示" not in await mediator.locator("#enterprise header").inner_text()
    await mediator.screenshot(path=str(SHOTS / "credit.png"), full_page=True)

    # The mediator proposes a record from the appeal through the profile's form (htmx).
    form = mediator.locator("#record-form")
    await form.locator('select[name="kind"]').select_option("WARNING")
    await form.locator('input[name="petition"]').fill(employer.appeal["number"])
    await form.locator('textarea[name="summary"]').fill("拒不到场调解")
    await form.locator('button[type="submit"]').click()
    await mediator.locator("#done").wait_for()
    assert "已提出提议" in await mediator.locator("#done").inner_text()
    assert "拒不到场调解" in await mediator.locator("#credit-records").inner_text()
    assert mediator.url.endswith(f"/enterprises/{employer.uscc}")
    await mediator.context.close()
    assert violations == []
