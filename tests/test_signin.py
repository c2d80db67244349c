"""Staff sign-in: sessions, CSRF, idle sign-out, and throttling that locks out no one else."""

from __future__ import annotations

import asyncio
import re
import uuid

import httpx
import pytest
from sqlalchemy import delete

from db import models
from resolvers.access import signin, tokens
from tests import factories
from tests.conftest import serve
from web.app import create_app

PASSWORD = "correct horse battery"
ME = "{ me { name isStaff roles organisation { code } } }"


@pytest.fixture
async def lmc_mediator(session, world) -> str:
    username = f"mediator-{uuid.uuid4().hex[:8]}"
    await tokens.create_user(
        session=session,
        caller=None,
        organisation_code=factories.LMC,
        username=username,
        password=PASSWORD,
        roles=[models.Role.MEDIATOR],
        display_name="调解员张三",
    )
    return username


def csrf_of(page: httpx.Response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


async def sign_in(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD, **headers: str
) -> httpx.Response:
    token = csrf_of(await client.get("/login", headers=headers))
    return await client.post(
        "/login",
        headers=headers,
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
    )


@pytest.fixture
async def browser(server):
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        yield client


async def test_a_staff_member_signs_in_and_calls_graphql_with_the_session(browser, lmc_mediator):
    response = await sign_in(browser, lmc_mediator)

    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    token = csrf_of(await browser.get("/login"))
    me = await browser.post("/graphql", json={"query": ME}, headers={"X-CSRF-Token": token})
    assert me.json()["data"]["me"] == {
        "name": "调解员张三",
        "isStaff": True,
        "roles": ["MEDIATOR"],
        "organisation": {"code": factories.LMC},
    }


async def test_the_session_cookie_alone_authorises_no_api_call(browser, lmc_mediator):
    await sign_in(browser, lmc_mediator)

    forged = await browser.post("/graphql", json={"query": ME})
    wrong = await browser.post("/graphql", json={"query": ME}, headers={"X-CSRF-Token": "x"})

    for response in (forged, wrong):
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_form_without_its_csrf_token_is_refused(browser, lmc_mediator):
    await browser.get("/login")
    response = await browser.post("/login", data={"username": lmc_mediator, "password": PASSWORD})
    assert response.status_code == 403


async def test_a_wrong_password_says_no_more_than_wrong(browser, lmc_mediator):
    wrong = await sign_in(browser, lmc_mediator, "not the password")
    nobody = await sign_in(browser, "no-such-user", "not the password")

    assert wrong.status_code == nobody.status_code == 401
    assert all("用户名或密码错误" in r.text for r in (wrong, nobody))


@pytest.fixture
async def forget_failures(sessionmaker):
    """Tests that fail sign-ins from 127.0.0.1 clear them after, so that the
    address's own lock (twenty failures) never spills into other tests."""
    names: list[str] = []
    yield names.append
    async with sessionmaker() as session:
        await session.execute(
            delete(models.SignInFailure).where(models.SignInFailure.username.in_(names))
        )
        await session.commit()


@pytest.fixture(scope="module")
def behind_a_proxy(settings):
    """The app served with 127.0.0.1 named as its reverse proxy."""
    with serve(settings.model_copy(update={"trusted_proxies": "127.0.0.1, 10.0.0.0/8"})) as live:
        yield live


async def test_repeated_failures_lock_that_address_but_not_the_person(behind_a_proxy, lmc_mediator):
    attacker = {"X-Forwarded-For": "203.0.113.9"}
    async with httpx.AsyncClient(base_url=behind_a_proxy.url, timeout=30) as browser:
        for _ in range(5):
            assert (await sign_in(browser, lmc_mediator, "guess", **attacker)).status_code == 401

        locked = await sign_in(browser, lmc_mediator, PASSWORD, **attacker)
        assert locked.status_code == 429

        counter = {"X-Forwarded-For": "198.51.100.7"}
        assert (await sign_in(browser, lmc_mediator, PASSWORD, **counter)).status_code == 303


async def test_x_forwarded_for_is_not_believed_from_an_unlisted_peer(
    browser, lmc_mediator, forget_failures
):
    """Given the default (no trusted proxies), rotating X-Forwarded-For does not give
    an attacker a fresh address for every five guesses."""
    forget_failures(lmc_mediator)
    for n in range(5):
        spoofed = {"X-Forwarded-For": f"203.0.113.{n + 1}"}
        assert (await sign_in(browser, lmc_mediator, "guess", **spoofed)).status_code == 401

    still_locked = await sign_in(
        browser, lmc_mediator, PASSWORD, **{"X-Forwarded-For": "198.51.100.99"}
    )

    assert still_locked.status_code == 429


async def test_parallel_wrong_passwords_get_exactly_five_checks(
    server, lmc_mediator, forget_failures
):
    """40 wrong passwords for one name at once: the count is kept in the database
    before each check, so exactly `LOCK_USER_AT` are checked and the rest refused."""
    forget_failures(lmc_mediator)
    async with httpx.AsyncClient(
        base_url=server.url, timeout=60, limits=httpx.Limits(max_connections=40)
    ) as client:
        token = csrf_of(await client.get("/login"))
        answers = await asyncio.gather(
            *(
                client.post(
                    "/login",
                    data={
                        "username": lmc_mediator,
                        "password": f"guess {n}",
                        "csrf_token": token,
                        "next": "/",
                    },
                )
                for n in range(40)
            )
        )

    codes = sorted(a.status_code for a in answers)
    assert codes.count(401) == signin.LOCK_USER_AT
    assert codes.count(429) == 40 - signin.LOCK_USER_AT


async def test_signing_out_ends_the_session(browser, lmc_mediator):
    await sign_in(browser, lmc_mediator)
    token = csrf_of(await browser.get("/login"))

    assert (await browser.post("/logout", data={"csrf_token": token})).status_code == 303

    after = await browser.post("/graphql", json={"query": ME}, headers={"X-CSRF-Token": token})
    assert after.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_idle_session_is_signed_out(settings, lmc_mediator):
    app = create_app(settings.model_copy(update={"session_idle_minutes": -1}), check_schema=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        assert (await sign_in(client, lmc_mediator)).status_code == 303
        token = csrf_of(await client.get("/login"))
        me = await client.post("/graphql", json={"query": ME}, headers={"X-CSRF-Token": token})
    await app.state.engine.dispose()
    assert me.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
