"""The worklist and the backlog pages: whole and partial, filters, search, pages, badges."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlsplit

from tests import factories
from tests.factories import submit
from tests.steps import step


def numbers_in(html: str) -> list[str]:
    return re.findall(r'href="/petitions/(PS-\d{4}-\d{6})"', html)


async def test_signing_in_is_needed_and_comes_back_to_the_page(anonymous):
    page = await anonymous.get("/petitions?q=工资")
    assert page.status_code == 303
    target = parse_qs(urlsplit(page.headers["location"]).query)["next"]
    assert urlsplit(page.headers["location"]).path == "/login"
    assert target == ["/petitions?q=%E5%B7%A5%E8%B5%84"]
    home = await anonymous.get("/")
    assert home.status_code == 303 and home.headers["location"].startswith("/login?next=")


async def test_htmx_without_a_session_is_sent_to_the_login_page(anonymous):
    page = await anonymous.get("/petitions", headers={"HX-Request": "true"})
    assert page.headers["HX-Redirect"].startswith("/login?next=")


async def test_the_worklist_renders_whole_and_its_results_alone_for_htmx(sign_in_as, client_for):
    marker = f"整页{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    made = await submit(window, title=f"{marker} 拖欠工资")
    hall = await sign_in_as("hall_dispatcher")

    whole = await hall.get(f"/petitions?q={marker}")
    partial = await hall.get(f"/petitions?q={marker}", htmx=True)

    assert whole.status_code == partial.status_code == 200
    assert "<html" in whole.text and "大厅分办员" in whole.text
    assert "区群众诉求服务大厅" in whole.text
    assert 'name="q"' in whole.text and "退出" in whole.text
    assert "<html" not in partial.text
    assert partial.text.lstrip().startswith('<section id="worklist-results"')
    assert numbers_in(whole.text) == numbers_in(partial.text) == [made["number"]]
    assert "剩余7个工作日" in partial.text


async def test_the_worklist_holds_only_the_callers_slice(sign_in_as, client_for):
    marker = f"切片{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    hall_api = await client_for(factories.HALL)
    mine = await submit(window, title=f"{marker} 一")
    theirs = await submit(window, title=f"{marker} 二")
    await step(hall_api, "acceptPetition", id=mine["id"])
    await step(
        hall_api, "assignPetition", id=mine["id"], organisationCode=factories.LMC, role="LEAD"
    )
    lmc, court = await sign_in_as("lmc_handler"), await sign_in_as("court_clerk")

    assert numbers_in((await lmc.get(f"/petitions?q={marker}")).text) == [mine["number"]]
    assert theirs["number"] not in (await lmc.get(f"/petitions?q={marker}")).text
    assert numbers_in((await court.get(f"/petitions?q={marker}")).text) == []


async def test_filters_sorting_and_keyset_pages_keep_their_place(sign_in_as, client_for):
    marker = f"翻页{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    made = [
        await submit(window, title=f"{marker} {i}", category=category)
        for i, category in enumerate(["COMPLAINT", "CONSULTATION", "COMPLAINT"])
    ]
    hall = await sign_in_as("hall_dispatcher")

    first = await hall.get(f"/petitions?q={marker}&size=2")
    next_url = re.search(r'rel="next" href="([^"]+)"', first.text).group(1).replace("&amp;", "&")
    second = await hall.get(next_url, htmx=True)
    by_category = await hall.get(f"/petitions?q={marker}&category=CONSULTATION")
    by_due = await hall.get(f"/petitions?q={marker}&sort=due")

    newest_first = [m["number"] for m in reversed(made)]
    assert numbers_in(first.text) == newest_first[:2]
    assert "q=" in next_url and "size=2" in next_url and "after=" in next_url
    assert numbers_in(second.text) == newest_first[2:]
    assert numbers_in(by_category.text) == [made[1]["number"]]
    assert numbers_in(by_due.text)[0] == made[1]["number"]  # a consultation is due first
    assert (await hall.get("/petitions?after=garbage")).status_code == 200


async def test_the_backlog_lists_backlog_cases_with_their_owners(sign_in_as, client_for):
    marker = f"积案{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    hall_api = await client_for(factories.HALL)
    flagged = await submit(window, title=f"{marker} 长期未结")
    await submit(window, title=f"{marker} 普通")
    await step(hall_api, "markBacklog", id=flagged["id"], owner="王主任")
    hall = await sign_in_as("hall_dispatcher")

    whole = await hall.get(f"/backlog?q={marker}")
    partial = await hall.get(f"/backlog?q={marker}", htmx=True)

    assert numbers_in(whole.text) == numbers_in(partial.text) == [flagged["number"]]
    assert "王主任" in partial.text and "<html" in whole.text and "<html" not in partial.text


async def test_a_page_of_fifty_costs_what_a_page_of_five_costs(server, sign_in_as, client_for):
    marker = f"语句{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    hall_api = await client_for(factories.HALL)
    for i in range(50):
        made = await submit(window, title=f"{marker} {i}")
        if i % 5 == 0:
            await step(hall_api, "acceptPetition", id=made["id"])
            await step(
                hall_api,
                "assignPetition",
                id=made["id"],
                organisationCode=factories.LMC,
                role="LEAD",
            )
    hall = await sign_in_as("hall_dispatcher")

    counts = {}
    for size in (5, 50):
        server.statements.reset()
        page = await hall.get(f"/petitions?view=all&q={marker}&size={size}")
        counts[size] = server.statements.count
        assert len(numbers_in(page.text)) == size

    assert counts[5] == counts[50], counts
    assert counts[50] <= 13, counts  # 12, and one for the risk badges (care/risk.py)
