"""In a real headless Chromium: the labour committee's handler works an appeal — signs
for it and is then offered its handling steps, reads the timeline in names and whose
deadline is overdue, is not offered to send on the case it is itself mediating — the
hall's dispatcher pages a long timeline back with 更早的记录, and the hall's
administrator reads the audit log in words and follows an appeal's link."""

from __future__ import annotations

from tests import factories
from tests.disputes import dispute_world, mediated_by_the_committee  # noqa: F401 - a fixture
from tests.factories import submit
from tests.steps import step
from tests.test_browser import SHOTS, chromium, pytestmark, signed_in_page  # noqa: F401
from tests.test_pages_appeal_day import make_overdue
from tests.test_pages_timeline import NOTE


async def test_the_committee_signs_and_handles_an_overdue_appeal(
    chromium,  # noqa: F811 - the browser fixture, imported
    server,
    staff_users,
    client_for,
    sessionmaker,
):
    window, hall = await client_for(factories.WINDOW), await client_for(factories.HALL)
    appeal = await submit(window, title="工地拖欠工资两个月")
    await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD")
    await make_overdue(sessionmaker, appeal["number"])
    page = await signed_in_page(chromium, server, staff_users["lmc_handler"])

    await page.goto(f"{server.url}/petitions/{appeal['number']}")
    sign = page.get_by_role("button", name="签收")
    assert await sign.count() == 1
    assert await page.locator("#act-answer").count() == 0
    await sign.click()
    await page.locator(".petition-head .status", has_text="办理中").wait_for()

    # 签收 is gone; the handling steps are there
    assert await page.get_by_role("button", name="签收").count() == 0
    await page.locator("#act-answer").wait_for()
    assert await page.locator("summary", has_text="申请延期").count() == 1
    # the timeline names the committee; no code shows
    timeline = await page.locator("#timeline").inner_text()
    assert "劳动争议调解委员会" in timeline and "PS-LMC" not in timeline
    # every overdue text says whose deadline
    head = await page.locator(".petition-head").inner_text()
    assert "诉求办理期限已超期" in head
    rows = await page.locator(".details table").inner_text()
    assert "劳动争议调解委员会交办已超期" in rows
    assert "诉求办理期限已超期" in timeline and "劳动争议调解委员会交办已超期" in timeline
    whole = await page.locator("#petition").inner_text()
    assert whole.count("已超期") == sum(
        whole.count(f"{owner}已超期") for owner in ("诉求办理期限", "交办")
    )
    await page.screenshot(path=SHOTS / "petition-signed.png", full_page=True)

    # In English the organisations' names are long: the assignments wrap inside their card
    await page.goto(f"{server.url}/petitions/{appeal['number']}?lang=en")
    table, card = await page.evaluate(
        "() => { const t = document.querySelector('table.assignments');"
        " return [t.getBoundingClientRect().right, t.parentElement.getBoundingClientRect().right] }"
    )
    assert table <= card, (table, card)


async def test_a_mediator_is_not_offered_to_send_its_own_case_on(
    chromium,  # noqa: F811 - the browser fixture, imported
    server,
    staff_users,
    client_for,
    sessionmaker,
    dispute_world,  # noqa: F811 - the fixture, imported
):
    appeal = await mediated_by_the_committee(client_for, sessionmaker, "调解中的欠薪纠纷")
    page = await signed_in_page(chromium, server, staff_users["lmc_handler"])

    await page.goto(f"{server.url}/petitions/{appeal['number']}")

    await page.locator("#act-answer").wait_for()
    assert await page.locator("summary", has_text="转入调解仲裁诉讼").count() == 0
    assert await page.locator("#act-escalate").count() == 0


async def test_the_audit_log_reads_in_words_and_links_the_appeal(
    chromium,  # noqa: F811 - the browser fixture, imported
    server,
    staff_users,
    client_for,
):
    appeal = await submit(await client_for(factories.WINDOW), title="审计日志里的诉求")
    hall = await signed_in_page(chromium, server, staff_users["hall_dispatcher"])
    await hall.goto(f"{server.url}/petitions/{appeal['number']}")  # an unmasked read
    admin = await signed_in_page(chromium, server, staff_users["hall_admin"])

    await admin.goto(f"{server.url}/admin/audit")
    table = await admin.locator("#admin-body table").inner_text()
    await admin.screenshot(path=SHOTS / "audit.png", full_page=False)

    assert "查看未脱敏个人信息" in table and "页面" in table
    assert "READ_PERSONAL_DATA" not in table and "Petition" not in table
    await admin.get_by_role("link", name=appeal["number"]).first.click()
    await admin.wait_for_url(f"**/petitions/{appeal['number']}")
    assert appeal["number"] in await admin.locator(".petition-head h1").inner_text()


async def test_earlier_events_are_added_below_the_newest(
    chromium,  # noqa: F811 - the browser fixture, imported
    server,
    staff_users,
    client_for,
):
    appeal = await submit(await client_for(factories.WINDOW), title="很长的办理过程")
    hall = await client_for(factories.HALL)
    for i in range(1, 31):
        await hall.data(NOTE, {"id": appeal["id"], "text": f"第{i}条备注"})
    page = await signed_in_page(chromium, server, staff_users["hall_dispatcher"])

    await page.goto(f"{server.url}/petitions/{appeal['number']}")
    items = page.locator("#timeline li:not(.earlier)")
    assert await items.count() == 25
    assert "第30条备注" in await items.first.inner_text()
    await page.get_by_role("link", name="更早的记录").click()
    await page.locator("#timeline li", has_text="登记").wait_for()

    assert await items.count() == 31  # 30 notes and 登记, each once, newest first
    texts = await items.all_inner_texts()
    assert "第30条备注" in texts[0] and "第1条备注" in texts[29] and "登记" in texts[30]
    assert await page.get_by_role("link", name="更早的记录").count() == 0
    assert page.url.endswith(f"/petitions/{appeal['number']}")  # stayed on the page
