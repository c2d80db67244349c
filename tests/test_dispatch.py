"""Dispatch over GraphQL: `Petition.dispatchSuggestions` (by matter and place, for who may
assign), `acceptAndAssignPetition` (one transaction, both events, version-checked), and
`submitPetition` routing at once with the employer, the project and a risk flag."""

from __future__ import annotations

from typing import Any

from tests import factories
from tests.disputes import HRSS, MAIN_CONTRACTOR, METRO, PROJECT, ROOM, SITE, dispute_world  # noqa: F401
from tests.factories import submit

SUGGESTIONS = """
query Suggest($number: String!) {
  petition(number: $number) {
    dispatchSuggestions { organisation { code } basis matter place count reason }
  }
}
"""

ROUTED = """
query Routed($number: String!) {
  petition(number: $number) {
    status version project { code }
    parties { role enterprise { uscc name } }
    riskFlags { kind note }
    assignments { role status organisation { code } }
    events { kind organisation { code } }
  }
}
"""

ACCEPT_AND_ASSIGN = """
mutation Route($number: String!, $org: String!, $version: Int) {
  acceptAndAssignPetition(number: $number, organisationCode: $org, expectedVersion: $version) {
    status version assignments { role status organisation { code } }
  }
}
"""


async def suggestions(client: Any, number: str) -> list[dict[str, Any]]:
    data = await client.data(SUGGESTIONS, {"number": number})
    return data["petition"]["dispatchSuggestions"]


async def test_a_wage_claim_on_a_metro_site_suggests_the_metro_centre_first(
    hall,
    window,
    labour_committee,
    dispute_world,  # noqa: F811
):
    claim = await submit(window, communityCode=factories.COMMUNITY, projectCode=PROJECT)

    found = await suggestions(hall, claim["number"])
    codes = [s["organisation"]["code"] for s in found]

    assert found[0]["organisation"]["code"] == METRO
    assert found[0]["basis"] == "METRO_SITE"
    assert found[0]["reason"] == "劳资欠薪事项 · 地铁项目工地 · 深圳地铁16号线（坪山段）"
    # then the site's room and station, the committee and the regulator, then the place:
    # the street platform above the community's window
    for code in (ROOM, SITE, factories.LMC, HRSS, factories.STREET):
        assert code in codes
    assert codes.index(ROOM) < codes.index(SITE) < codes.index(factories.LMC)
    assert codes.index(factories.LMC) < codes.index(HRSS) < codes.index(factories.STREET)
    assert codes.index(factories.STREET) < codes.index(factories.WINDOW)
    assert factories.HALL not in codes
    reasons = {s["organisation"]["code"]: s["reason"] for s in found}
    assert reasons[factories.LMC] == "劳资欠薪事项 · 劳动争议调解"
    assert reasons[factories.STREET] == "所在街道 · 坪山街道"
    assert reasons[factories.WINDOW] == "所在社区 · 六联社区"

    # Who may not assign it gets none: the committee (not in its slice yet: null), the window
    assert (await labour_committee.post(SUGGESTIONS, {"number": claim["number"]}))["data"][
        "petition"
    ] is None
    assert await suggestions(window, claim["number"]) == []


async def test_another_matter_is_suggested_by_place_and_by_who_usually_leads_it(hall, window):
    earlier = await submit(window, matter="HOUSING")
    await hall.data(ACCEPT_AND_ASSIGN, {"number": earlier["number"], "org": factories.PSY})

    found = await suggestions(hall, (await submit(window, matter="HOUSING"))["number"])
    usual = {s["organisation"]["code"]: s for s in found if s["basis"] == "USUAL"}

    assert factories.PSY in usual and usual[factories.PSY]["count"] >= 1
    assert usual[factories.PSY]["reason"] == (
        f"住房事项 · 近一年主办{usual[factories.PSY]['count']}件"
    )
    codes = [s["organisation"]["code"] for s in found]
    assert factories.LMC not in codes  # not a labour matter
    assert codes[-2:] == [factories.STREET, factories.WINDOW]  # the place comes last


async def test_accept_and_assign_is_one_step_with_both_events(hall, window):
    claim = await submit(window)
    before = (await hall.data(ROUTED, {"number": claim["number"]}))["petition"]

    stale = await hall.error(
        ACCEPT_AND_ASSIGN,
        {"number": claim["number"], "org": factories.LMC, "version": before["version"] + 1},
    )
    assert stale["extensions"]["code"] == "CONFLICT"
    routed = (
        await hall.data(
            ACCEPT_AND_ASSIGN,
            {"number": claim["number"], "org": factories.LMC, "version": before["version"]},
        )
    )["acceptAndAssignPetition"]

    assert routed["status"] == "ASSIGNED"
    assert routed["version"] == before["version"] + 1
    assert routed["assignments"] == [
        {"role": "LEAD", "status": "PENDING", "organisation": {"code": factories.LMC}}
    ]
    after = (await hall.data(ROUTED, {"number": claim["number"]}))["petition"]
    assert [e["kind"] for e in after["events"]][-2:] == ["ACCEPTED", "ASSIGNED"]

    # An organisation that does not exist: refused, and not even accepted
    other = await submit(window)
    refused = await hall.error(ACCEPT_AND_ASSIGN, {"number": other["number"], "org": "PS-NONE"})
    assert refused["extensions"]["code"] == "BAD_USER_INPUT"
    assert refused["extensions"]["field"] == "organisationCode"
    unchanged = (await hall.data(ROUTED, {"number": other["number"]}))["petition"]
    assert unchanged["status"] == "RECEIVED" and unchanged["assignments"] == []


async def test_the_hall_registers_and_routes_at_once_with_employer_project_and_flag(
    hall,
    window,
    dispute_world,  # noqa: F811
):
    claim = await submit(
        hall,
        communityCode=factories.COMMUNITY,
        parties=[{"uscc": MAIN_CONTRACTOR, "role": "EMPLOYER"}],
        projectCode=PROJECT,
        riskFlag={"kind": "EXTREME_WORDS", "note": "情绪激动"},
        assignTo=METRO,
    )

    routed = (await hall.data(ROUTED, {"number": claim["number"]}))["petition"]
    assert routed["status"] == "ASSIGNED"
    assert routed["project"] == {"code": PROJECT}
    assert routed["parties"] == [
        {
            "role": "EMPLOYER",
            "enterprise": {"uscc": MAIN_CONTRACTOR, "name": "深圳市龙坪轨道建设有限公司"},
        }
    ]
    assert routed["riskFlags"] == [{"kind": "EXTREME_WORDS", "note": "情绪激动"}]
    assert routed["assignments"] == [
        {"role": "LEAD", "status": "PENDING", "organisation": {"code": METRO}}
    ]
    assert [e["kind"] for e in routed["events"]] == [
        "SUBMITTED", "PARTIES_NAMED", "RISK_FLAGGED", "ACCEPTED", "ASSIGNED"
    ]  # fmt: skip


async def test_a_refused_part_of_intake_keeps_nothing(hall, window):
    count = "query { petitions(first: 1) { totalCount } }"
    before = (await hall.data(count))["petitions"]["totalCount"]

    bad_code = await hall.error(
        factories.SUBMIT,
        {
            "input": factories.submission(
                parties=[{"uscc": "91440300MA5F0000X", "role": "EMPLOYER"}]
            )
        },
    )
    no_such_project = await hall.error(
        factories.SUBMIT, {"input": factories.submission(projectCode="PRJ-NONE")}
    )
    # a community window registers, but does not dispatch
    not_a_dispatcher = await window.error(
        factories.SUBMIT, {"input": factories.submission(assignTo=factories.LMC)}
    )

    assert bad_code["extensions"]["field"] == "parties.0.uscc"
    assert no_such_project["extensions"]["field"] == "projectCode"
    assert not_a_dispatcher["extensions"]["code"] == "FORBIDDEN"
    assert (await hall.data(count))["petitions"]["totalCount"] == before
