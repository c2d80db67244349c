"""The staff's day in a real Chromium (issue 17): the labour committee's handler opens on
待签收, signs and answers; a street platform's clerk filters by its communities and
exports. Counts match rows, dates never wrap, the lead stays after the answer, and the
English page names places in English on a one-row header."""

from __future__ import annotations

import csv
import io
import uuid

from tests import factories
from tests.factories import submit
from tests.steps import step
from tests.test_browser import SHOTS, chromium, pytestmark, signed_in_page  # noqa: F401

WIDTH = 1280  # the narrower of the two widths the pages are laid out for (1280, 1366)


async def tabs(page) -> dict[str, tuple[int, bool]]:
    """The views on the page: name → (count, whether it is the current one)."""
    found = {}
    for tab in await page.locator("nav.views a").all():
        view = (await tab.get_attribute("class")).removeprefix("view-")
        found[view] = (
            int(await tab.get_attribute("data-count")),
            await tab.get_attribute("aria-current") == "page",
        )
    return found


async def rows(page) -> int:
    return await page.locator("#worklist-results tbody tr").count()


async def assert_dates_do_not_wrap(page) -> None:
    dates = page.locator("#worklist-results td time")
    assert await dates.count() > 0
    for time in await dates.all():
        style = await time.evaluate(
            "e => [getComputedStyle(e).whiteSpace, e.getClientRects().length]"
        )
        assert style == ["nowrap", 1], style  # one box: the date is on one line


async def assert_header_on_one_row(page) -> None:
    boxes = [
        await page.locator(selector).first.bounding_box()
        for selector in (
            "header.top .brand",
            "header.top nav",
            "header.top .who",
            "header.top .lang",
        )
    ]
    header = await page.locator("header.top").bounding_box()
    assert header["height"] < 64, header
    middles = [b["y"] + b["height"] / 2 for b in boxes]
    assert max(middles) - min(middles) < 8, boxes


async def test_the_committees_handler_opens_on_what_waits_signs_and_answers(
    chromium,  # noqa: F811
    server,
    staff_users,
    client_for,
):
    server.app.state.event_poll_seconds = 0.5
    marker = f"签收{uuid.uuid4().hex[:6]}"
    hall = await client_for(factories.HALL)
    made = await submit(await client_for(factories.WINDOW), title=f"{marker} 工地欠薪")
    await step(hall, "acceptPetition", id=made["id"])
    await step(hall, "assignPetition", id=made["id"], organisationCode=factories.LMC, role="LEAD")

    page = await signed_in_page(chromium, server, staff_users["lmc_handler"], width=WIDTH)
    views = await tabs(page)
    assert views["sign"][1], views  # a handler with something to sign opens on 待签收
    assert "dispatch" not in views
    assert views["sign"][0] == await rows(page) or views["sign"][0] > 25
    await page.get_by_label("搜索").fill(marker)
    await page.wait_for_url("**q=*")
    await page.locator("nav.views a.view-sign[data-count='1']").wait_for()
    assert await rows(page) == 1
    await assert_dates_do_not_wrap(page)
    await page.screenshot(path=SHOTS / "day-handler-sign.png")

    await page.get_by_role("link", name=made["number"]).click()
    await page.wait_for_url(f"**/petitions/{made['number']}")
    await page.get_by_role("button", name="签收").click()
    await page.locator(".petition-head .status", has_text="办理中").wait_for()
    await page.locator("#act-answer [name=answer]").fill("已约谈企业，工资本周发放。")
    await page.locator("#act-answer").get_by_role("button", name="答复").click()
    await page.locator(".petition-head .status", has_text="已答复").wait_for()

    # 待回访 holds it now, and the lead column still names the committee
    await page.goto(f"{server.url}/petitions?view=feedback&q={marker}")
    views = await tabs(page)
    assert views["feedback"] == (1, True) and views["sign"][0] == 0 and views["mine"][0] == 1
    assert await rows(page) == 1
    assert await page.locator("td.lead").inner_text() == "劳动争议调解委员会"
    await assert_dates_do_not_wrap(page)

    # In English: the names in English, the roles by the English separator, one header row
    await page.goto(f"{server.url}/petitions?view=feedback&q={marker}&lang=en")
    assert await page.locator("td.lead").inner_text() == "Labour Dispute Mediation Committee"
    assert "Liulian Community Window" in await page.locator("#worklist-results").inner_text()
    assert await page.locator("nav.views a[aria-current]").inner_text() == "Awaiting return visit 1"
    await assert_header_on_one_row(page)
    await assert_dates_do_not_wrap(page)
    await page.screenshot(path=SHOTS / "day-handler-feedback-en.png")


async def test_a_street_clerk_filters_by_its_communities_and_exports_them(
    chromium,  # noqa: F811
    server,
    staff_users,
    client_for,
):
    marker = f"街道{uuid.uuid4().hex[:6]}"
    maluan_window = await client_for(factories.OTHER_WINDOW)
    ours = await submit(
        maluan_window, title=f"{marker} 马峦", communityCode=factories.OTHER_COMMUNITY
    )
    elsewhere = await submit(
        await client_for(factories.WINDOW),
        title=f"{marker} 六联",
        communityCode=factories.COMMUNITY,
    )

    page = await signed_in_page(chromium, server, staff_users["street_clerk"], width=WIDTH)
    assert (await tabs(page))["dispatch"][1]  # a dispatcher opens on 待分办
    # The communities come under their street
    group = page.locator("select[name=community] optgroup[label='马峦街道']")
    assert await group.locator("option").all_inner_texts() == ["马峦社区"]
    await page.locator("select[name=community]").select_option(factories.OTHER_COMMUNITY)
    await page.wait_for_url("**community=*")
    await page.get_by_label("搜索").fill(marker)
    await page.wait_for_url("**q=*")
    await page.get_by_role("link", name=ours["number"]).wait_for()
    # The search swaps the results in after the address changes: wait for the one row
    for _ in range(100):
        if await rows(page) == 1:
            break
        await page.wait_for_timeout(100)
    views = await tabs(page)
    assert await rows(page) == views["dispatch"][0] == 1
    assert elsewhere["number"] not in await page.locator("#worklist-results").inner_text()
    await assert_dates_do_not_wrap(page)
    await page.screenshot(path=SHOTS / "day-street-filtered.png")

    # The export carries the view and the filters: the same rows
    link = page.locator("#worklist-results a", has_text="CSV")
    href = await link.get_attribute("href")
    assert f"community={factories.OTHER_COMMUNITY}" in href and "view=dispatch" in href
    exported = await page.request.get(f"{server.url}{href}")
    table = list(csv.reader(io.StringIO((await exported.text()).lstrip("\ufeff"))))
    assert [r[0] for r in table[1:]] == [ours["number"]]
    assert table[1][8] == "马峦社区"

    # In English: the street's communities by their English names, one header row
    await page.goto(f"{server.url}/petitions?lang=en")
    roles = await page.locator("header .roles").text_content()
    assert roles == "Dispatcher, Handler"
    assert await page.locator("header .org").inner_text() == "Maluan Street Appeals Platform"
    english = page.locator("select[name=community] optgroup[label='Maluan']")
    assert await english.locator("option").all_inner_texts() == ["Maluan"]
    await assert_header_on_one_row(page)
