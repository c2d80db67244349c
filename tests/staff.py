"""Staff members for the page tests, and browsers (httpx clients) signed in as them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from db import models
from db.models import Role
from resolvers.access import tokens
from tests import factories

PASSWORD = "pages-test-password"
# fixture name → (username, organisation, roles, display name)
STAFF = {
    "hall_dispatcher": ("t.hall.dispatcher", factories.HALL, (Role.DISPATCHER,), "大厅分办员"),
    "hall_admin": ("t.hall.admin", factories.HALL, (Role.ADMIN,), "大厅管理员"),
    "lmc_handler": ("t.lmc.handler", factories.LMC, (Role.HANDLER,), "劳调委承办人"),
    "lmc_admin": ("t.lmc.admin", factories.LMC, (Role.ADMIN,), "劳调委管理员"),
    "court_clerk": ("t.court.clerk", factories.COURT, (Role.HANDLER,), "法院书记员"),
    "window_clerk": ("t.window.clerk", factories.WINDOW, (Role.DISPATCHER,), "窗口登记员"),
    "hall_leader": ("t.hall.leader", factories.HALL, (Role.LEADER,), "大厅负责人"),
    "psy_counsellor": ("t.psy.counsellor", factories.PSY, (Role.COUNSELLOR,), "心理咨询师"),
    "lmc_mediator": ("t.lmc.mediator", factories.LMC, (Role.MEDIATOR,), "劳调委调解员"),
    "credit_officer": ("t.credit.officer", factories.CREDIT, (Role.CREDIT_OFFICER,), "信用专员"),
    "street_clerk": (
        "t.maluan.clerk",
        factories.OTHER_STREET,
        (Role.DISPATCHER, Role.HANDLER),
        "马峦街道分办员",
    ),
}


@pytest.fixture(scope="session")
async def staff_users(sessionmaker, world) -> dict[str, str]:
    """Every staff member of `STAFF`, created once per database: name → username."""
    async with sessionmaker() as session:
        existing = set(await session.scalars(select(models.StaffUser.username)))
        for username, org, roles, display in STAFF.values():
            if username not in existing:
                await tokens.create_user(
                    session=session,
                    caller=None,
                    organisation_code=org,
                    username=username,
                    password=PASSWORD,
                    roles=roles,
                    display_name=display,
                )
    return {name: spec[0] for name, spec in STAFF.items()}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


@dataclass
class StaffBrowser:
    """An httpx client with a signed-in session, and its CSRF token."""

    http: httpx.AsyncClient
    csrf: str

    async def get(self, url: str, *, htmx: bool = False, **kwargs) -> httpx.Response:
        headers = {"HX-Request": "true"} if htmx else {}
        return await self.http.get(url, headers=headers, **kwargs)

    async def post(
        self, url: str, data: dict | None = None, *, htmx: bool = False, **kwargs
    ) -> httpx.Response:
        headers = {"HX-Request": "true"} if htmx else {}
        return await self.http.post(
            url, data={"csrf_token": self.csrf, **(data or {})}, headers=headers, **kwargs
        )

    async def graphql(self, query: str, variables: dict | None = None) -> dict:
        """Call the API with the session (and the CSRF header a page's script sends)."""
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"X-CSRF-Token": self.csrf},
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict | None = None) -> dict:
        """The API's answer's data; fails the test on any error (as GraphQLClient.data)."""
        body = await self.graphql(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]


SignIn = Callable[[str], Awaitable[StaffBrowser]]


@pytest.fixture
async def sign_in_as(server, staff_users) -> AsyncIterator[SignIn]:
    """`await sign_in_as("hall_dispatcher")`: a browser signed in as that staff member."""
    opened: list[httpx.AsyncClient] = []

    async def open_as(name: str) -> StaffBrowser:
        http = httpx.AsyncClient(base_url=server.url, timeout=30)
        opened.append(http)
        token = csrf_of((await http.get("/login")).text)
        signed = await http.post(
            "/login",
            data={
                "username": staff_users[name],
                "password": PASSWORD,
                "csrf_token": token,
                "next": "/petitions",
            },
        )
        assert signed.status_code == 303, signed.text
        page = await http.get("/petitions")
        return StaffBrowser(http, csrf_of(page.text))

    yield open_as
    for http in opened:
        await http.aclose()
