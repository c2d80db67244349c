"""No N+1: the number of SQL statements does not grow with the page size."""

from __future__ import annotations

import uuid

import httpx

from tests import factories
from tests.factories import submit
from tests.test_read_statements import PER_READ, counted_server
from web.graphql import READ_PATH_HEADER

PAGE = """
query Page($filter: PetitionFilter, $first: Int) {
  petitions(filter: $filter, first: $first) {
    totalCount
    edges { node { number receivedBy { name } community { name }
                   petitioner { name idNumber }
                   assignments(first: 5) { role organisation { name } }
                   events { kind organisation { code } } } }
  }
}
"""


async def test_a_page_of_fifty_costs_what_a_page_of_five_costs(server, client_for):
    marker = f"计数{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    for i in range(50):
        await submit(window, title=f"{marker} {i}")
    await hall.data(PAGE, {"filter": {"text": marker}, "first": 1})  # warm the token's last-use

    counts = {}
    for size in (5, 50):
        server.statements.reset()
        data = await hall.data(PAGE, {"filter": {"text": marker}, "first": size})
        counts[size] = server.statements.count
        assert len(data["petitions"]["edges"]) == size

    assert counts[5] == counts[50], counts
    # token, BEGIN, page, count, one batch each for organisations (x2 levels),
    # regions, petitioners, masking, assignments and events; then the audit entry
    # for the unmasked ID numbers (BEGIN IMMEDIATE, INSERT).
    assert counts[50] <= 14, counts


COMPILED_PAGE = """
query Page($filter: PetitionFilter, $first: Int) {
  petitions(filter: $filter, first: $first) {
    totalCount
    edges { cursor node { number receivedBy { name } community { name parent { name } }
                          assignments(first: 5) { role organisation { name } }
                          events { kind organisation { code } } } }
  }
}
"""


async def test_a_compiled_page_is_one_statement_after_the_token(server, client_for):
    marker = f"编译计数{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    for i in range(50):
        await submit(window, title=f"{marker} {i}")
    await hall.data(COMPILED_PAGE, {"filter": {"text": marker}, "first": 1})

    counts = {}
    token = hall.http.headers["Authorization"]
    with counted_server(server) as (url, count):
        async with httpx.AsyncClient(
            base_url=url, headers={"Authorization": token}, timeout=30
        ) as http:
            for size in (1, 5, 50):  # the first authenticates this server's caller
                before = count()
                response = await http.post(
                    "/graphql",
                    json={
                        "query": COMPILED_PAGE,
                        "variables": {"filter": {"text": marker}, "first": size},
                    },
                )
                counts[size] = count() - before
                assert response.headers.get(READ_PATH_HEADER) == "compiled", response.text
                assert len(response.json()["data"]["petitions"]["edges"]) == size

    # The token and the page with everything nested and its count: one statement, where
    # the database sees them (SQLite's BEGIN is a statement of its own).
    assert counts[5] == counts[50] == PER_READ, counts
