"""Dispatch and intake on the pages: no default 事项; the employer, project and risk flag
stored from intake; a refused field shown beside it with nothing lost; the suggestions
first in the 交办 picker; 受理并交办 in one form; intake routing at once."""

from __future__ import annotations

import re
import uuid

from tests import factories
from tests.disputes import MAIN_CONTRACTOR, METRO, PROJECT, dispute_world  # noqa: F401
from tests.factories import submit


def form(**overrides: str) -> dict[str, str]:
    return {
        "name": "钱某",
        "id_number": factories.resident_id(),
        "phone": "13800138000",
        "people_count": "1",
        "category": "COMPLAINT",
        "matter": "LABOUR_WAGES",
        "channel": "WALK_IN",
        "community": factories.COMMUNITY,
        "title": "地铁工地欠薪",
        "description": "地铁十六号线工地拖欠三个月工资",
        "client_request_id": uuid.uuid4().hex,
    } | overrides


async def test_the_matter_has_no_default_and_is_required(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")

    page = await hall.get("/petitions/new")
    matter = re.search(r'<select name="matter".*?</select>', page.text, re.S)
    assert matter is not None
    assert re.search(r'<option value="">请选择</option>', matter.group(0))
    assert "selected" not in matter.group(0)

    refused = await hall.post("/petitions/new", form(matter=""))
    assert refused.status_code == 400
    assert re.search(r'id="err-matter"[^>]*>[^<]+<', refused.text)
    assert 'value="地铁工地欠薪"' in refused.text  # nothing typed is lost


async def test_intake_stores_the_employer_the_project_and_the_risk_flag(
    sign_in_as,
    dispute_world,  # noqa: F811
):
    hall = await sign_in_as("hall_dispatcher")

    page = await hall.get("/petitions/new")
    assert f'<option value="{MAIN_CONTRACTOR}">深圳市龙坪轨道建设有限公司</option>' in page.text
    response = await hall.post(
        "/petitions/new",
        form(
            employer=MAIN_CONTRACTOR,
            project=PROJECT,
            risk="1",
            risk_kind="BLOCKING_OFFICES",
            risk_note="扬言明天到区政府门口",
        ),
    )

    assert response.status_code == 303, response.text
    shown = (await hall.get(response.headers["location"])).text
    assert "深圳地铁16号线（坪山段）" in re.search(r'class="appeal-project">[^<]*', shown).group(0)
    parties = re.search(r'class="appeal-parties">.*?</dd>', shown, re.S).group(0)
    words = re.sub(r"<[^>]+>", "", parties)  # the name links to the enterprise's profile
    assert "用人单位：深圳市龙坪轨道建设有限公司" in words and MAIN_CONTRACTOR in parties
    assert "堵门缠访" in shown and "扬言明天到区政府门口" in shown
    assert '<span class="status s-received">' in shown  # registered, not routed


async def test_a_refused_field_is_shown_beside_it_and_nothing_is_lost(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")
    before = await hall.get("/petitions?q=错码单位")

    refused = await hall.post(
        "/petitions/new",
        form(
            title="错码单位",
            employer="91440300MA5F0000X",
            risk="1",
            risk_kind="EXTREME_WORDS",
            risk_note="情绪激动",
        ),
    )

    assert refused.status_code == 400
    assert re.search(r'id="err-employer"[^>]*>[^<]+<', refused.text)
    for kept in ('value="错码单位"', 'value="91440300MA5F0000X"', "情绪激动"):
        assert kept in refused.text
    assert (await hall.get("/petitions?q=错码单位")).text.count("错码单位") == (
        before.text.count("错码单位")
    )  # not registered


async def test_intake_suggests_live_and_the_hall_routes_as_it_registers(
    sign_in_as,
    dispute_world,  # noqa: F811
):
    hall, window = await sign_in_as("hall_dispatcher"), await sign_in_as("window_clerk")

    live = await hall.post("/petitions/new/dispatch", form(project=PROJECT), htmx=True)
    assert live.status_code == 200
    suggested = re.search(r'<optgroup label="建议">(.*?)</optgroup>', live.text, re.S)
    assert suggested is not None
    first = re.search(r'<option value="([^"]+)"[^>]*>([^<]*)<', suggested.group(1))
    assert first.group(1) == METRO
    assert "劳资欠薪事项 · 地铁项目工地" in first.group(2)
    # the rest by kind, after the suggestions
    assert '<optgroup label="劳动争议调解委员会">' in live.text or factories.LMC in suggested.group(
        1
    )
    # a community window registers but does not route: no routing field
    assert 'name="assign_to"' not in (await window.get("/petitions/new")).text

    response = await hall.post("/petitions/new", form(project=PROJECT, assign_to=METRO))
    assert response.status_code == 303, response.text
    shown = (await hall.get(response.headers["location"])).text
    assert '<span class="status s-assigned">' in shown


async def test_a_dispatcher_accepts_and_assigns_from_the_appeal_page(sign_in_as, client_for):
    hall = await sign_in_as("hall_dispatcher")
    claim = await submit(await client_for(factories.WINDOW))
    url = f"/petitions/{claim['number']}"

    page = (await hall.get(url)).text
    accept_assign = re.search(r'<form[^>]*id="act-accept_assign".*?</form>', page, re.S)
    assert accept_assign is not None
    suggested = re.search(r'<optgroup label="建议">(.*?)</optgroup>', accept_assign.group(0), re.S)
    assert factories.LMC in suggested.group(1) and "劳资欠薪事项 · 劳动争议调解" in suggested.group(
        1
    )
    version = re.search(r'name="version" value="(\d+)"', accept_assign.group(0)).group(1)

    done = await hall.post(
        f"{url}/act/accept_assign", {"organisation": factories.LMC, "version": version}
    )

    assert done.status_code == 303
    shown = (await hall.get(url)).text
    assert '<span class="status s-assigned">' in shown
    stale = await hall.post(
        f"{url}/act/accept_assign", {"organisation": factories.LMC, "version": version}
    )
    assert stale.status_code in (400, 409)  # no longer offered, or stale: refused either way
