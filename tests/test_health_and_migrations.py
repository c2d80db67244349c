"""/healthz, and an app that refuses a database whose schema is behind."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from db import migrate
from db.config import load_settings
from db.engine import create_engine
from web.app import create_app


async def test_healthz_reports_the_database(anonymous):
    response = await anonymous.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_the_home_page_serves_vendored_htmx(anonymous):
    page = await anonymous.get("/", follow_redirects=True)
    assert page.status_code == 200 and "/static/htmx.min.js" in page.text
    assert "/static/htmx-ext-sse.min.js" in page.text
    script = await anonymous.get("/static/htmx.min.js")
    assert script.status_code == 200 and "htmx" in script.text[:200]


@pytest.fixture
def empty_settings(tmp_path):
    return load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/empty.db", secret_key="x", var_dir=tmp_path
    )


async def test_the_app_refuses_to_start_on_a_database_behind(empty_settings):
    app = create_app(empty_settings)

    with pytest.raises(migrate.SchemaBehind, match="petition-hub db upgrade"):
        async with app.router.lifespan_context(app):
            pass
    await app.state.engine.dispose()


async def test_healthz_says_when_the_schema_is_behind(empty_settings):
    app = create_app(empty_settings, check_schema=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.get("/healthz")
    await app.state.engine.dispose()
    assert response.status_code == 503
    assert "petition-hub db upgrade" in response.json()["detail"]


async def test_upgrade_brings_an_empty_database_to_head(empty_settings):
    engine = create_engine(empty_settings)
    await migrate.upgrade(engine, empty_settings)
    await migrate.check_current(engine, empty_settings)
    await engine.dispose()


async def test_the_timeline_cannot_be_rewritten(engine, window):
    from tests.factories import submit

    await submit(window)
    for statement in ("UPDATE petition_events SET kind = 'CLOSED'", "DELETE FROM petition_events"):
        async with engine.connect() as connection:
            with pytest.raises(Exception, match="immutable"):
                await connection.execute(text(statement))
            await connection.rollback()


async def test_graphiql_is_served_without_the_internet(anonymous):
    import base64
    import hashlib
    import re

    page = await anonymous.get("/graphql", headers={"Accept": "text/html"})

    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert not re.search(r'(src|href)="https?://', page.text), "an asset from the internet"
    assets = re.findall(r'(?:src|href)="(/static/graphiql/[^"]+)"\s+integrity="([^"]+)"', page.text)
    assert len(assets) >= 5
    for path, integrity in assets:
        body = (await anonymous.get(path)).content
        algorithm, expected = integrity.split("-", 1)
        assert base64.b64encode(hashlib.new(algorithm, body).digest()).decode() == expected


async def test_postgresql_connections_run_without_jit(engine):
    # JIT costs the hub's statements more than it saves (db/engine.py); the setting goes
    # with every connection of the app's engine
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL setting")
    async with engine.connect() as connection:
        assert (await connection.execute(text("SHOW jit"))).scalar_one() == "off"
