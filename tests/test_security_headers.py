"""Security headers on every answer: pages, static files, errors, the API and GraphiQL."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

EVERY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def directives(policy: str) -> dict[str, str]:
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


def assert_secured(response) -> dict[str, str]:
    for name, value in EVERY.items():
        assert response.headers.get(name) == value, (response.url, name)
    policy = directives(response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    return policy


@pytest.mark.parametrize(
    "path", ["/login", "/healthz", "/static/htmx.min.js", "/no/such/page", "/petitions"]
)
async def test_every_answer_carries_the_headers(anonymous, path):
    policy = assert_secured(await anonymous.get(path))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"


async def test_signed_in_pages_carry_the_headers_and_no_inline_script(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")
    for path in ("/petitions", "/petitions/new", "/backlog"):
        page = await hall.get(path)
        assert page.status_code == 200
        assert_secured(page)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text), path
        assert not re.search(r"\son[a-z]+=", page.text), path
        assert not re.search(r'hx-trigger="[^"]*\[', page.text), "an eval'd trigger filter"


async def test_the_api_carries_the_headers(anonymous):
    answer = await anonymous.post("/graphql", json={"query": "{ __typename }"})
    assert_secured(answer)


async def test_graphiql_allows_its_own_inline_script_by_hash_and_nothing_else(anonymous):
    page = await anonymous.get("/graphql", headers={"Accept": "text/html"})
    policy = assert_secured(page)

    inline = re.findall(r"<script>(.*?)</script>", page.text, flags=re.DOTALL)
    assert inline, "GraphiQL's page has its start-up script inline"
    allowed = set(policy["script-src"].split())
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed
    assert allowed - {"'self'"} == {
        f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in inline
    }
