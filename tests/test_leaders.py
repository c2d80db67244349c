"""The leaders' view: the data screen and the statistics pages give the same figures as
`Query.stats` for the same slice and period; leaders land on the screen; the monthly
report; the governance CSV import refuses a bad file and keeps the previous data."""

from __future__ import annotations

import html
import io
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from db import models
from resolvers.governance.profiles import DEMO_FILE
from tests import factories
from tests.factories import submit
from tests.staff import csrf_of
from tests.test_stats import STATS

FIGURES = ("received", "closed", "open", "overdue", "backlog")
RATES = {
    "completion_rate": "completionRate",
    "on_time_rate": "onTimeRate",
    "resolution_rate": "resolutionRate",
    "satisfaction_rate": "satisfactionRate",
}


def _same(screen_row: dict, api_row: dict) -> None:
    for name in FIGURES:
        assert screen_row[name] == api_row[name], name
    for ours, theirs in RATES.items():
        assert screen_row[ours] == api_row[theirs], ours


def _today() -> date:
    """The hub's local day (Asia/Shanghai), which is what the screen counts in."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


async def _year_stats(client, group_by: str) -> dict:
    today = _today()
    period = {"from": today.replace(month=1, day=1).isoformat(), "to": today.isoformat()}
    return (await client.data(STATS, {"period": period, "groupBy": group_by}))["stats"]


async def test_every_figure_on_the_screen_equals_query_stats(sign_in_as, client_for):
    await submit(await client_for(factories.WINDOW))
    for staff, org in (("hall_dispatcher", factories.HALL), ("lmc_handler", factories.LMC)):
        browser = await sign_in_as(staff)
        screen = (await browser.get("/screen/data")).json()
        api = await client_for(org)
        by_street = await _year_stats(api, "STREET")
        by_category = await _year_stats(api, "CATEGORY")
        by_matter = await _year_stats(api, "MATTER")

        _same(screen["year"], by_street["total"])
        assert [r["key"] for r in screen["byStreet"]] == [r["key"] for r in by_street["rows"]]
        for ours, theirs in zip(screen["byStreet"], by_street["rows"], strict=True):
            _same(ours, theirs)
        for ours, theirs in zip(screen["byCategory"], by_category["rows"], strict=True):
            _same(ours, theirs)
        for ours, theirs in zip(screen["byMatter"], by_matter["rows"], strict=True):
            _same(ours, theirs)
        assert [p["received"] for p in screen["pyramid"]] == [
            lv["received"] for lv in by_street["pyramid"]["levels"]
        ]
        assert screen["pyramidInverted"] == by_street["pyramid"]["inverted"]
        assert (
            sum(n for _, n in screen["monthly"]) >= screen["year"]["received"]
            or _today().month == 12
        )


async def test_the_screen_page_renders_whole_with_its_figures(sign_in_as):
    browser = await sign_in_as("hall_dispatcher")
    page = await browser.get("/screen")
    assert page.status_code == 200
    assert 'src="/static/echarts/echarts.min.js"' in page.text
    assert 'id="today-received"' in page.text and "走访金字塔" in page.text
    english = await browser.get("/screen?lang=en")
    assert "Visit pyramid" in english.text
    await browser.get("/screen?lang=zh")


async def test_leaders_land_on_the_screen_and_clerks_on_the_worklist(sign_in_as):
    leader = await sign_in_as("hall_leader")
    clerk = await sign_in_as("hall_dispatcher")
    assert (await leader.get("/", follow_redirects=False)).headers["location"] == "/screen"
    assert (await clerk.get("/", follow_redirects=False)).headers["location"] == "/petitions"


async def test_the_statistics_table_drills_down_and_exports(sign_in_as, client_for, world):
    await submit(await client_for(factories.WINDOW))
    browser = await sign_in_as("hall_dispatcher")
    today = _today()
    query = f"from={today.replace(month=1, day=1)}&to={today}"
    streets = await browser.get(f"/stats?{query}&group=street")
    assert streets.status_code == 200
    api = await _year_stats(await client_for(factories.HALL), "STREET")
    street = next(r for r in api["rows"] if r["key"] != "NONE")
    assert f"group=community&amp;street={street['key']}" in streets.text, streets.text[-3000:]

    communities = await browser.get(f"/stats?{query}&group=community&street={street['key']}")
    assert communities.status_code == 200
    assert "/petitions?community=PS-C-" in communities.text

    exported = await browser.get(f"/stats/export.xlsx?{query}&group=street")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["TOTAL"][2] == api["total"]["received"]
    assert rows[street["key"]][2] == street["received"]


async def test_the_monthly_report_is_a_workbook_of_the_seeds_figures(sign_in_as):
    browser = await sign_in_as("hall_dispatcher")
    month = _today().strftime("%Y-%m")
    answer = await browser.get(f"/reports/monthly.xlsx?month={month}")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["街道", "社区", "受理单位", "类别", "事项"]
    streets = book["街道"]
    assert streets["A2"].value == "代码" and streets["H2"].value == "办结率"
    assert streets.conditional_formatting  # rates coloured against their targets
    assert streets._charts


def _csv(*lines: str) -> bytes:
    return (
        "community,population,households,housing_units,public_facilities,public_services\n"
        + "\n".join(lines)
        + "\n"
    ).encode()


async def test_the_governance_import_refuses_a_bad_file_and_keeps_the_data(
    sign_in_as, sessionmaker, world
):
    admin = await sign_in_as("hall_admin")
    code = factories.COMMUNITY
    page = await admin.get("/admin/governance")
    token = csrf_of(page.text)

    good = await admin.post(
        "/admin/governance",
        data={"csrf_token": token},
        files={"file": ("g.csv", _csv(f"{code},1200,400,390,3,4"))},
    )
    assert good.status_code == 200 and "已导入 1 个社区的数据" in good.text

    bad = await admin.post(
        "/admin/governance",
        data={"csrf_token": token},
        files={
            "file": (
                "g.csv",
                _csv(f"{code},9000,300,290,3,4", "PS-C-NOWHERE,10,2,2,1,1", f"{code},abc,1,1,1,1"),
            )
        },
    )
    assert bad.status_code == 400
    shown = html.unescape(bad.text)
    assert "没有代码为'PS-C-NOWHERE'的社区" in shown
    assert "'abc'不是0至10000000之间的整数" in shown and "与第2行重复" in shown
    async with sessionmaker() as session:
        kept = (await session.scalars(select(models.CommunityProfile))).all()
    assert [(p.population, p.households) for p in kept] == [(1200, 400)]


def test_the_demo_csv_is_valid_for_the_demo_communities():
    from db.demo.places.regions import STREETS
    from resolvers.governance.profiles import parse_profiles

    rows, problems = parse_profiles(DEMO_FILE.read_text(encoding="utf-8"))
    assert problems == []
    assert len(rows) == sum(len(communities) for _, _, communities in STREETS) == 23


def test_the_cli_import_names_each_wrong_line(tmp_path, settings):
    from cli.main import app as cli

    bad = tmp_path / f"bad-{uuid.uuid4().hex[:4]}.csv"
    bad.write_bytes(_csv("PS-C-NOWHERE,10,2,2,1,1"))
    result = CliRunner().invoke(
        cli,
        ["governance", "import", str(bad)],
        env={"PETITION_HUB_DATABASE_URL": settings.database_url, "PETITION_HUB_SECRET_KEY": "x"},
    )
    assert result.exit_code == 1
    assert "line 2 community: no community has the code 'PS-C-NOWHERE'" in result.output
