"""Administration pages: only administrators; the hall's see every organisation."""

from __future__ import annotations

import json
import re
import uuid

from tests import factories

PAGES = [
    "/admin/organisations",
    "/admin/users",
    "/admin/tokens",
    "/admin/calendar",
    "/admin/policies",
    "/admin/audit",
]


async def test_every_admin_page_renders_whole_and_partial(sign_in_as):
    admin = await sign_in_as("hall_admin")
    for url in PAGES:
        whole, partial = await admin.get(url), await admin.get(url, htmx=True)
        assert whole.status_code == partial.status_code == 200, url
        assert "<html" in whole.text and "<html" not in partial.text, url
        assert partial.text.lstrip().startswith('<section id="admin-body"'), url


async def test_staff_without_the_admin_role_find_no_admin_pages(sign_in_as):
    dispatcher = await sign_in_as("hall_dispatcher")
    for url in PAGES:
        assert (await dispatcher.get(url)).status_code == 404, url
    assert 'href="/admin"' not in (await dispatcher.get("/petitions")).text


async def test_an_organisations_admin_sees_only_its_own(sign_in_as):
    hall_admin, lmc_admin = await sign_in_as("hall_admin"), await sign_in_as("lmc_admin")

    everyone = (await hall_admin.get("/admin/organisations")).text
    own = (await lmc_admin.get("/admin/organisations")).text

    assert factories.COURT in everyone and factories.LMC in everyone
    assert factories.LMC in own and factories.COURT not in own


async def test_an_admin_creates_and_deactivates_a_staff_user(sign_in_as, server):
    admin = await sign_in_as("lmc_admin")
    username = f"new-{uuid.uuid4().hex[:6]}"

    created = await admin.post(
        "/admin/users",
        {
            "organisation": factories.LMC,
            "username": username,
            "display_name": "新调解员",
            "password": "a-long-password",
            "roles": "MEDIATOR",
        },
    )
    assert created.status_code == 303
    page = (await admin.get("/admin/users")).text
    user_id = re.search(
        r'/admin/users/(\d+)/active"[^<]*<input[^>]*>\s*<input[^>]*value="0">'
        r"",
        page.split(username, 1)[1],
    ).group(1)
    refused = await admin.post(
        "/admin/users",
        {
            "organisation": factories.COURT,
            "username": f"x-{username}",
            "password": "a-long-password",
            "roles": "HANDLER",
        },
    )
    assert refused.status_code == 400 and "请选择您管理的单位" in refused.text

    off = await admin.post(f"/admin/users/{user_id}/active", {"active": "0"})
    assert off.status_code == 303
    async with __import__("httpx").AsyncClient(base_url=server.url) as other:
        login = await other.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
        denied = await other.post(
            "/login",
            data={"username": username, "password": "a-long-password", "csrf_token": token},
        )
    assert denied.status_code == 401


async def test_a_token_is_shown_once_and_can_be_revoked(sign_in_as, anonymous):
    admin = await sign_in_as("hall_admin")

    created = await admin.post(
        "/admin/tokens",
        {"organisation": factories.LMC, "name": "页面令牌", "scopes": "petitions:read"},
    )
    token = re.search(r'id="issued-token">([^<]+)<', created.text).group(1)
    assert token.startswith("phub_")
    assert token not in (await admin.get("/admin/tokens")).text
    ask = {"query": "{ me { organisation { code } } }"}
    me = await anonymous.post("/graphql", json=ask, headers={"Authorization": f"Bearer {token}"})
    assert me.json()["data"]["me"]["organisation"]["code"] == factories.LMC

    client_id = re.findall(r"/admin/tokens/(\d+)/revoke", created.text)[0]
    assert (await admin.post(f"/admin/tokens/{client_id}/revoke")).status_code == 303
    after = await anonymous.post("/graphql", json=ask, headers={"Authorization": f"Bearer {token}"})
    assert after.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_calendar_shows_a_year_and_refuses_a_bad_import(sign_in_as):
    admin = await sign_in_as("hall_admin")

    shown = await admin.get("/admin/calendar?year=2026")
    bad = await admin.http.post(
        "/admin/calendar",
        data={"csrf_token": admin.csrf},
        files={"file": ("x.json", json.dumps({"year": 2031}))},
    )

    assert "春节" in shown.text and "官方安排" in shown.text
    assert bad.status_code == 400 and "导入失败" in bad.text


async def test_the_hall_admin_edits_a_time_limit_policy(sign_in_as):
    admin = await sign_in_as("hall_admin")
    form = {
        "code": "PETITION.ACCEPTANCE",
        "category": "PETITION",
        "stage": "ACCEPTANCE",
        "description": "测试",
        "active": "1",
    }
    shown = await admin.get("/admin/policies")
    assert "15日" in shown.text and "60日" in shown.text and "受理之日" in shown.text

    try:
        # When the unit is changed on the page, 12 working days instead of 15 日
        saved = await admin.post("/admin/policies", form | {"days": "12", "unit": "WORKING_DAYS"})
        assert saved.status_code == 303
        page = (await admin.get("/admin/policies")).text
        assert "12个工作日" in page and "15日" not in page
        # and a policy counting from an event its stage cannot count from is refused
        bad = await admin.post(
            "/admin/policies",
            form | {"days": "12", "unit": "CALENDAR_DAYS", "counts_from": "ACCEPTANCE"},
        )
        assert bad.status_code == 400 and "起算" in bad.text
    finally:
        await admin.post(
            "/admin/policies",
            form
            | {
                "days": "15",
                "unit": "CALENDAR_DAYS",
                "description": "信访工作条例（2022）：自收到信访事项之日起15日内决定是否受理并告知",
            },
        )
    assert "15日" in (await admin.get("/admin/policies")).text


async def test_the_audit_log_lists_newest_first_with_names(
    sign_in_as, sessionmaker, world, staff_users
):
    from sqlalchemy import select

    from db import models

    async with sessionmaker() as session:
        user = await session.scalar(
            select(models.StaffUser).where(models.StaffUser.username == staff_users["lmc_handler"])
        )
        marker = f"READ-{uuid.uuid4().hex[:6]}"
        session.add_all(
            [
                models.AuditEntry(
                    action=f"{marker}-old",
                    path="pages",
                    organisation_id=world.organisations[factories.LMC],
                    user_id=user.id,
                    object_kind="petitioner",
                    object_ids=[1],
                ),
                models.AuditEntry(
                    action=f"{marker}-new",
                    path="pages",
                    organisation_id=world.organisations[factories.LMC],
                    user_id=user.id,
                    object_kind="petitioner",
                    object_ids=[2],
                ),
            ]
        )
        await session.commit()
    admin = await sign_in_as("hall_admin")

    page = (await admin.get("/admin/audit", htmx=True)).text

    assert page.index(f"{marker}-new") < page.index(f"{marker}-old")
    assert "劳调委承办人" in page and "劳动争议调解委员会" in page
