"""Who sees a mediation case, on every GraphQL path, from DOMAIN.md's slice table:
"mediation case: the mediator, the referring organisation, the court station when
judicial confirmation is asked"."""

from __future__ import annotations

import uuid

import pytest

from tests import factories
from tests.disputes import (
    APAN,
    ARB,
    METRO,
    act,
    dispute_world,  # noqa: F401 - a fixture
    refused,
)
from tests.factories import submit
from tests.steps import step

ORGANISATIONS = [
    factories.HALL,
    factories.WINDOW,
    factories.STREET,
    factories.LMC,
    factories.PSY,
    factories.COURT,
    factories.OTHER_STREET,
    factories.OTHER_WINDOW,
    APAN,
    ARB,
    METRO,
]
# The case below: referred by the Liulian window, mediated by 阿潘调解工作室, confirmation
# asked of the court station.
SEES_CASE = {factories.WINDOW, APAN, factories.COURT}
# Its appeal: received by the window, the street over Liulian, the hall, and 阿潘 (assigned).
SEES_APPEAL = {factories.WINDOW, factories.STREET, factories.HALL, APAN}

BY_ID = "query($id: ID!) { mediationCase(id: $id) { number } }"
LISTED = (
    "query($p: ID!) { mediationCases(filter: {petition: $p}) "
    "{ totalCount edges { node { number } } } }"
)
NESTED = "query($id: ID!) { petition(id: $id) { disputeChain { mediations { number } } } }"
ENTITIES = (
    "query($r: [_Any!]!) { _entities(representations: $r) { ... on MediationCase { number } } }"
)


@pytest.fixture(scope="module")
def cases() -> dict:
    return {}


@pytest.fixture
async def mediation(client_for, dispute_world, cases):  # noqa: F811
    if "case" not in cases:
        window = await client_for(factories.WINDOW)
        apan = await client_for(APAN)
        appeal = await submit(window, title=f"邻里纠纷{uuid.uuid4().hex[:6]}", matter="OTHER")
        await step(window, "acceptPetition", id=appeal["id"])
        case = await act(window, "openMediation", id=appeal["id"], kind="SOCIAL", mediatorCode=APAN)
        await act(apan, "concludeMediation", id=case["id"], outcome="AGREED", terms="互相谅解")
        await act(apan, "requestJudicialConfirmation", id=case["id"], courtCode="PS-COURT")
        cases["case"], cases["appeal"] = case, appeal
    return cases["case"], cases["appeal"]


@pytest.mark.parametrize("org", ORGANISATIONS)
async def test_every_path_answers_by_the_slice_table(org, mediation, client_for):
    case, appeal = mediation
    client = await client_for(org)
    sees = org in SEES_CASE

    by_id = (await client.data(BY_ID, {"id": case["id"]}))["mediationCase"]
    listed = (await client.data(LISTED, {"p": appeal["id"]}))["mediationCases"]
    nested = (await client.data(NESTED, {"id": appeal["id"]}))["petition"]
    [entity] = (
        await client.data(ENTITIES, {"r": [{"__typename": "MediationCase", "id": case["id"]}]})
    )["_entities"]

    assert (by_id is not None) is sees, org
    assert (entity is not None) is sees, org  # federation's _entities: the same slice
    assert listed["totalCount"] == int(sees), org
    assert [e["node"]["number"] for e in listed["edges"]] == ([case["number"]] if sees else [])
    if org not in SEES_APPEAL:
        assert nested is None, org
    else:
        chained = [m["number"] for m in nested["disputeChain"]["mediations"]]
        assert chained == ([case["number"]] if sees else []), org
    if not sees:  # a step on a case outside the slice: as for no case at all
        error = await refused(
            client,
            "recordMediationSession",
            id=case["id"],
            heldAt="2026-11-20T10:00:00+08:00",
            placeKind="STUDIO",
        )
        missing = await refused(
            client,
            "recordMediationSession",
            id="999999",
            heldAt="2026-11-20T10:00:00+08:00",
            placeKind="STUDIO",
        )
        assert error == missing | {"path": error["path"]}, org


async def test_the_table_is_exercised_both_ways():
    assert SEES_CASE & SEES_APPEAL and SEES_CASE - SEES_APPEAL and SEES_APPEAL - SEES_CASE
    assert set(ORGANISATIONS) - SEES_CASE - SEES_APPEAL
