"""The hub as a subgraph: the checks of Apollo's subgraph compatibility suite
(apollographql/apollo-federation-subgraph-compatibility) that apply to it, against the
live server. `_service`, `@link`, `@key` (single and multiple), `@shareable`, `@tag` and
`@inaccessible` are the hub's; `@requires`/`@external` are the court example's and are
exercised through the gateway in `test_federation.py`.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from graphql import parse
from graphql.language import DirectiveNode, ObjectTypeDefinitionNode, print_ast
from stdnum.cn import uscc as uscc_code

from db import models
from tests import factories
from tests.factories import submit

SDL_FILE = Path(__file__).parent.parent / "schema" / "schema.graphql"
SERVICE = "{ _service { sdl } }"
ENTITIES = """
query($r: [_Any!]!) {
  _entities(representations: $r) {
    __typename
    ... on Petition { id number title }
    ... on Organisation { id code }
    ... on Enterprise { uscc name }
  }
}
"""
# The names CONTRACT.md gives the partners' domains: entities partners join to.
JOINABLE = [
    "Petition",
    "Organisation",
    "Enterprise",
    "MediationCase",
    "ArbitrationCase",
    "LitigationCase",
    "Project",
    "CreditRecord",
    "Screening",
    "CareSession",
    "BacklogCase",
]


def _types(sdl: str) -> dict[str, ObjectTypeDefinitionNode]:
    return {
        d.name.value: d for d in parse(sdl).definitions if isinstance(d, ObjectTypeDefinitionNode)
    }


def _directives(node: ObjectTypeDefinitionNode | None, name: str) -> list[str]:
    found: list[DirectiveNode] = [
        d for d in (node.directives if node else ()) if d.name.value == name
    ]
    return [print_ast(d) for d in found]


def _field_directives(node: ObjectTypeDefinitionNode, field: str) -> list[str]:
    [definition] = [f for f in node.fields if f.name.value == field]
    return [print_ast(d) for d in definition.directives]


async def _sdl(anonymous) -> str:
    response = await anonymous.post("/graphql", json={"query": SERVICE})
    return response.json()["data"]["_service"]["sdl"]


async def test_service_sdl_is_the_committed_schema(anonymous):
    # `_service` answers without a token: composition tools introspect it
    assert await _sdl(anonymous) + "\n" == SDL_FILE.read_text()


async def test_link_imports_federation_2_7_and_its_directives(anonymous):
    first = (await _sdl(anonymous)).splitlines()[0]
    assert first.startswith('schema @link(url: "https://specs.apollo.dev/federation/v2.7"')
    for directive in ("@key", "@shareable", "@inaccessible", "@tag", "@requiresScopes", "@policy"):
        assert f'"{directive}"' in first


async def test_keys_single_and_multiple(anonymous):
    types = _types(await _sdl(anonymous))
    assert _directives(types["Petition"], "key") == ['@key(fields: "id")']
    assert _directives(types["Enterprise"], "key") == ['@key(fields: "uscc")']
    assert _directives(types["Organisation"], "key") == [
        '@key(fields: "id")',
        '@key(fields: "code")',
    ]


async def test_every_type_partners_join_has_a_key(anonymous):
    types = _types(await _sdl(anonymous))
    missing = [name for name in JOINABLE if name in types and not _directives(types[name], "key")]
    assert missing == [], "partners join these: give them @key"


async def test_value_types_are_shareable_and_partner_types_tagged(anonymous):
    types = _types(await _sdl(anonymous))
    for name in ("PageInfo", "Region"):
        assert _directives(types[name], "shareable") == ["@shareable"]
    for name in ("Petition", "Organisation", "Enterprise", "Mutation"):
        assert _directives(types[name], "tag") == ['@tag(name: "partner")']
    assert '@tag(name: "partner")' in _field_directives(types["Query"], "petitions")


async def test_inaccessible_in_the_supergraph_but_served_by_the_hub(anonymous, client_for):
    types = _types(await _sdl(anonymous))
    assert "@inaccessible" in _field_directives(types["Query"], "auditLog")
    assert _directives(types["AuditPage"], "inaccessible") == ["@inaccessible"]
    admin = await client_for(factories.HALL, ("petitions:read", "admin"))
    assert "hasNextPage" in (await admin.data("{ auditLog { hasNextPage } }"))["auditLog"]


async def test_scopes_declared_for_the_router_are_enforced_by_the_hub(anonymous, client_for):
    types = _types(await _sdl(anonymous))
    assert '@requiresScopes(scopes: [["petitions:read"]])' in _field_directives(
        types["Query"], "petitions"
    )
    assert '@requiresScopes(scopes: [["petitions:write"]])' in _field_directives(
        types["Mutation"], "addNote"
    )
    assert '@policy(policies: [["hall"]])' in _field_directives(
        types["Mutation"], "setTimeLimitPolicy"
    )
    subscriber = await client_for(factories.HALL, ("events:subscribe",))
    for query in (
        "{ petitions(first: 1) { totalCount } }",
        'mutation { addNote(id: "1", text: "x") { id } }',
    ):
        assert (await subscriber.error(query))["extensions"]["code"] == "FORBIDDEN"


async def test_entities_by_single_and_multiple_keys_in_one_batch(hall, window, session):
    appeal = await submit(window, title=f"实体 {uuid.uuid4().hex[:6]}")
    first17 = f"91440300MA5G{uuid.uuid4().hex[:5].upper()}"
    uscc = first17 + uscc_code.calc_check_digit(first17)
    session.add(models.Enterprise(uscc=uscc, name="深圳市某物业管理有限公司", industry="物业"))
    await session.commit()
    lmc = (await hall.data('{ organisation(code: "PS-LMC") { id } }'))["organisation"]["id"]

    entities = (
        await hall.data(
            ENTITIES,
            {
                "r": [
                    {"__typename": "Petition", "id": appeal["id"]},
                    {"__typename": "Organisation", "id": lmc},
                    {"__typename": "Organisation", "code": "PS-LMC"},
                    {"__typename": "Enterprise", "uscc": uscc},
                    {"__typename": "Petition", "id": "999999999"},
                ]
            },
        )
    )["_entities"]

    assert entities[0] == {
        "__typename": "Petition",
        "id": appeal["id"],
        "number": appeal["number"],
        "title": appeal["title"],
    }
    assert entities[1] == entities[2] == {"__typename": "Organisation", "id": lmc, "code": "PS-LMC"}
    assert entities[3]["name"] == "深圳市某物业管理有限公司"
    assert entities[4] is None  # absent, as one outside the slice


async def test_entities_outside_the_slice_are_null_and_malformed_ones_refused(
    window, court, client_for
):
    appeal = await submit(window, title=f"实体切片 {uuid.uuid4().hex[:6]}")
    assert (await court.data(ENTITIES, {"r": [{"__typename": "Petition", "id": appeal["id"]}]}))[
        "_entities"
    ] == [None]

    body = await court.post(
        ENTITIES,
        {
            "r": [
                {"__typename": "Organisation", "code": "PS-COURT"},
                {"__typename": "Organisation", "name": "no key"},
            ]
        },
    )
    assert body["data"]["_entities"][0]["code"] == "PS-COURT"
    assert body["data"]["_entities"][1] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "representations.1"

    subscriber = await client_for(factories.WINDOW, ("events:subscribe",))
    refused = await subscriber.post(
        ENTITIES, {"r": [{"__typename": "Petition", "id": appeal["id"]}]}
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
