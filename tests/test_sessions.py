"""Staff sessions are kept on the server: signing out, deactivation and a new password
end every session of the person, and every event stream it holds open."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import uuid

import httpx
import pytest
from sqlalchemy import select

from db import models
from resolvers.access import tokens
from tests import factories
from tests.staff import csrf_of

PASSWORD = "a-long-session-password"
ME = "{ me { name } }"


@pytest.fixture
async def mediator(session, world) -> models.StaffUser:
    return await tokens.create_user(
        session=session,
        caller=None,
        organisation_code=factories.LMC,
        username=f"session-{uuid.uuid4().hex[:8]}",
        password=PASSWORD,
        roles=[models.Role.MEDIATOR],
    )


@pytest.fixture
async def browser(server):
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture
async def thief(server):
    """Another client that will hold a copy of the browser's cookie."""
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        yield client


async def sign_in(client: httpx.AsyncClient, username: str) -> str:
    """Sign in; the session's CSRF token."""
    token = csrf_of((await client.get("/login")).text)
    signed = await client.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/petitions",
        },
    )
    assert signed.status_code == 303, signed.text
    return csrf_of((await client.get("/petitions")).text)


def copy_cookies(source: httpx.AsyncClient, target: httpx.AsyncClient) -> None:
    for cookie in source.cookies.jar:
        target.cookies.set(cookie.name, cookie.value)


def signed_out(page: httpx.Response) -> bool:
    return page.status_code == 303 and page.headers["location"].startswith("/login")


async def stream_ends(client: httpx.AsyncClient, url: str, act) -> bool:
    """Open the event stream at `url`, do `act()`, and say whether the stream ended
    within ten seconds (it checks the session every two)."""
    async with client.stream("GET", url) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.aiter_lines()
        assert (await anext(lines)).startswith("retry:")
        await act()

        async def drain() -> None:
            async for _ in lines:
                pass

        try:
            await asyncio.wait_for(drain(), 10)
        except TimeoutError:
            return False
    return True


async def test_a_cookie_copied_before_sign_out_works_nowhere_after(browser, thief, mediator):
    csrf = await sign_in(browser, mediator.username)
    copy_cookies(browser, thief)
    assert (await thief.get("/petitions")).status_code == 200

    assert (await browser.post("/logout", data={"csrf_token": csrf})).status_code == 303

    assert signed_out(await thief.get("/petitions"))
    me = await thief.post("/graphql", json={"query": ME}, headers={"X-CSRF-Token": csrf})
    assert me.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_signing_out_ends_an_open_event_stream(browser, thief, mediator):
    csrf = await sign_in(browser, mediator.username)
    copy_cookies(browser, thief)

    async def sign_out() -> None:
        assert (await browser.post("/logout", data={"csrf_token": csrf})).status_code == 303

    assert await stream_ends(thief, "/petitions/events", sign_out)


async def test_deactivation_ends_every_session_and_stream(
    server, browser, thief, mediator, sign_in_as
):
    await sign_in(browser, mediator.username)
    copy_cookies(browser, thief)
    admin = await sign_in_as("lmc_admin")

    async def deactivate() -> None:
        off = await admin.post(f"/admin/users/{mediator.id}/active", {"active": "0"})
        assert off.status_code == 303

    assert await stream_ends(thief, "/petitions/events", deactivate)
    assert signed_out(await browser.get("/petitions"))


async def test_a_new_password_ends_every_session_and_stream(
    settings, browser, thief, mediator, sessionmaker
):
    await sign_in(browser, mediator.username)
    copy_cookies(browser, thief)
    env = os.environ | {
        "PETITION_HUB_DATABASE_URL": settings.database_url,
        "PETITION_HUB_SECRET_KEY": settings.secret_key,
        "PETITION_HUB_VAR_DIR": str(settings.var_dir),
    }

    async def change_password() -> None:
        cli = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "cli",
            "user",
            "password",
            "--username",
            mediator.username,
            "--password-stdin",
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await cli.communicate(b"another-long-password\n")
        assert cli.returncode == 0, err.decode()
        assert re.search(r"sessions have ended", out.decode())

    assert await stream_ends(thief, "/petitions/events", change_password)
    assert signed_out(await browser.get("/petitions"))
    async with sessionmaker() as session:
        left = await session.scalars(
            select(models.StaffSession).where(models.StaffSession.user_id == mediator.id)
        )
        assert left.all() == []
