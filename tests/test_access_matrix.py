"""Who sees what, on every GraphQL path, generated from DOMAIN.md's slice table.

The table is transcribed once (`SLICE`); each organisation's relations to an appeal
are read from the data, not picked by hand, and the expected answer on every path
follows from the two.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import uuid
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from db import models
from resolvers.access import tokens
from tests import factories, staff
from tests.steps import step
from tests.streams import subscription

# DOMAIN.md, "Each partner's slice".
SLICE = {
    # an appeal: the appeals hall; the receiving organisation; every organisation ever
    # assigned it; the street platform over the community concerned
    "appeal": {"hall", "receiver", "ever_assigned", "street_over_community"},
    # ID number and phone: the hall and the organisations currently handling it
    "personal_data": {"hall", "handling_now"},
}
ORGANISATIONS = [
    factories.HALL,
    factories.WINDOW,
    factories.STREET,
    factories.LMC,
    factories.PSY,
    factories.COURT,
    factories.OTHER_STREET,
    factories.OTHER_WINDOW,
]
STREET_OF = {
    factories.COMMUNITY: factories.STREET,
    factories.OTHER_COMMUNITY: factories.OTHER_STREET,
}

FIELDS = "number petitioner { idNumber phone masked }"
BY_ID = f"query($id: ID!) {{ petition(id: $id) {{ {FIELDS} }} }}"
BY_NUMBER = f"query($n: String!) {{ petition(number: $n) {{ {FIELDS} }} }}"
LIST = f"query($t: String) {{ petitions(filter: {{text: $t}}, first: 50) {{ totalCount edges {{ node {{ {FIELDS} }} }} }} }}"
FILTER = "query($t: String, $o: String) { petitions(filter: {text: $t, organisation: $o}) { totalCount } }"
ENTITIES = (
    f"query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on Petition {{ {FIELDS} }} }} }}"
)
NESTED = "query($id: ID!) { petition(id: $id) { repeatCount repeatOf { number } } }"


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
    state = (
        await hall.data(
            "query($id: ID!) { petition(id: $id) { receivedBy { code } community { code } "
            "assignments { status organisation { code } } } }",
            {"id": ident},
        )
    )["petition"]
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
    entities = (await client.data(ENTITIES, {"r": [{"__typename": "Petition", "id": appeal.id}]}))[
        "_entities"
    ]
    filtered = await client.data(FILTER, {"t": appeal.marker, "o": factories.LMC})

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
        other_window,
        title=f"{appeal.marker} 再次反映",
        communityCode=factories.OTHER_COMMUNITY,
        petitioner={"idNumber": original["petitioner"]["idNumber"]},
    )
    # the Maluan window is not told of an appeal outside its slice; the hall is
    assert repeat["repeatCount"] == 0
    counted = (await hall.data(NESTED, {"id": repeat["id"]}))["petition"]
    assert counted["repeatCount"] == 1

    # Then the hall follows repeatOf, the Maluan window (which never had it) does not
    for org, sees in ((factories.HALL, True), (factories.OTHER_WINDOW, False)):
        client = await client_for(org)
        nested = (await client.data(NESTED, {"id": repeat["id"]}))["petition"]["repeatOf"]
        assert (nested is not None) is sees, org


async def test_the_subscription_carries_exactly_the_slice(server, client_for):
    # Given every organisation following the event stream from now on
    async with contextlib.AsyncExitStack() as stack:
        streams = {}
        for org in ORGANISATIONS:
            client = await client_for(org)
            token = client.http.headers["Authorization"].removeprefix("Bearer ")
            streams[org] = await stack.enter_async_context(subscription(server.url, token))
            await streams[org].subscribe()
        await asyncio.sleep(0.3)  # let every stream take its starting point

        # When an appeal lives its life (received, assigned, returned by PSY)
        appeal = await _life(client_for)

        # Then the hall sees all of it; each other organisation sees it iff the table says
        hall_events = await streams[factories.HALL].events_until(
            lambda e: e["kind"] == "ASSIGNMENT_RETURNED" and e["petition"]["id"] == appeal.id
        )
        assert hall_events[0]["kind"] == "SUBMITTED"
        for org in ORGANISATIONS[1:]:
            stream = streams[org]
            if expected(appeal, org, "appeal"):
                got = await stream.events_until(lambda e: e["kind"] == "ASSIGNMENT_RETURNED")
                assert {e["petition"]["id"] for e in got} == {appeal.id}, org
            else:
                assert await stream.nothing_for(0.5), org


# The scope axis: a token without `petitions:read` reads no appeal on any path, even
# the hall's (which sees every appeal by its slice).
WITHOUT_READ = [("events:subscribe",), ("credit:read",), ("admin",), ("petitions:write",)]
NESTED_EVENT = "query($id: ID!) { petition(id: $id) { events { petition { number } } } }"


@pytest.mark.parametrize("scopes", WITHOUT_READ, ids=lambda s: "+".join(s))
@pytest.mark.parametrize("org", [factories.HALL, factories.LMC])
async def test_every_path_needs_the_read_scope(org, scopes, appeal, client_for):
    client = await client_for(org, scopes=scopes)
    paths = {
        "by id": (BY_ID, {"id": appeal.id}),
        "by number": (BY_NUMBER, {"n": appeal.number}),
        "list": (LIST, {"t": appeal.marker}),
        "filter": (FILTER, {"t": appeal.marker, "o": factories.LMC}),
        "entities": (ENTITIES, {"r": [{"__typename": "Petition", "id": appeal.id}]}),
        "nested": (NESTED_EVENT, {"id": appeal.id}),
    }
    for path, (query, variables) in paths.items():
        body = await client.post(query, variables)
        assert appeal.number not in json.dumps(body, ensure_ascii=False), path
        assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}, path


async def test_the_subscription_needs_the_read_scope_for_its_appeals(server, client_for):
    # Given the hall following the stream with a token that may subscribe but not read
    follower = await client_for(factories.HALL, scopes=("events:subscribe",))
    token = follower.http.headers["Authorization"].removeprefix("Bearer ")
    async with subscription(server.url, token) as stream:
        await stream.subscribe()
        await asyncio.sleep(0.3)

        # When an appeal is registered
        window = await client_for(factories.WINDOW)
        appeal = await factories.submit(window, title=f"范围{uuid.uuid4().hex[:8]}")

        # Then its event arrives, but not the appeal
        message = await stream.message()
    assert message["type"] == "next", message
    payload = message["payload"]
    assert payload["data"]["petitionEvents"]["kind"] == "SUBMITTED"
    assert payload["data"]["petitionEvents"]["petition"] is None
    assert [e["extensions"]["code"] for e in payload["errors"]] == ["FORBIDDEN"]
    assert appeal["number"] not in json.dumps(payload, ensure_ascii=False)


@pytest.fixture(scope="session")
async def matrix_staff(sessionmaker, world) -> dict[str, str]:
    """A handler in every organisation of the matrix: code → username."""
    names = {org: f"matrix.{org.lower()}" for org in ORGANISATIONS}
    async with sessionmaker() as session:
        existing = set(await session.scalars(select(models.StaffUser.username)))
        for org, username in names.items():
            if username not in existing:
                await tokens.create_user(
                    session=session,
                    caller=None,
                    organisation_code=org,
                    username=username,
                    password=staff.PASSWORD,
                    roles=[models.Role.HANDLER],
                )
    return names


@pytest.mark.parametrize("org", ORGANISATIONS)
async def test_the_pages_and_the_export_answer_by_the_slice_table(
    org, appeal, server, matrix_staff
):
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as browser:
        token = staff.csrf_of((await browser.get("/login")).text)
        signed = await browser.post(
            "/login",
            data={"username": matrix_staff[org], "password": staff.PASSWORD, "csrf_token": token},
        )
        assert signed.status_code == 303

        page = await browser.get(f"/petitions/{appeal.number}")
        nonexistent = await browser.get("/petitions/PS-2026-999999")
        export = await browser.get(f"/petitions/export.csv?q={appeal.marker}")

    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))[1:]
    if not expected(appeal, org, "appeal"):
        assert page.status_code == 404 and page.text == nonexistent.text, org
        assert rows == [], org
        return
    assert page.status_code == 200 and appeal.number in page.text, org
    assert [r[0] for r in rows] == [appeal.number], org
    masked = not expected(appeal, org, "personal_data")
    assert ("*" in rows[0][14]) is masked, org
    assert ("**********" in page.text) is masked, org
