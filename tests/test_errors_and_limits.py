"""Error discipline: codes on every error, internal errors masked, complexity limits."""

from __future__ import annotations

import logging

import pytest

from resolvers.directory import organisations
from tests import factories

ORGANISATIONS = "{ organisations { code } }"


async def test_no_token_is_unauthenticated(anonymous):
    response = await anonymous.post("/graphql", json={"query": ORGANISATIONS})

    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_unknown_token_is_unauthenticated(anonymous):
    response = await anonymous.post(
        "/graphql",
        json={"query": ORGANISATIONS},
        headers={"Authorization": "Bearer phub_not-a-real-token"},
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_revoked_token_is_unauthenticated(client_for, session):
    client = await client_for(factories.LMC)
    assert "errors" not in await client.post(ORGANISATIONS)
    await factories.revoke(session, client)

    assert (await client.error(ORGANISATIONS))["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_missing_scope_is_forbidden(client_for):
    reader = await client_for(factories.WINDOW, scopes=("petitions:read",))

    error = await reader.error(factories.SUBMIT, {"input": factories.submission()})

    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_the_schema_is_public_for_gateways(anonymous):
    response = await anonymous.post("/graphql", json={"query": "{ _service { sdl } }"})
    assert "type Petition" in response.json()["data"]["_service"]["sdl"]


async def test_internal_errors_are_masked_and_logged(hall, monkeypatch, caplog):
    async def broken(**_):
        raise RuntimeError("secret detail: connection string postgres://x")

    monkeypatch.setattr(organisations, "list_organisations", broken)
    with caplog.at_level(logging.ERROR, logger="petition_hub.graphql"):
        error = await hall.error(ORGANISATIONS)

    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in str(error)
    assert error["message"] == "Internal server error"
    request_id = error["extensions"]["requestId"]
    assert any(request_id in r.getMessage() for r in caplog.records)


async def test_syntax_errors_are_bad_user_input(hall):
    error = await hall.error("{ petitions { ")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_unknown_fields_are_bad_user_input(hall):
    error = await hall.error("{ petitions { nothingHere } }")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    "query",
    [
        # too deep: petition → events → petition → events → … beyond the limit
        "{ petitions { edges { node { events { petition { events { petition { events { petition {"
        " events { petition { events { petition { number } } } } } } } } } } } } } }",
        # too many aliases
        "{ " + " ".join(f"a{i}: me {{ name }}" for i in range(40)) + " }",
        # too many tokens
        "{ me { " + " ".join("name" for _ in range(5000)) + " } }",
    ],
)
async def test_oversized_queries_are_too_complex(hall, query):
    error = await hall.error(query)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_a_page_size_beyond_the_limit_is_bad_user_input(hall):
    error = await hall.error("{ petitions(first: 1000) { totalCount } }")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


async def test_a_forged_cursor_is_bad_user_input(hall):
    error = await hall.error('{ petitions(after: "!!not-a-cursor") { totalCount } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_get_requests_run_queries_but_not_mutations(hall):
    ok = await hall.http.get("/graphql", params={"query": ORGANISATIONS})
    assert ok.status_code == 200 and "errors" not in ok.json()

    refused = await hall.http.get("/graphql", params={"query": "mutation { __typename }"})
    assert refused.status_code in (400, 405)


async def test_nul_characters_are_bad_user_input_on_every_database(hall):
    error = await hall.error(
        "query($t: String) { petitions(filter: {text: $t}) { totalCount } }", {"t": "a\x00b"}
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    error = await hall.error('{ petition(number: "PS\\u0000") { number } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
