"""The credit pages: the centre's proposals (confirm, reject: htmx, versions, errors),
the enterprise search and profile (each caller's slice of records and appeals; the
centre's repair), the employer's public standing on the appeal page, languages and
the profile's statement count."""

from __future__ import annotations

import re

from tests import factories
from tests.credit_pages import employer_on_an_appeal, record, row_of, standings_in, text_of
from tests.disputes import act
from tests.factories import submit


def version_in(html: str, form_id: str) -> str:
    form = re.search(rf'id="{form_id}".*?</form>', html, re.S).group(0)
    return re.search(r'name="version" value="(\d+)"', form).group(1)


async def test_the_centre_confirms_a_proposal_and_it_joins_the_profile(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    proposal = await record(await client_for(factories.LMC), employer, "WAGE_ARREARS", "第1期未付")
    officer = await sign_in_as("credit_officer")

    page = await officer.get("/credit/proposals")
    row = row_of(page.text, proposal["id"])
    confirmed = await officer.post(
        f"/credit/records/{proposal['id']}/act/confirm",
        {"version": version_in(row, f"confirm-{proposal['id']}")},
        htmx=True,
    )
    profile = await officer.get(f"/enterprises/{employer.uscc}")

    assert page.status_code == 200 and employer.name in row and "第1期未付" in row
    assert 'id="reject-' + proposal["id"] + '"' in row  # the reject form beside it
    assert confirmed.status_code == 200
    assert confirmed.text.lstrip().startswith('<section id="proposals"')
    assert "已确认：记录已加入企业信用档案。" in confirmed.text
    assert row_of(confirmed.text, proposal["id"]) == ""  # no longer awaiting
    assert "已确认" in row_of(profile.text, proposal["id"])
    assert "信用状况：欠薪记录1条（已确认）" in text_of(profile.text)


async def test_a_rejection_needs_its_reason_and_keeps_it(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    proposal = await record(await client_for(factories.LMC), employer, "WAGE_ARREARS", "误报")
    officer = await sign_in_as("credit_officer")
    url = f"/credit/records/{proposal['id']}/act/reject"

    without = await officer.post(url, {"version": "1", "reason": " "})
    with_reason = await officer.post(url, {"version": "1", "reason": "企业已举证按期支付"})
    profile = await officer.get(f"/enterprises/{employer.uscc}")

    assert without.status_code == 400 and "<html" in without.text
    assert "无法完成：" in row_of(without.text, proposal["id"])
    assert with_reason.status_code == 303
    assert with_reason.headers["location"] == "/credit/proposals"
    assert "驳回理由：企业已举证按期支付" in text_of(row_of(profile.text, proposal["id"]))
    assert "已驳回" in row_of(profile.text, proposal["id"])


async def test_a_stale_proposal_page_gets_the_conflict_message(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    proposal = await record(await client_for(factories.LMC), employer, "WARNING", "多次欠薪")
    officer = await sign_in_as("credit_officer")
    url = f"/credit/records/{proposal['id']}/act/confirm"
    await officer.post(url, {"version": "1"})

    again = await officer.post(url, {"version": "1"}, htmx=True)
    plain = await officer.post(url, {"version": "1"})

    assert again.status_code == 200 and "刚被他人处理" in again.text
    assert plain.status_code == 409
    missing = await officer.post("/credit/records/987654321/act/confirm", {"version": "1"})
    assert missing.status_code == 404


async def test_only_the_centre_is_offered_the_decisions(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    proposal = await record(await client_for(factories.LMC), employer, "WAGE_ARREARS", "第2期未付")
    lmc, officer = await sign_in_as("lmc_handler"), await sign_in_as("credit_officer")

    mine = await lmc.get("/credit/proposals")  # the proposing organisation sees its own
    tried = await lmc.post(f"/credit/records/{proposal['id']}/act/confirm", {"version": "1"})
    nav = {
        name: (await who.get("/petitions")).text
        for name, who in (("lmc", lmc), ("officer", officer))
    }

    assert "第2期未付" in row_of(mine.text, proposal["id"])
    assert 'id="confirm-' not in mine.text
    assert tried.status_code == 403 and "只有公共信用信息服务中心可以决定信用记录" in tried.text
    assert "/credit/proposals" in nav["officer"] and "/credit/proposals" not in nav["lmc"]
    assert "/enterprises" in nav["lmc"]


async def test_a_restricted_record_stays_with_the_centre_and_its_recorder(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    centre = await client_for(factories.CREDIT)
    public = await record(centre, employer, "WAGE_ARREARS", "公开的欠薪记录")
    warning = await record(centre, employer, "WARNING", "内部警示", public=False)
    own = await record(await client_for(factories.LMC), employer, "WARNING", "劳调委的内部提议", public=False)  # fmt: skip
    officer, lmc, court = (
        await sign_in_as("credit_officer"),
        await sign_in_as("lmc_handler"),
        await sign_in_as("court_clerk"),
    )

    seen = {
        name: (await who.get(f"/enterprises/{employer.uscc}")).text
        for name, who in (("centre", officer), ("lmc", lmc), ("court", court))
    }

    for name in ("centre", "lmc", "court"):
        assert "公开的欠薪记录" in row_of(seen[name], public["id"]), name
        assert standings_in(seen[name]) == ["信用状况：欠薪记录1条（已确认）"], name
    assert row_of(seen["centre"], warning["id"]) and row_of(seen["centre"], own["id"])
    assert row_of(seen["lmc"], own["id"]) and not row_of(seen["lmc"], warning["id"])
    assert "内部警示" not in seen["court"] and "劳调委的内部提议" not in seen["court"]
    assert "内部警示" not in seen["lmc"]
    # The standing counts public records only, whoever asks.
    assert standings_in(seen["centre"]) == ["信用状况：欠薪记录1条（已确认）"]


async def test_the_profile_lists_only_the_appeals_and_mediations_in_the_slice(
    sign_in_as, client_for
):
    employer = await employer_on_an_appeal(client_for)
    # A second appeal, from 马峦 and given to nobody, names the same employer.
    elsewhere = await submit(await client_for(factories.OTHER_WINDOW), title="马峦的欠薪诉求")
    await act(
        await client_for(factories.HALL), "nameParties", id=elsewhere["id"],
        parties=[{"uscc": employer.uscc, "role": "EMPLOYER"}],
    )  # fmt: skip
    case = await act(
        await client_for(factories.HALL), "openMediation", id=employer.appeal["id"],
        kind="ADMINISTRATIVE", mediatorCode=factories.LMC,
    )  # fmt: skip
    lmc, hall = await sign_in_as("lmc_handler"), await sign_in_as("hall_dispatcher")
    court = await sign_in_as("court_clerk")

    seen = {
        name: (await who.get(f"/enterprises/{employer.uscc}")).text
        for name, who in (("lmc", lmc), ("hall", hall), ("court", court))
    }

    assert employer.appeal["number"] in seen["hall"] and elsewhere["number"] in seen["hall"]
    assert employer.appeal["number"] in seen["lmc"]
    assert elsewhere["number"] not in seen["lmc"]
    assert employer.appeal["number"] not in seen["court"]
    assert "您的范围内没有涉及该企业的在办诉求。" in seen["court"]
    assert case["number"] in seen["lmc"] and case["number"] not in seen["court"]


async def test_the_centre_records_a_repair_on_the_profile(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    arrears = await record(await client_for(factories.CREDIT), employer, "WAGE_ARREARS", "欠薪两月")
    officer, court = await sign_in_as("credit_officer"), await sign_in_as("court_clerk")
    before = await officer.get(f"/enterprises/{employer.uscc}")

    repaired = await officer.post(
        f"/credit/records/{arrears['id']}/act/repair",
        {
            "version": version_in(before.text, f"repair-{arrears['id']}"),
            "reason": "欠款已于11月付清",
            "from": "profile",
            "uscc": employer.uscc,
        },
        htmx=True,
    )
    seen_by_court = await court.get(f"/enterprises/{employer.uscc}")

    assert repaired.status_code == 200
    assert repaired.text.lstrip().startswith('<article id="enterprise"')
    assert "已记录信用修复" in repaired.text
    assert "已修复" in row_of(repaired.text, arrears["id"])
    assert "欠款已于11月付清" in row_of(repaired.text, arrears["id"])
    assert f'id="repair-{arrears["id"]}"' not in repaired.text  # repaired once
    assert "信用状况：欠薪记录1条（已修复）" in text_of(seen_by_court.text)
    assert 'id="repair-' not in seen_by_court.text  # only the centre repairs


async def test_the_appeal_page_shows_the_employers_public_standing(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    centre = await client_for(factories.CREDIT)
    await record(centre, employer, "WAGE_ARREARS", "欠薪记录")
    await record(centre, employer, "WARNING", "内部警示", public=False)
    lmc = await sign_in_as("lmc_handler")

    page = await lmc.get(f"/petitions/{employer.appeal['number']}")
    block = re.search(r'class="appeal-parties">.*?</dd>', page.text, re.S).group(0)

    assert employer.name in block and f'href="/enterprises/{employer.uscc}"' in block
    assert "用人单位：" in text_of(block)
    assert "信用状况：欠薪记录1条（已确认）" in text_of(block)
    assert "警示" not in block


async def test_search_finds_an_enterprise_by_name_or_code(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    court = await sign_in_as("court_clerk")

    by_name = await court.get("/enterprises", params={"q": employer.name[-8:]})
    by_code = await court.get("/enterprises", params={"q": employer.uscc[:14]}, htmx=True)
    nothing = await court.get("/enterprises", params={"q": "没有这家企业"})
    odd = await court.get("/enterprises", params={"q": "x" * 200})
    stale = await court.get("/enterprises", params={"after": "不是游标"})

    assert f'href="/enterprises/{employer.uscc}"' in by_name.text and "<html" in by_name.text
    assert by_code.text.lstrip().startswith('<section id="enterprise-results"')
    assert f'href="/enterprises/{employer.uscc}"' in by_code.text
    assert "没有符合条件的企业。" in nothing.text
    assert odd.status_code == 200 and 'role="alert"' in odd.text
    assert stale.status_code == 200 and "翻页位置无效，已从第一页显示" in stale.text
    assert (await court.get("/enterprises/914403000000000000")).status_code == 404


async def test_the_pages_speak_english_on_request(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    await record(await client_for(factories.CREDIT), employer, "WAGE_ARREARS", "欠薪")
    court = await sign_in_as("court_clerk")

    profile = await court.get(f"/enterprises/{employer.uscc}?lang=en")

    assert "Credit standing:" in profile.text and "Wage arrears" in profile.text
    assert "信用状况" not in profile.text


async def test_a_profile_costs_the_same_statements_for_one_record_as_for_many(
    server, sign_in_as, client_for
):
    one, many = await employer_on_an_appeal(client_for), await employer_on_an_appeal(client_for)
    centre, lmc = await client_for(factories.CREDIT), await client_for(factories.LMC)
    await record(centre, one, "WAGE_ARREARS", "一条")
    for i in range(12):
        made = await record(lmc if i % 2 else centre, many, "WARNING", f"第{i}条", public=i % 3 > 0)
        assert made["id"]
    officer = await sign_in_as("credit_officer")

    counts = {}
    for name, employer in (("one", one), ("many", many)):
        server.statements.reset()
        page = await officer.get(f"/enterprises/{employer.uscc}")
        counts[name] = server.statements.count
        assert page.status_code == 200

    assert counts["one"] == counts["many"], counts
    assert counts["many"] <= 14, counts  # the session's, then one batch per kind of thing


async def test_the_mediation_case_shows_its_parties_standing(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    centre = await client_for(factories.CREDIT)
    await record(centre, employer, "DISHONEST", "裁决逾期未履行")
    await record(centre, employer, "WARNING", "内部警示", public=False)
    case = await act(
        await client_for(factories.HALL), "openMediation", id=employer.appeal["id"],
        kind="ADMINISTRATIVE", mediatorCode=factories.LMC,
    )  # fmt: skip
    mediator = await sign_in_as("lmc_mediator")

    page = await mediator.get(f"/disputes/{case['id']}")

    assert page.status_code == 200 and f'href="/enterprises/{employer.uscc}"' in page.text
    assert standings_in(page.text) == ["信用状况：失信名单记录1条（已确认）"]


async def test_a_commitment_signed_at_mediation_joins_the_profile(sign_in_as, client_for):
    employer = await employer_on_an_appeal(client_for)
    case = await act(
        await client_for(factories.HALL), "openMediation", id=employer.appeal["id"],
        kind="ADMINISTRATIVE", mediatorCode=factories.LMC,
    )  # fmt: skip
    mediator = await sign_in_as("lmc_mediator")
    page = (await mediator.get(f"/disputes/{case['id']}")).text

    concluded = await mediator.post(
        f"/disputes/{case['id']}/act/conclude",
        {
            "version": str(case["version"]), "outcome": "AGREED", "agreement_amount": "30000",
            "instalments": "2030-01-15 30000", "credit_commitment": "1",
        },
    )  # fmt: skip
    profile = await mediator.get(f"/enterprises/{employer.uscc}")

    assert 'name="credit_commitment"' in page
    assert concluded.status_code == 303, concluded.text
    assert standings_in(profile.text) == ["信用状况：信用承诺记录1条（已确认）"]
    assert case["number"] in profile.text  # the commitment names its agreement
