"""In Debian's chromium (Playwright): the hall's dispatcher registers a wage claim and
routes it to the suggested organisation in one go, and it waits on the committee's
worklist to be signed for; a dispatcher accepts and assigns an existing appeal from its
page, choosing the suggestion."""

from __future__ import annotations

from tests import factories
from tests.factories import submit
from tests.test_browser import SHOTS, chromium, pytestmark, signed_in_page  # noqa: F401


async def test_the_hall_routes_a_new_wage_claim_to_the_suggestion_in_one_step(
    chromium,  # noqa: F811
    server,
    staff_users,
):
    violations: list[str] = []
    hall = await signed_in_page(
        chromium, server, staff_users["hall_dispatcher"], violations=violations
    )
    await hall.goto(f"{server.url}/petitions/new")
    await hall.locator("[name=name]").fill("周某")
    await hall.locator("[name=phone]").fill("13700137001")
    await hall.locator("[name=category]").select_option("COMPLAINT")
    await hall.locator("[name=community]").select_option(factories.COMMUNITY)
    routing = hall.locator("#intake-assign")
    # no matter chosen yet: nothing suggested by matter
    assert await routing.locator("optgroup[label=建议] option", has_text="劳资欠薪").count() == 0
    await hall.locator("[name=matter]").select_option("LABOUR_WAGES")
    # the suggestions follow the matter as it is chosen (htmx)
    by_matter = routing.locator("optgroup[label=建议] option", has_text="劳资欠薪事项")
    await by_matter.first.wait_for(state="attached")
    first = hall.locator("#intake-assign optgroup[label=建议] option").first
    assert await first.get_attribute("value") == factories.LMC
    assert "劳资欠薪事项 · 劳动争议调解" in await first.inner_text()
    await hall.locator("#intake-assign").select_option(factories.LMC)
    await hall.locator("[name=title]").fill("装修工程拖欠工资")
    await hall.locator("[name=description]").fill("六联社区某装修工程拖欠八名工人两个月工资。")
    await hall.screenshot(path=SHOTS / "intake-routing.png", full_page=True)
    await hall.get_by_role("button", name="登记", exact=True).click()
    await hall.wait_for_url("**/petitions/PS-*")
    number = hall.url.rsplit("/", 1)[1]
    assert "已交办" in await hall.locator(".petition-head .status").inner_text()
    timeline = await hall.locator("#timeline").inner_text()
    assert "受理" in timeline and "交办" in timeline

    # On the committee's worklist it waits to be signed for
    lmc = await signed_in_page(chromium, server, staff_users["lmc_handler"])
    await lmc.get_by_role("link", name=number).click()
    await lmc.wait_for_url(f"**/petitions/{number}")
    await lmc.get_by_role("button", name="签收").wait_for()
    assert violations == []


async def test_a_dispatcher_accepts_and_assigns_choosing_the_suggestion(
    chromium,  # noqa: F811
    server,
    staff_users,
    client_for,
):
    claim = await submit(await client_for(factories.WINDOW), title="工地拖欠工资（待分办）")
    violations: list[str] = []
    hall = await signed_in_page(
        chromium, server, staff_users["hall_dispatcher"], violations=violations
    )
    await hall.goto(f"{server.url}/petitions/{claim['number']}")
    form = hall.locator("#act-accept_assign")
    first = form.locator("optgroup[label=建议] option").first
    assert await first.get_attribute("value") == factories.LMC
    await form.locator("[name=organisation]").select_option(factories.LMC)
    await hall.screenshot(path=SHOTS / "accept-and-assign.png", full_page=True)
    await form.get_by_role("button", name="受理并交办").click()
    await hall.locator(".petition-head .status", has_text="已交办").wait_for()
    assert violations == []
