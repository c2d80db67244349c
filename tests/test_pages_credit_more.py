"""The credit pages, continued: the record form on the profile (the centre records, a
partner proposes, refusals beside their fields), the proposals' 已处理 view (keyset
pages, statements), the standing line's punctuation in English, and the top
navigation's disputes entry for each kind of partner."""

from __future__ import annotations

import re

from tests import factories
from tests.credit_pages import employer_on_an_appeal, record, row_of, standings_in, text_of
from tests.disputes import dispute_world, partner_staff, signed_in  # noqa: F401 - fixtures


def record_ids(html: str) -> list[str]:
    return re.findall(r'<tr id="record-(\d+)"', html)


def said_beside(html: str, field: str) -> str:
    match = re.search(rf'id="record-error-{field}">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def form_of(html: str) -> str:
    match = re.search(r'<form id="record-form".*?</form>', html, re.S)
    return match.group(0) if match else ""


async def test_the_centre_records_a_restricted_warning_on_the_profile(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    officer, court = await sign_in_as("credit_officer"), await sign_in_as("court_clerk")
    page = await officer.get(f"/enterprises/{employer.uscc}")

    made = await officer.post(
        f"/enterprises/{employer.uscc}/records",
        {
            "kind": "WARNING",
            "stage": "BEFORE",
            "public": "0",
            "summary": "多次拖延发放工资",
            "effectiveFrom": "2026-01-01",
            "effectiveUntil": "2027-12-31",
        },
        htmx=True,
    )
    seen_by_court = await court.get(f"/enterprises/{employer.uscc}")

    assert 'id="record-form"' in page.text and "记录信用记录" in page.text
    assert made.status_code == 200, made.text
    assert made.text.lstrip().startswith('<article id="enterprise"')
    assert "已记录：记录已生效并加入企业信用档案。" in made.text
    (row,) = [row_of(made.text, i) for i in record_ids(made.text)]
    assert "多次拖延发放工资" in row and "已确认" in row and "仅限中心和记录单位" in row
    assert "2026-01-01" in row and "2027-12-31" in row and "事前" in row
    assert "多次拖延发放工资" not in seen_by_court.text  # restricted
    assert 'value=""' not in form_of(made.text).split('name="summary"')[0][-5:]  # form reset
    assert "多次拖延发放工资" not in form_of(made.text)


async def test_refusals_are_said_beside_their_fields_with_what_was_typed(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    officer = await sign_in_as("credit_officer")
    url = f"/enterprises/{employer.uscc}/records"
    base = {"kind": "COMMENDATION", "public": "1", "summary": "按时足额发放工资"}

    backwards = await officer.post(
        url, {**base, "effectiveFrom": "2026-06-01", "effectiveUntil": "2026-01-01"}
    )
    empty = await officer.post(url, {**base, "summary": "  "}, htmx=True)
    odd_day = await officer.post(url, {**base, "effectiveFrom": "明天"}, htmx=True)
    no_appeal = await officer.post(url, {**base, "petition": "PH-0000-000000"}, htmx=True)
    profile = await officer.get(f"/enterprises/{employer.uscc}")

    assert backwards.status_code == 400 and "<html" in backwards.text
    assert said_beside(backwards.text, "effectiveUntil")
    form = form_of(backwards.text)
    assert 'value="2026-06-01"' in form and 'value="2026-01-01"' in form
    assert "按时足额发放工资</textarea>" in form and 'value="COMMENDATION" selected' in form
    assert empty.status_code == 200 and said_beside(empty.text, "summary")
    assert said_beside(odd_day.text, "effectiveFrom") and 'value="明天"' in form_of(odd_day.text)
    assert said_beside(no_appeal.text, "petition")
    assert 'value="PH-0000-000000"' in form_of(no_appeal.text)
    assert not record_ids(profile.text)  # nothing was recorded


async def test_a_partner_proposes_from_an_appeal_it_handles(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    lmc, officer = await sign_in_as("lmc_handler"), await sign_in_as("credit_officer")
    url = f"/enterprises/{employer.uscc}/records"
    page = await lmc.get(f"/enterprises/{employer.uscc}")

    without = await lmc.post(url, {"kind": "WARNING", "public": "1", "summary": "拒不到场"})
    proposed = await lmc.post(
        url,
        {"kind": "WARNING", "public": "1", "summary": f"{employer.name}拒不到场调解",
         "petition": employer.appeal["number"]},
    )  # fmt: skip
    proposals = await officer.get("/credit/proposals")

    assert "提出信用记录提议" in page.text and "提出提议" in form_of(page.text)
    assert without.status_code == 400 and said_beside(without.text, "petition")
    assert proposed.status_code == 303
    assert proposed.headers["location"] == f"/enterprises/{employer.uscc}"
    rows = re.findall(r'<tr id="record-\d+".*?</tr>', proposals.text, re.S)
    (row,) = [r for r in rows if f"{employer.name}拒不到场调解" in r]  # awaiting a decision
    assert 'id="confirm-' in row


async def test_the_appeal_must_be_in_the_partners_slice_and_name_the_enterprise(
    sign_in_as, client_for
):
    employer = await employer_on_an_appeal(client_for)
    other = await employer_on_an_appeal(client_for)
    court, lmc = await sign_in_as("court_clerk"), await sign_in_as("lmc_handler")
    data = {"kind": "WARNING", "public": "1", "summary": "提议"}

    outside = await court.post(
        f"/enterprises/{employer.uscc}/records", {**data, "petition": employer.appeal["number"]}
    )
    unnamed = await lmc.post(
        f"/enterprises/{employer.uscc}/records", {**data, "petition": other.appeal["number"]}
    )

    assert outside.status_code == 400 and said_beside(outside.text, "petition")
    assert unnamed.status_code == 400 and said_beside(unnamed.text, "petition")


async def test_only_those_the_rule_allows_are_offered_the_form(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    window = await sign_in_as("window_clerk")

    page = await window.get(f"/enterprises/{employer.uscc}")
    tried = await window.post(
        f"/enterprises/{employer.uscc}/records",
        {
            "kind": "WARNING",
            "public": "1",
            "summary": "试试",
            "petition": employer.appeal["number"],
        },
    )

    assert page.status_code == 200 and 'id="record-form"' not in page.text
    assert tried.status_code == 403 and said_beside(tried.text, "general")
    assert (await window.post("/enterprises/914403000000000000/records", {})).status_code == 404


async def test_the_decided_view_lists_decisions_newest_first_with_who_when_why(
    sign_in_as, client_for
):
    employer = await employer_on_an_appeal(client_for)
    lmc_api, centre = await client_for(factories.LMC), await client_for(factories.CREDIT)
    first = await record(lmc_api, employer, "WAGE_ARREARS", "第一条提议")
    second = await record(lmc_api, employer, "WARNING", "第二条提议")
    waiting = await record(lmc_api, employer, "WARNING", "仍待确认")
    own = await record(centre, employer, "COMMENDATION", "中心自己的记录")
    officer = await sign_in_as("credit_officer")
    await officer.post(f"/credit/records/{first['id']}/act/confirm", {"version": "1"})
    await officer.post(
        f"/credit/records/{second['id']}/act/reject", {"version": "1", "reason": "证据不足"}
    )
    await officer.post(
        f"/credit/records/{first['id']}/act/repair", {"version": "2", "reason": "欠款已付清"}
    )

    decided = await officer.get("/credit/proposals?view=decided")
    awaiting = await officer.get("/credit/proposals")
    lmc = await sign_in_as("lmc_handler")
    theirs = await lmc.get("/credit/proposals?view=decided", htmx=True)

    shown = record_ids(decided.text)
    assert shown.index(second["id"]) < shown.index(first["id"])  # newest decision first
    assert waiting["id"] not in shown and own["id"] not in shown  # only decided proposals
    rejected = text_of(row_of(decided.text, second["id"]))
    assert "已驳回" in rejected and "证据不足" in rejected and "信用专员" in rejected
    repaired = text_of(row_of(decided.text, first["id"]))
    assert "已修复" in repaired and "已修复：欠款已付清" in repaired and "信用专员" in repaired
    assert 'id="confirm-' not in decided.text
    assert first["id"] not in record_ids(awaiting.text)
    assert waiting["id"] in record_ids(awaiting.text)
    assert theirs.text.lstrip().startswith('<section id="proposals"')
    assert second["id"] in record_ids(theirs.text)  # the proposing organisation sees its own


async def test_the_decided_view_pages_by_keyset_at_a_constant_statement_count(
    server, sign_in_as, client_for
):
    employer = await employer_on_an_appeal(client_for)
    lmc_api = await client_for(factories.LMC)
    officer = await sign_in_as("credit_officer")
    made = [await record(lmc_api, employer, "WARNING", f"提议{i}") for i in range(3)]
    for m in made:
        await officer.post(f"/credit/records/{m['id']}/act/confirm", {"version": "1"})

    counts = {}
    server.statements.reset()
    await officer.get("/credit/proposals?view=decided")
    counts["few"] = server.statements.count
    more = [await record(lmc_api, employer, "WARNING", f"再提议{i}") for i in range(9)]
    for m in more:
        await officer.post(
            f"/credit/records/{m['id']}/act/reject", {"version": "1", "reason": "不成立"}
        )
    server.statements.reset()
    page = await officer.get("/credit/proposals?view=decided")
    counts["many"] = server.statements.count

    assert counts["few"] == counts["many"], counts
    ids = record_ids(page.text)
    assert [m["id"] for m in reversed(more)] == ids[:9]  # the newest decisions first
    stale = await officer.get("/credit/proposals?view=decided&after=不是游标")
    assert stale.status_code == 200 and "翻页位置无效，已从第一页显示" in stale.text


async def test_the_decided_view_keyset_pages_meet_without_gaps(sign_in_as, client_for, monkeypatch):
    from web.views import credit

    monkeypatch.setattr(credit, "PAGE_SIZE", 2)
    employer = await employer_on_an_appeal(client_for)
    lmc_api = await client_for(factories.LMC)
    officer = await sign_in_as("credit_officer")
    made = [await record(lmc_api, employer, "WARNING", f"翻页{i}") for i in range(3)]
    for m in made:
        await officer.post(f"/credit/records/{m['id']}/act/confirm", {"version": "1"})

    seen, url = [], "/credit/proposals?view=decided"
    for _ in range(50):
        page = await officer.get(url)
        seen += record_ids(page.text)
        following = re.search(r'rel="next" href="([^"]+)"', page.text)
        if not following:
            break
        url = following.group(1).replace("&amp;", "&")
        assert "view=decided" in url

    assert len(seen) == len(set(seen))
    assert [m["id"] for m in reversed(made)] == seen[:3]


async def test_the_standing_line_speaks_english_punctuation(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    centre = await client_for(factories.CREDIT)
    await record(centre, employer, "WAGE_ARREARS", "欠薪")
    await record(centre, employer, "COMMENDATION", "守信")
    court = await sign_in_as("court_clerk")

    english = await court.get(f"/enterprises/{employer.uscc}?lang=en")
    chinese = await court.get(f"/enterprises/{employer.uscc}?lang=zh")

    (line,) = {re.sub(r"<[^>]+>", "", s) for s in re.findall(r'<a class="standing".*?</a>', english.text, re.S)}  # fmt: skip
    assert "（" not in line and "）" not in line and "；" not in line, line
    assert "(Confirmed)" in line and "; " in line, line
    assert standings_in(chinese.text) == [
        "信用状况：守信激励记录1条（已确认）；欠薪记录1条（已确认）"
    ] or standings_in(chinese.text) == [
        "信用状况：欠薪记录1条（已确认）；守信激励记录1条（已确认）"
    ]


async def test_the_disputes_entry_leads_each_partner_to_its_own_list(
    server,
    sign_in_as,
    partner_staff,  # noqa: F811
):
    def entry_of(html: str) -> str:
        nav = re.search(r'<header class="top">.*?</nav>', html, re.S).group(0)
        return re.search(r'<a href="/disputes[^"]*">[^<]*</a>', nav).group(0)

    entries = {}
    for name in ("lmc_mediator", "hall_dispatcher", "court_clerk", "credit_officer"):
        entries[name] = entry_of((await (await sign_in_as(name)).get("/petitions")).text)
    arbitrator = await signed_in(server, "t.arb.clerk")
    try:
        entries["arbitrator"] = entry_of((await arbitrator.get("/petitions")).text)
        english = entry_of((await arbitrator.get("/petitions?lang=en")).text)
    finally:
        await arbitrator.http.aclose()

    assert entries == {
        "lmc_mediator": '<a href="/disputes">调解案件</a>',
        "hall_dispatcher": '<a href="/disputes">访调心裁</a>',
        "court_clerk": '<a href="/disputes/litigation">诉讼案件</a>',
        "credit_officer": '<a href="/disputes">调解案件</a>',
        "arbitrator": '<a href="/disputes/arbitration">仲裁案件</a>',
    }
    assert "仲裁案件" not in english
