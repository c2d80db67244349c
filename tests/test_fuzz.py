"""Generated valid queries against the live schema never produce an internal error."""

from __future__ import annotations

import datetime

import httpx
from graphql import parse_value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from db.config import Settings
from schema.schema import build_schema
from tests import factories

SCHEMA = build_schema(Settings(secret_key="x"))._schema
REPRESENTATIONS = [
    '{__typename: "Petition", id: "1"}',
    '{__typename: "Petition", id: "x"}',
    '{__typename: "Organisation", id: "1"}',
    '{__typename: "Enterprise", uscc: "91440300"}',
    '{__typename: "Nothing"}',
    "{id: 1}",
    '"plain"',
]
CUSTOM_SCALARS = {
    "_Any": st.sampled_from([parse_value(r) for r in REPRESENTATIONS]),
    "DateTime": st.one_of(
        st.datetimes(timezones=st.just(datetime.UTC)).map(lambda d: nodes.String(d.isoformat())),
        st.text(max_size=30).map(nodes.String),
    ),
    "JSON": st.just(nodes.String("{}")),
    "Date": st.one_of(
        st.dates().map(lambda d: nodes.String(d.isoformat())),
        st.text(max_size=12).map(nodes.String),
    ),
}


async def test_generated_queries_never_fail_internally(server, client_for, sessionmaker):
    hall = await client_for(factories.HALL)
    window = await client_for(factories.WINDOW)
    await factories.submit(window)
    token = hall.http.headers["Authorization"]

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(query=queries(SCHEMA, custom_scalars=CUSTOM_SCALARS))
    def run(query: str) -> None:
        # hypothesis drives a sync function; the server is in its own thread.
        response = httpx.post(
            f"{server.url}/graphql",
            json={"query": query},
            headers={"Authorization": token},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        for error in response.json().get("errors", []):
            assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", (query, error)

    run()
