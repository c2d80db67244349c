"""The worklist's views of the day (待签收, 办理中, 待回访, 我经办的 …) with live counts, the
view each person opens on, the filters the API already had, and bad values as a 400."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import event

from tests import factories
from tests.factories import submit
from tests.steps import step
from tests.test_pages_petition import version_of
from tests.test_pages_worklist import numbers_in

# The text search's condition on the title, as SQLite and PostgreSQL are sent it.
SEARCH = re.compile(r"petitions\.title\)? I?LIKE", re.IGNORECASE)


def current_view(html: str) -> str:
    return re.search(r'class="view-([a-z]+)" data-count="\d+" aria-current="page"', html).group(1)


def counts(html: str) -> dict[str, int]:
    return {v: int(n) for v, n in re.findall(r'class="view-([a-z]+)" data-count="(\d+)"', html)}


def tab_names(html: str) -> dict[str, str]:
    return dict(re.findall(r'class="view-([a-z]+)" data-count="\d+"[^>]*>(.*?) <span', html))


def lead_cells(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", c).strip() for c in re.findall(r'<td class="lead">(.*?)</td>', html)
    ]


async def assigned_to_lmc(hall_api, made) -> None:
    await step(hall_api, "acceptPetition", id=made["id"])
    await step(
        hall_api, "assignPetition", id=made["id"], organisationCode=factories.LMC, role="LEAD"
    )


async def test_a_handler_opens_on_what_waits_for_signing_and_follows_it_through(
    sign_in_as, client_for
):
    marker = f"视图{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    hall_api = await client_for(factories.HALL)
    made = [await submit(window, title=f"{marker} {i}") for i in range(3)]
    for m in made[:2]:
        await assigned_to_lmc(hall_api, m)
    lmc = await sign_in_as("lmc_handler")

    opened = (await lmc.get(f"/petitions?q={marker}")).text
    assert current_view(opened) == "sign"
    assert sorted(numbers_in(opened)) == sorted(m["number"] for m in made[:2])
    assert counts(opened)["sign"] == 2 and counts(opened)["all"] == 2
    assert "dispatch" not in counts(opened)  # 待分办 is the dispatchers'

    # Signs one and answers it, on the pages: it leaves 待签收, passes 办理中, lands in 待回访
    page = f"/petitions/{made[0]['number']}"
    taken = await lmc.post(
        f"{page}/act/accept_assignment", {"version": version_of((await lmc.get(page)).text)}
    )
    assert taken.status_code == 303
    handling = (await lmc.get(f"/petitions?q={marker}&view=handling")).text
    assert numbers_in(handling) == [made[0]["number"]] and counts(handling)["sign"] == 1
    await lmc.post(
        f"{page}/act/answer",
        {"version": version_of((await lmc.get(page)).text), "answer": "已协调支付"},
    )
    feedback = (await lmc.get(f"/petitions?q={marker}&view=feedback")).text
    assert numbers_in(feedback) == [made[0]["number"]]
    assert counts(feedback)["feedback"] == 1 and counts(feedback)["handling"] == 0
    # The answered appeal still shows who led it
    assert lead_cells(feedback) == ["劳动争议调解委员会"]
    mine = (await lmc.get(f"/petitions?q={marker}&view=mine")).text
    assert numbers_in(mine) == [made[0]["number"]]

    # With nothing left to sign, the handler opens on 办理中
    other = made[1]["number"]
    await lmc.post(
        f"/petitions/{other}/act/accept_assignment",
        {"version": version_of((await lmc.get(f"/petitions/{other}")).text)},
    )
    assert current_view((await lmc.get(f"/petitions?q={marker}")).text) == "handling"


async def test_each_role_opens_on_its_own_view_and_counts_match_the_rows(sign_in_as, client_for):
    marker = f"角色{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    for i in range(3):
        await submit(window, title=f"{marker} {i}")
    hall, leader, admin = (
        await sign_in_as("hall_dispatcher"),
        await sign_in_as("hall_leader"),
        await sign_in_as("hall_admin"),
    )

    dispatcher_page = (await hall.get(f"/petitions?q={marker}")).text
    assert current_view(dispatcher_page) == "dispatch"
    assert current_view((await leader.get(f"/petitions?q={marker}")).text) == "overdue"
    assert current_view((await admin.get(f"/petitions?q={marker}")).text) == "all"
    for view, count in counts(dispatcher_page).items():
        listed = (await hall.get(f"/petitions?q={marker}&view={view}")).text
        assert len(numbers_in(listed)) == count, view
        assert f"共 {count} 件" in listed


async def test_a_text_search_is_evaluated_once_for_all_the_tabs_counts(
    sign_in_as, client_for, server
):
    marker = f"一次{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    for i in range(2):
        await submit(window, title=f"{marker} {i}")
    hall = await sign_in_as("hall_dispatcher")
    said: list[str] = []

    def heard(_conn, _cursor, statement, *_):
        said.append(statement)

    engine = server.app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", heard)
    try:
        page = (await hall.get(f"/petitions?q={marker}&view=all")).text
    finally:
        event.remove(engine, "before_cursor_execute", heard)

    tabs = counts(page)
    assert len(tabs) == 8 and tabs["all"] == tabs["dispatch"] == 2
    searched = [s for s in said if SEARCH.search(s)]
    # one statement counts every tab, one lists the rows: the search once in each
    assert [len(SEARCH.findall(s)) for s in searched] == [1, 1], searched


async def test_the_filters_the_api_had_narrow_the_page_and_stay_in_the_url(sign_in_as, client_for):
    marker = f"筛选{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    hall_api = await client_for(factories.HALL)
    liulian = await submit(
        window, title=f"{marker} 六联", communityCode=factories.COMMUNITY, channel="HOTLINE"
    )
    maluan = await submit(
        window,
        title=f"{marker} 马峦",
        communityCode=factories.OTHER_COMMUNITY,
        peopleCount=12,
        receivedAt="2026-03-02T10:00:00+08:00",
    )
    await assigned_to_lmc(hall_api, maluan)
    hall = await sign_in_as("hall_dispatcher")

    async def listed(query: str) -> list[str]:
        return numbers_in((await hall.get(f"/petitions?view=all&q={marker}&{query}")).text)

    assert await listed("street=PS-S-MALUAN") == [maluan["number"]]
    assert await listed("street=PS-S-PINGSHAN") == [liulian["number"]]
    assert await listed("channel=HOTLINE") == [liulian["number"]]
    assert await listed("collective=1") == [maluan["number"]]
    assert await listed("collective=0") == [liulian["number"]]
    assert await listed(f"organisation={factories.LMC}") == [maluan["number"]]
    assert await listed("from=2026-03-02&to=2026-03-02") == [maluan["number"]]
    assert await listed("to=2026-03-01") == []
    assert await listed("skipping=1") == []
    assert await listed("repeat=0") == [liulian["number"], maluan["number"]]

    # The same rule answers the API's filter
    found = await hall_api.data(
        """query($f: PetitionFilter) { petitions(first: 10, filter: $f) {
             edges { node { number } } } }""",
        {"f": {"text": marker, "channel": ["HOTLINE"], "levelSkipping": False}},
    )
    assert [e["node"]["number"] for e in found["petitions"]["edges"]] == [liulian["number"]]

    page = (await hall.get(f"/petitions?view=all&q={marker}&street=PS-S-MALUAN")).text
    # communities under their street; the export carries the filters and the view
    assert re.search(r'<optgroup label="马峦街道">\s*<option value="PS-C-MALUAN"', page)
    export = re.search(r'href="(/petitions/export\.csv\?[^"]+)"', page).group(1)
    assert "street=PS-S-MALUAN" in export and "view=all" in export
    csv = (await hall.get(export.replace("&amp;", "&"))).text
    assert maluan["number"] in csv and liulian["number"] not in csv


async def test_a_value_the_form_could_not_send_is_a_400_naming_the_field(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")
    for query, field in [
        ("status=LEVITATING", "状态"),
        ("view=everything", "视图"),
        ("street=PS-S-ATLANTIS", "街道"),
        ("from=2026-13-45", "登记日期自"),
        ("collective=maybe", "集体访"),
        ("size=5000", "每页条数"),
    ]:
        page = await hall.get(f"/petitions?{query}")
        assert page.status_code == 400, query
        assert field in page.text, (query, page.text[-800:])
    english = await hall.get("/petitions/export.csv?channel=PIGEON&lang=en")
    assert english.status_code == 400 and "channel" in english.text


async def test_english_pages_name_places_in_english_and_list_roles_with_commas(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")
    chinese = (await hall.get("/petitions?view=all")).text
    english = (await hall.get("/petitions?view=all&lang=en")).text
    assert '<optgroup label="马峦街道">' in chinese
    assert '<optgroup label="Maluan">' in english and "马峦街道" not in english
    # the language switch keeps the page and its filters
    assert 'href="?view=all&amp;lang=zh" hreflang="zh"' in english
    assert "Labour Dispute Mediation Committee" in english
    assert "劳动争议调解委员会" in chinese
    # the tabs have names of their own in English (待签收 is not an assignment's "Pending")
    assert tab_names(english) == {
        "dispatch": "To dispatch",
        "sign": "To sign for",
        "handling": "In progress",
        "soon": "Due soon",
        "overdue": "Overdue",
        "feedback": "Awaiting return visit",
        "mine": "Mine",
        "all": "All",
    }
    assert tab_names(chinese)["sign"] == "待签收" and tab_names(chinese)["mine"] == "我经办的"
    clerk = await sign_in_as("street_clerk")
    page = (await clerk.get("/petitions?lang=en")).text
    assert re.search(r'<span class="roles">(.*?)</span>', page).group(1) == "Dispatcher, Handler"
    assert "Maluan Street Appeals Platform" in page
    chinese = (await clerk.get("/petitions?lang=zh")).text
    assert re.search(r'<span class="roles">(.*?)</span>', chinese).group(1) == "分办员、承办人"
