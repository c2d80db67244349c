"""Who sees what, on every GraphQL path, generated from DOMAIN.md's slice table.

The table is transcribed once (`SLICE`); each organisation's relations to an appeal
are read from the data, not picked by hand, and the expected answer on every path
follows from the two.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from tests import factories
from tests.steps import step

# DOMAIN.md, "Each partner's slice".
SLICE = {
    # an appeal: the appeals hall; the receiving organisation; every organisation ever
    # assigned it; the street platform over the community concerned
    "appeal": {"hall", "receiver", "ever_assigned", "street_over_community"},
    # ID number and phone: the hall and the organisations currently handling it
    "personal_data": {"hall", "handling_now"},
}
ORGANISATIONS = [factories.HALL, factories.WINDOW, factories.STREET, factories.LMC,
                 factories.PSY, factories.COURT, factories.OTHER_STREET, factories.OTHER_WINDOW]
STREET_OF = {
    factories.COMMUNITY: factories.STREET,
    factories.OTHER_COMMUNITY: factories.OTHER_STREET,
}

FIELDS = "number petitioner { idNumber phone masked }"
BY_ID = f"query($id: ID!) {{ petition(id: $id) {{ {FIELDS} }} }}"
BY_NUMBER = f"query($n: String!) {{ petition(number: $n) {{ {FIELDS} }} }}"
LIST = f"query($t: String) {{ petitions(filter: {{text: $t}}, first: 50) {{ totalCount edges {{ node {{ {FIELDS} }} }} }} }}"  # noqa: E501
FILTER = "query($t: String, $o: String) { petitions(filter: {text: $t, organisation: $o}) { totalCount } }"  # noqa: E501
ENTITIES = f"query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on Petition {{ {FIELDS} }} }} }}"  # noqa: E501
NESTED = "query($id: ID!) { petition(id: $id) { repeatOf { number } } }"


@dataclass
class Appeal:
    id: str
    number: str
    marker: str
    relations: dict[str, set[str]]


async def _life(client_for) -> Appeal:
    """An appeal received by the Liulian window, assigned to the labour mediation
    committee (lead, active) with the psychological care centre assisting and then
    returning it."""
    marker = f"矩阵{uuid.uuid4().hex[:8]}"
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    psy = await client_for(factories.PSY)
    lmc = await client_for(factories.LMC)
    appeal = await factories.submit(window, title=f"{marker} 欠薪")
    ident = appeal["id"]
    await step(hall, "acceptPetition", id=ident)
    await step(hall, "assignPetition", id=ident, organisationCode=factories.LMC, role="LEAD")
    await step(hall, "assignPetition", id=ident, organisationCode=factories.PSY, role="ASSISTING")
    await step(lmc, "acceptAssignment", id=ident)
    await step(psy, "returnAssignment", id=ident, reason="不属于本中心职责")
    state = (await hall.data(
        "query($id: ID!) { petition(id: $id) { receivedBy { code } community { code } "
        "assignments { status organisation { code } } } }", {"id": ident}))["petition"]
    relations: dict[str, set[str]] = {code: set() for code in ORGANISATIONS}
    relations[factories.HALL].add("hall")
    relations[state["receivedBy"]["code"]].add("receiver")
    relations[STREET_OF[state["community"]["code"]]].add("street_over_community")
    active = [a for a in state["assignments"] if a["status"] in ("PENDING", "ACCEPTED")]
    for a in state["assignments"]:
        relations[a["organisation"]["code"]].add("ever_assigned")
    for a in active:
        relations[a["organisation"]["code"]].add("handling_now")
    if not active:
        relations[state["receivedBy"]["code"]].add("handling_now")
    return Appeal(ident, appeal["number"], marker, relations)


@pytest.fixture
async def appeal(client_for) -> Appeal:
    return await _life(client_for)


def expected(appeal: Appeal, org: str, what: str) -> bool:
    return bool(appeal.relations[org] & SLICE[what])


def check_petition(node: dict | None, appeal: Appeal, org: str) -> None:
    if not expected(appeal, org, "appeal"):
        assert node is None, (org, node)
        return
    assert node is not None and node["number"] == appeal.number, org
    unmasked = expected(appeal, org, "personal_data")
    assert node["petitioner"]["masked"] is (not unmasked), org
    assert ("*" in node["petitioner"]["idNumber"]) is (not unmasked), org


@pytest.mark.parametrize("org", ORGANISATIONS)
async def test_every_path_answers_by_the_slice_table(org, appeal, client_for):
    client = await client_for(org)

    by_id = (await client.data(BY_ID, {"id": appeal.id}))["petition"]
    by_number = (await client.data(BY_NUMBER, {"n": appeal.number}))["petition"]
    listed = (await client.data(LIST, {"t": appeal.marker}))["petitions"]
    entities = (await client.data(ENTITIES, {"r": [{"__typename": "Petition",
                                                    "id": appeal.id}]}))["_entities"]
    filtered = (await client.data(FILTER, {"t": appeal.marker, "o": factories.LMC}))

    for node in (by_id, by_number, entities[0]):
        check_petition(node, appeal, org)
    visible = expected(appeal, org, "appeal")
    assert listed["totalCount"] == int(visible)
    check_petition(listed["edges"][0]["node"] if listed["edges"] else None, appeal, org)
    assert filtered["petitions"]["totalCount"] == int(visible)


async def test_the_slice_table_is_exercised_both_ways(appeal):
    # the fixture must give every rule a yes and a no, or the matrix proves little
    for what in SLICE:
        answers = {expected(appeal, org, what) for org in ORGANISATIONS}
        assert answers == {True, False}, what


async def test_a_nested_path_does_not_open_an_appeal_outside_the_slice(appeal, client_for):
    # Given the same petitioner appeals again, at the Maluan window, on the same matter
    hall = await client_for(factories.HALL)
    original = (await hall.data(BY_ID, {"id": appeal.id}))["petition"]
    other_window = await client_for(factories.OTHER_WINDOW)
    repeat = await factories.submit(
        other_window, title=f"{appeal.marker} 再次反映", communityCode=factories.OTHER_COMMUNITY,
        petitioner={"idNumber": original["petitioner"]["idNumber"]})
    assert repeat["repeatCount"] == 1

    # Then the hall follows repeatOf, the Maluan window (which never had it) does not
    for org, sees in ((factories.HALL, True), (factories.OTHER_WINDOW, False)):
        client = await client_for(org)
        nested = (await client.data(NESTED, {"id": repeat["id"]}))["petition"]["repeatOf"]
        assert (nested is not None) is sees, org
