"""Who sees a credit record, on every GraphQL path, from DOMAIN.md's slice table:
"credit record — public: every partner; restricted: the credit centre and the recording
organisation", a proposal (or a rejected one) being the centre's and the proposer's."""

from __future__ import annotations

import uuid

import pytest

from db import models
from tests import factories
from tests.credit import (
    CREDIT,
    credit_refused,
    credit_step,
    credit_world,  # noqa: F401 - a fixture
    new_employer,
)
from tests.disputes import (
    APAN,
    ARB,
    METRO,
    act,
    dispute_world,  # noqa: F401 - a fixture
)
from tests.factories import submit
from tests.steps import step

ORGANISATIONS = [
    CREDIT,
    APAN,
    factories.HALL,
    factories.WINDOW,
    factories.STREET,
    factories.LMC,
    factories.PSY,
    factories.COURT,
    factories.OTHER_STREET,
    factories.OTHER_WINDOW,
    ARB,
    METRO,
]
# The records below: a public commendation (the centre's), a restricted warning (the
# centre's), a proposal of 阿潘 (public once confirmed; not yet) and one it had rejected.
SEES = {
    CREDIT: {"commendation", "warning", "proposal", "rejected"},
    APAN: {"commendation", "proposal", "rejected"},
}
EVERY_PARTNER = {"commendation"}

LISTED = (
    "query($u: String!) { creditRecords(filter: {uscc: $u}, first: 50) "
    "{ totalCount edges { node { id } } } }"
)
BY_ID = "query($id: ID!) { creditRecord(id: $id) { id } }"
NESTED = "query($u: String!) { enterprise(uscc: $u) { creditRecords { id } } }"
SEARCHED = (
    "query($u: String!) { enterprises(filter: {search: $u}) "
    "{ totalCount edges { node { uscc creditRecords { id } } } } }"
)
ENTITIES = (
    "query($r: [_Any!]!) { _entities(representations: $r) "
    "{ ... on CreditRecord { id } ... on Enterprise { creditRecords { id } } } }"
)


@pytest.fixture(scope="module")
def made() -> dict:
    return {}


@pytest.fixture
async def credit_records(client_for, credit_world, dispute_world, made):  # noqa: F811
    if "records" not in made:
        window, apan, centre = [await client_for(c) for c in (factories.WINDOW, APAN, CREDIT)]
        uscc, name = new_employer()
        appeal = await submit(window, title="欠薪投诉", matter="LABOUR_WAGES")
        await act(window, "nameParties", id=appeal["id"],
                  parties=[{"uscc": uscc, "role": "EMPLOYER", "name": name}])  # fmt: skip
        await step(window, "acceptPetition", id=appeal["id"])
        await act(window, "openMediation", id=appeal["id"], kind="SOCIAL", mediatorCode=APAN)
        common = {"uscc": uscc, "petition": appeal["id"]}
        proposal = await credit_step(apan, "recordCreditRecord", kind="WAGE_ARREARS",
                                     summary="调解中发现拖欠工资", **common)  # fmt: skip
        rejected = await credit_step(apan, "recordCreditRecord", kind="WARNING",
                                     summary="拒不到场调解", **common)  # fmt: skip
        await credit_step(centre, "rejectCreditProposal", id=rejected["id"], reason="证据不足")
        warning = await credit_step(centre, "recordCreditRecord", uscc=uscc, kind="WARNING",
                                    public=False, summary="约谈警示")  # fmt: skip
        commendation = await credit_step(centre, "recordCreditRecord", uscc=uscc,
                                         kind="COMMENDATION", summary="按期足额支付")  # fmt: skip
        assert proposal["status"] == "PROPOSED" and warning["public"] is False
        made["appeal"] = appeal["id"]
        made["records"] = uscc, {
            "proposal": proposal["id"], "rejected": rejected["id"],
            "warning": warning["id"], "commendation": commendation["id"],
        }  # fmt: skip
    return made["records"]


@pytest.mark.parametrize("org", ORGANISATIONS)
async def test_every_path_answers_by_the_slice_table(org, credit_records, client_for):
    uscc, ids = credit_records
    client = await client_for(org)
    sees = SEES.get(org, EVERY_PARTNER)
    expected = sorted(ids[name] for name in sees)

    listed = (await client.data(LISTED, {"u": uscc}))["creditRecords"]
    assert listed["totalCount"] == len(expected), org
    assert sorted(e["node"]["id"] for e in listed["edges"]) == expected, org
    nested = (await client.data(NESTED, {"u": uscc}))["enterprise"]["creditRecords"]
    assert sorted(r["id"] for r in nested) == expected, org
    [found] = (await client.data(SEARCHED, {"u": uscc}))["enterprises"]["edges"]
    assert sorted(r["id"] for r in found["node"]["creditRecords"]) == expected, org
    for name, ident in ids.items():
        by_id = (await client.data(BY_ID, {"id": ident}))["creditRecord"]
        [entity] = (
            await client.data(ENTITIES, {"r": [{"__typename": "CreditRecord", "id": ident}]})
        )["_entities"]
        assert (by_id is not None) is (name in sees), (org, name)
        assert (entity is not None) is (name in sees), (org, name)  # _entities: the same slice
    [enterprise] = (
        await client.data(ENTITIES, {"r": [{"__typename": "Enterprise", "uscc": uscc}]})
    )["_entities"]
    assert sorted(r["id"] for r in enterprise["creditRecords"]) == expected, org


# The profile's disputes follow the chain's slices: the appeal (received by the window,
# under the 坪山 street, mediated by 阿潘) and its mediation (the mediator and the referrer).
SEES_APPEAL = {factories.WINDOW, factories.STREET, factories.HALL, APAN}
SEES_MEDIATION = {factories.WINDOW, APAN}
DISPUTES = (
    "query($u: String!) { enterprise(uscc: $u) { openAppeals { id } openMediations { id } } }"
)


@pytest.mark.parametrize("org", ORGANISATIONS)
async def test_the_profile_s_disputes_follow_the_chain_s_slices(
    org, credit_records, client_for, made
):
    uscc, _ = credit_records
    client = await client_for(org)
    profile = (await client.data(DISPUTES, {"u": uscc}))["enterprise"]
    assert [a["id"] for a in profile["openAppeals"]] == (
        [made["appeal"]] if org in SEES_APPEAL else []
    ), org
    assert len(profile["openMediations"]) == int(org in SEES_MEDIATION), org


@pytest.mark.parametrize("org", [APAN, factories.HALL, factories.COURT])
async def test_only_the_credit_centre_decides(org, credit_records, client_for):
    _, ids = credit_records
    client = await client_for(org)
    for ident in (ids["proposal"], "999999"):
        refused = await credit_refused(client, "confirmCreditProposal", id=ident)
        assert refused["extensions"]["code"] == "FORBIDDEN", org


async def test_a_step_on_no_record_is_not_found(credit_records, client_for):
    centre = await client_for(CREDIT)
    missing = await credit_refused(centre, "confirmCreditProposal", id="999999")
    assert missing["extensions"]["code"] == "NOT_FOUND"


async def test_credit_read_guards_every_path_for_tokens(credit_records, client_for):
    uscc, ids = credit_records
    client = await client_for(factories.COURT, scopes=("petitions:read",))
    for query, variables in (
        (LISTED, {"u": uscc}),
        (BY_ID, {"id": ids["commendation"]}),
        (NESTED, {"u": uscc}),
        (ENTITIES, {"r": [{"__typename": "CreditRecord", "id": ids["commendation"]}]}),
    ):
        error = await client.error(query, variables)
        assert error["extensions"]["code"] == "FORBIDDEN", query
    # the directory itself stays open: the enterprise, without its credit
    found = await client.data("query($u: String!) { enterprise(uscc: $u) { name } }", {"u": uscc})
    assert found["enterprise"]["name"]
    write = await client_for(CREDIT, scopes=("credit:read",))
    refused = await credit_refused(write, "confirmCreditProposal", id=ids["proposal"])
    assert refused["extensions"]["code"] == "FORBIDDEN"


PROFILES = """
query($s: String!, $first: Int) {
  enterprises(filter: {search: $s}, first: $first) {
    totalCount
    edges { node { uscc region { name } projects { code } openAppeals { number }
      creditRecords { kind recordedBy { code } enterprise { uscc } repairs { id }
                      events { kind } } } }
  }
}
"""


async def test_a_page_of_profiles_costs_the_same_whatever_its_size(
    server,
    client_for,
    sessionmaker,
    credit_world,  # noqa: F811
):
    marker = f"计数企业{uuid.uuid4().hex[:6]}"
    async with sessionmaker() as session:
        for i in range(50):
            uscc, _ = new_employer()
            enterprise = models.Enterprise(uscc=uscc, name=f"{marker}{i:02d}有限公司")
            session.add(enterprise)
            await session.flush()
            record = models.CreditRecord(
                enterprise_id=enterprise.id, kind=models.CreditRecordKind.COMMENDATION,
                stage=models.DisputeStage.BEFORE, status=models.CreditStatus.CONFIRMED,
                organisation_id=credit_world[CREDIT], effective_from=models.utcnow().date(),
            )  # fmt: skip
            session.add(record)
            await session.flush()
            session.add(models.CreditEvent(record_id=record.id,
                                           kind=models.CreditEventKind.CREDIT_RECORDED))  # fmt: skip
        await session.commit()
    court = await client_for(factories.COURT)
    await court.data(PROFILES, {"s": marker, "first": 1})  # warm the token's last use

    counts = {}
    for size in (5, 50):
        server.statements.reset()
        data = await court.data(PROFILES, {"s": marker, "first": size})
        counts[size] = server.statements.count
        assert len(data["enterprises"]["edges"]) == size
        assert all(len(e["node"]["creditRecords"]) == 1 for e in data["enterprises"]["edges"])
    assert counts[5] == counts[50], counts
