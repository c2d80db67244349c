"""The district's graph, driven with the real npm tooling on loopback.

Composition (The Guild's `@theguild/federation-composition`, and Apollo's
`@apollo/composition` as a second opinion), Hive Gateway serving the supergraph in front
of the live hub and the court station's example subgraph (`federation/examples/`), each
caller's own token forwarded to both. The gateway is started once for this module.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from stdnum.cn import uscc as uscc_code

from db import models
from tests import factories
from tests.federation import FEDERATION, Switch, compose, free_port, node_process, require_tooling
from tests.steps import step
from tests.streams import Stream, connect

CROSSING = """
query Cases($first: Int) {
  courtCases(first: $first) {
    totalCount
    edges { node {
      caseNumber stage cause
      judgment { documentNumber amount }
      petition { id number title status receivedBy { code } }
      enterprise { uscc name judgments { caseNumber } }
    } }
  }
}
"""

BY_NUMBER = """
query One($number: String!) {
  petition(number: $number) { number title courtCase { caseNumber stage cause } }
}
"""

HUNDRED = """
query Hundred {
  courtCases(first: 100) {
    edges { node { caseNumber petition { number title receivedBy { name } } } }
  }
}
"""


@dataclass
class Court:
    """The court's records and the appeals they came from."""

    assigned: list[dict[str, Any]]  # given to the court by the hall
    escalated: dict[str, Any]  # mediated by the LMC first, then taken to court
    received: list[dict[str, Any]]  # 100 registered at the court station itself
    enterprise: str
    cases_file: Path
    tokens: dict[str, str]


@dataclass
class Gateway:
    url: str
    court_switch: Switch
    composition: dict[str, Any]
    supergraph: Path

    async def post(
        self, token: str | None, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.post(
                f"{self.url}/graphql",
                json={"query": query, "variables": variables or {}},
                headers=headers,
            )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, token: str, query: str, **variables: Any) -> dict[str, Any]:
        body = await self.post(token, query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]


class Client:
    """A GraphQL client on the hub itself, for setting the scene."""

    def __init__(self, url: str, token: str) -> None:
        self.http = httpx.AsyncClient(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        payload = {"query": query, "variables": variables or {}}
        body = (await self.http.post("/graphql", json=payload)).json()
        assert "errors" not in body, body["errors"]
        return body["data"]


def _case(number: int, petition: dict[str, Any], uscc: str, filed: str) -> dict[str, Any]:
    return {
        "caseNumber": f"(2026)粤0310民初{number}号",
        "kind": "LITIGATION",
        "stage": "DECIDED" if number < 2000 else "FILED",
        "cause": "劳动报酬纠纷",
        "filedAt": filed,
        "petitionId": petition["id"],
        "petitionNumber": petition["number"],
        "enterpriseUscc": uscc,
    }


@pytest.fixture(scope="module")
async def court_station(server, sessionmaker, world, tmp_path_factory) -> AsyncIterator[Court]:
    """Given: two appeals the hall gave the court, one the LMC mediated and then took to
    court, 100 registered at the court station; the court's case file for all of them."""
    require_tooling()
    async with sessionmaker() as s:
        tokens = {
            org: await factories.token(s, org)
            for org in (factories.HALL, factories.WINDOW, factories.LMC, factories.COURT)
        }
        tokens["court-read-only"] = await factories.token(s, factories.COURT, ("petitions:read",))
        tokens["court-admin"] = await factories.token(s, factories.COURT, ("admin",))
        first17 = f"91440300MA5F{uuid.uuid4().hex[:5].upper()}"
        uscc = first17 + uscc_code.calc_check_digit(first17)
        s.add(models.Enterprise(uscc=uscc, name="深圳市坪山某劳务有限公司", industry="建筑业"))
        await s.commit()
    clients = {org: Client(server.url, token) for org, token in tokens.items()}
    try:
        window, hall = clients[factories.WINDOW], clients[factories.HALL]
        lmc, court_client = clients[factories.LMC], clients[factories.COURT]
        assigned = []
        for i in range(2):
            appeal = await factories.submit(window, title=f"工地欠薪起诉 {i}")
            await step(hall, "acceptPetition", id=appeal["id"])
            await step(
                hall,
                "assignPetition",
                id=appeal["id"],
                organisationCode=factories.COURT,
                role="LEAD",
            )
            assigned.append(appeal)
        escalated = await factories.submit(window, title="调解不成转诉讼", matter="FAMILY")
        await step(hall, "acceptPetition", id=escalated["id"])
        await step(
            hall, "assignPetition", id=escalated["id"], organisationCode=factories.LMC, role="LEAD"
        )
        await step(lmc, "acceptAssignment", id=escalated["id"])
        await step(
            lmc,
            "escalatePetition",
            id=escalated["id"],
            to="LITIGATION",
            organisationCode=factories.COURT,
        )
        received = [
            await factories.submit(court_client, title=f"诉讼服务站登记 {i}", channel="WALK_IN")
            for i in range(100)
        ]
    finally:
        for client in clients.values():
            await client.http.aclose()

    cases = [
        _case(1001 + i, a, uscc, f"2026-10-0{i + 1}T09:00:00+08:00")
        for i, a in enumerate([*assigned, escalated])
    ]
    cases += [
        _case(2001 + i, a, uscc, f"2026-11-{10 + i // 10:02d}T{i % 10:02d}:30:00+08:00")
        for i, a in enumerate(received)
    ]
    judgments = [
        {
            "documentNumber": f"{c['caseNumber']}民事判决书",
            "caseNumber": c["caseNumber"],
            "decidedOn": f"2026-11-0{i + 1}",
            "result": "被告支付原告劳动报酬",
            "amount": 20000 + i,
        }
        for i, c in enumerate(cases[:3])
    ]
    cases_file = tmp_path_factory.mktemp("court") / "cases.json"
    cases_file.write_text(json.dumps({"cases": cases, "judgments": judgments}, ensure_ascii=False))
    yield Court(assigned, escalated, received, uscc, cases_file, tokens)


@pytest.fixture(scope="module")
def gateway(server, court_station, tmp_path_factory) -> Iterator[Gateway]:
    """Hive Gateway on loopback: the live hub and the court's subgraph behind a switch."""
    node = require_tooling()
    logs = tmp_path_factory.mktemp("federation")
    court_port, gateway_port = free_port(), free_port()
    hub_url = f"{server.url}/graphql"
    court_env = {
        "HUB_URL": hub_url,
        "COURT_CASES": str(court_station.cases_file),
        "PORT": str(court_port),
    }
    service = {"query": "{ _service { sdl } }"}
    with node_process(
        [node, "examples/court-cases/server.mjs"],
        court_env,
        f"http://127.0.0.1:{court_port}/graphql",
        logs / "court.log",
        ready=service,
    ):
        switch = Switch(court_port)
        env = {
            "HUB_URL": hub_url,
            "COURT_URL": f"http://127.0.0.1:{switch.port}/graphql",
            "COURT_TIMEOUT_MS": "1500",
            "FEDERATION_PORT": str(gateway_port),
        }
        supergraph = logs / "supergraph.graphql"
        report = compose(env, supergraph)
        assert report["returncode"] == 0, report
        env["SUPERGRAPH_FILE"] = str(supergraph)
        gateway_url = f"http://127.0.0.1:{gateway_port}"
        try:
            with node_process(
                [
                    node,
                    str(FEDERATION / "node_modules/.bin/hive-gateway"),
                    "supergraph",
                    str(supergraph),
                ],
                env,
                f"{gateway_url}/healthcheck",
                logs / "gateway.log",
            ):
                yield Gateway(gateway_url, switch, report, supergraph)
        finally:
            switch.close()


# --- composition -------------------------------------------------------------------


def test_the_hub_and_the_court_compose_with_no_errors_and_no_hints(gateway):
    report = gateway.composition
    assert report["subgraphs"] == ["hub", "court"]
    assert report["errors"] == [] and report["hints"] == []
    assert report["apollo"] == {"errors": [], "hints": []}


def test_the_supergraph_carries_tags_and_hides_what_is_inaccessible(gateway):
    supergraph = gateway.supergraph.read_text()
    assert '@tag(name: "partner")' in supergraph
    assert "@inaccessible" in supergraph  # the audit log, kept from the API schema
    assert 'join__field(graph: COURT, requires: "number")' in supergraph


# --- one query, two subgraphs, the caller's own token --------------------------------


async def test_the_court_sees_its_cases_with_the_hubs_appeals(gateway, court_station):
    # when the court station asks the federation point for its cases
    data = await gateway.data(court_station.tokens[factories.COURT], CROSSING, first=3)

    # then its court data comes with each appeal from the hub, joined by key
    cases = data["courtCases"]
    assert cases["totalCount"] == 103
    newest = cases["edges"][0]["node"]
    assert newest["petition"]["number"] == court_station.received[-1]["number"]
    assert newest["petition"]["receivedBy"] == {"code": factories.COURT}
    assert newest["enterprise"]["name"] == "深圳市坪山某劳务有限公司"  # from the hub
    assert len(newest["enterprise"]["judgments"]) == 3  # from the court

    # and an appeal the hub shows it carries its court case (@requires: number)
    for appeal in [*court_station.assigned, court_station.escalated]:
        one = await gateway.data(
            court_station.tokens[factories.COURT], BY_NUMBER, number=appeal["number"]
        )
        assert one["petition"]["courtCase"]["stage"] == "DECIDED"
        assert one["petition"]["title"] == appeal["title"]


async def test_the_labour_committee_sees_none_of_the_courts_cases(gateway, court_station):
    token = court_station.tokens[factories.LMC]
    data = await gateway.data(token, CROSSING, first=100)
    assert data["courtCases"] == {"totalCount": 0, "edges": []}

    # the appeal it mediated before it went to court: the hub shows it, the court not
    mediated = await gateway.data(token, BY_NUMBER, number=court_station.escalated["number"])
    assert mediated["petition"]["title"] == court_station.escalated["title"]
    assert mediated["petition"]["courtCase"] is None

    # the court's other appeals: outside its slice, as if they did not exist
    for appeal in [court_station.assigned[0], court_station.received[0]]:
        assert (await gateway.data(token, BY_NUMBER, number=appeal["number"]))["petition"] is None


async def test_a_hundred_appeals_by_key_cost_one_policy_filtered_query_per_type(
    gateway, court_station, server
):
    token = court_station.tokens[factories.COURT]
    await gateway.data(token, HUNDRED)  # the gateway, the court and the hub know the token

    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = server.app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        data = await gateway.data(token, HUNDRED)
    finally:
        event.remove(engine, "before_cursor_execute", record)

    edges = data["courtCases"]["edges"]
    assert len(edges) == 100 and all(e["node"]["petition"]["title"] for e in edges)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    petitions = [s for s in reads if "FROM petitions" in s]
    organisations = [s for s in reads if "FROM organisations" in s and "petitions" not in s]
    assert len(petitions) == 1, statements
    assert "assignments.organisation_id" in petitions[0]  # the slice, as SQL
    assert len(organisations) == 1, statements
    assert len(reads) <= 3, statements  # and the token


# --- the router enforces what it can; the hub still does ---------------------------


async def test_the_router_refuses_a_missing_scope_and_nothing_is_written(gateway, court_station):
    read_only = court_station.tokens["court-read-only"]
    appeal = court_station.received[0]
    version = "query($n: String!) { petition(number: $n) { version } }"
    before = await gateway.data(read_only, version, n=appeal["number"])

    body = await gateway.post(
        read_only,
        'mutation($id: ID!) { addNote(id: $id, text: "x") { version } }',
        {"id": appeal["id"]},
    )

    # the router's own refusal (a subgraph's error would name its serviceName)
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert body["errors"][0]["path"] == ["addNote"]
    assert await gateway.data(read_only, version, n=appeal["number"]) == before


async def test_setting_a_time_limit_is_the_halls_policy_at_the_router(gateway, court_station):
    mutation = """mutation { setTimeLimitPolicy(input: {code: "FED.TEST", category: COMPLAINT,
      stage: HANDLING, workingDays: 5}) { code } }"""
    for token in ("court-admin", factories.COURT):  # the admin scope, but not the hall
        body = await gateway.post(court_station.tokens[token], mutation)
        assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}, body
    anonymous = await gateway.post(None, "{ petitions(first: 1) { totalCount } }")
    assert anonymous["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_the_audit_log_is_not_part_of_the_districts_graph(gateway, court_station):
    body = await gateway.post(court_station.tokens[factories.HALL], "{ auditLog { hasNextPage } }")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


# --- degradation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "code"), [("down", "DOWNSTREAM_SERVICE_ERROR"), ("slow", "GATEWAY_TIMEOUT")]
)
async def test_a_court_down_or_slow_costs_only_its_own_fields(gateway, court_station, mode, code):
    token = court_station.tokens[factories.COURT]
    appeal = court_station.assigned[0]
    gateway.court_switch.mode = mode
    try:
        started = time.monotonic()
        body = await gateway.post(token, BY_NUMBER, {"number": appeal["number"]})
        elapsed = time.monotonic() - started
    finally:
        gateway.court_switch.release()

    assert body["data"]["petition"]["title"] == appeal["title"]  # the hub's part stands
    assert body["data"]["petition"]["courtCase"] is None
    [error] = body["errors"]
    assert error["path"] == ["petition", "courtCase"]
    assert error["extensions"] == {"code": code, "serviceName": "court"}  # no address, no query
    assert "127.0.0.1" not in error["message"]
    assert elapsed < 5  # COURT_TIMEOUT_MS=1500: a slow court is not waited for

    again = await gateway.data(token, BY_NUMBER, number=appeal["number"])
    assert again["petition"]["courtCase"]["stage"] == "DECIDED"


# --- subscriptions through the federation point -------------------------------------


async def test_a_subscription_through_the_gateway_carries_the_courts_fields(
    gateway, court_station, server
):
    token = court_station.tokens[factories.COURT]
    appeal = court_station.assigned[1]
    query = """subscription { petitionEvents(kinds: [NOTE_ADDED]) {
      kind petition { number courtCase { caseNumber } } } }"""
    async with connect(gateway.url, {"Authorization": f"Bearer {token}"}) as ws:
        ack = await ws.receive_json(timeout=10)
        assert ack["type"] == "connection_ack", ack
        stream = Stream(ws)
        await stream.subscribe(query)
        await _settle()
        hub = Client(server.url, token)
        try:
            await step(hub, "addNote", id=appeal["id"], text="开庭通知已送达")
        finally:
            await hub.http.aclose()
        message = await stream.message(seconds=15)

    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message
    delivered = message["payload"]["data"]["petitionEvents"]
    assert delivered["kind"] == "NOTE_ADDED"
    assert delivered["petition"]["number"] == appeal["number"]
    assert delivered["petition"]["courtCase"]["caseNumber"].startswith("(2026)粤0310民初")


async def _settle() -> None:
    """Let the gateway open its own subscription to the hub before the event happens."""
    await asyncio.sleep(1.0)
