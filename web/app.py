"""`create_app(settings)`: builds the engine, the GraphQL endpoint and the pages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

from prometheus_client import multiprocess
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from db import migrate
from db.config import Settings
from db.engine import create_engine, create_sessionmaker
from resolvers.deadlines import watcher
from resolvers.deadlines.calendars import load_calendar
from resolvers.events.broker import create_broker
from resolvers.events.publishing import publish_after_commit
from resolvers.services import Services
from schema.schema import build_schema
from web import observability
from web.auth import SESSION_COOKIE, csrf_token
from web.body_limit import BodyLimit, BodyTooLarge, body_too_large
from web.errors import template_error_text
from web.graphql import HubGraphQL
from web.headers import SecurityHeaders
from web.hygiene import RefuseNul, UnstorableInput, unstorable_input
from web.i18n import Translator
from web.pages import (
    PageNotFound,
    SignInRequired,
    page_not_found,
    path_for,
    sign_in_required,
)
from web.timeouts import BodyTimeout
from web.tracing import tracing_extensions
from web.views import access as auth_views
from web.views import (
    admin,
    backlog,
    care,
    credit,
    deadlines,
    disputes,
    enterprises,
    governance,
    stats,
    workflow,
)
from web.views import dispatch as dispatch_views
from web.views.appeals import exports, intake, petition, worklist
from web.views.disputes.entry import disputes_entry
from web.websocket import KeepServerSend

HERE = Path(__file__).parent
log = logging.getLogger("petition_hub")


def proxy_headers(settings: Settings) -> list[Middleware]:
    """Believe `X-Forwarded-For` (and `-Proto`) only from the proxies named in
    `PETITION_HUB_TRUSTED_PROXIES`; by default from no one, so a client cannot pick
    the address its sign-in failures are counted against."""
    trusted = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    return [Middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)] if trusted else []


def create_app(settings: Settings, *, check_schema: bool = True) -> Starlette:
    """The whole web app for `settings`. Nothing connects until it is served."""
    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    services = Services(settings, broker=create_broker(settings))
    publish_after_commit(sessionmaker, services.broker)
    observability.count_statements(engine)
    schema = build_schema(
        settings,
        observers=[observability.OperationMetrics, *tracing_extensions(settings.otlp_endpoint)],
    )
    graphql = HubGraphQL(
        schema,
        services=services,
        engine=engine,
        sessionmaker=sessionmaker,
        idle_minutes=settings.session_idle_minutes,
        subscriptions_per_token=settings.max_subscriptions_per_token,
    )
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["csrf_token"] = csrf_token
    templates.env.globals["tz"] = services.tz
    templates.env.globals["url_for"] = path_for
    templates.env.globals["error_text"] = template_error_text
    templates.env.globals["disputes_entry"] = disputes_entry
    translator = Translator(templates.env)

    async def healthz(request: Request) -> JSONResponse:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            await migrate.check_current(engine, settings)
        except migrate.SchemaBehind as behind:
            return JSONResponse({"status": "schema behind", "detail": str(behind)}, 503)
        except Exception:  # the database is down: say so, without a traceback
            log.exception("health check failed")
            return JSONResponse({"status": "database unreachable"}, 503)
        return JSONResponse({"status": "ok", "database": engine.dialect.name})

    async def readyz(request: Request) -> JSONResponse:
        """Ready for traffic: the database answers, its schema is current, the broker
        answers. 503 with the reasons when not."""
        problems: dict[str, str] = {}
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:
            problems["database"] = f"unreachable ({type(error).__name__})"
        else:
            try:
                await migrate.check_current(engine, settings)
            except migrate.SchemaBehind as behind:
                problems["migrations"] = str(behind)
        try:
            await services.broker.ping()
        except Exception as error:
            problems["broker"] = f"unreachable ({type(error).__name__})"
        if problems:
            return JSONResponse({"status": "not ready", "problems": problems}, 503)
        return JSONResponse(
            {"status": "ready", "database": engine.dialect.name, "broker": services.broker.kind}
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if check_schema:
            await migrate.check_current(engine, settings)
            async with sessionmaker() as session:
                services.calendar = await load_calendar(session)
        await services.broker.start()
        task = None
        if settings.watch_interval > 0:
            task = asyncio.create_task(watcher.watch_forever(sessionmaker, services))
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await services.broker.close()
        await engine.dispose()
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

    app = Starlette(
        routes=[
            # First: the partners' door is the busiest, and routes are matched in order.
            Route("/graphql", graphql, methods=["GET", "POST"], name="graphql"),
            WebSocketRoute("/graphql", graphql, name="graphql_ws"),
            Route("/healthz", healthz, name="healthz"),
            Route("/readyz", readyz, name="readyz"),
            Route(
                "/metrics",
                observability.metrics_endpoint(
                    engine,
                    frozenset(
                        a.strip() for a in settings.metrics_addresses.split(",") if a.strip()
                    ),
                    graphql.authenticate,
                ),
                name="metrics",
            ),
            *auth_views.routes,
            *worklist.routes,
            *intake.routes,
            *dispatch_views.routes,
            *exports.routes,
            *petition.routes,
            *workflow.routes,
            *admin.routes,
            *deadlines.routes,
            *governance.routes,
            *stats.routes,
            *disputes.routes,
            *care.routes,
            *credit.routes,
            *enterprises.routes,
            *backlog.routes,
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        lifespan=lifespan,
        exception_handlers={
            BodyTooLarge: body_too_large,
            UnstorableInput: unstorable_input,
            SignInRequired: sign_in_required,
            PageNotFound: page_not_found,
            404: page_not_found,
        },
        middleware=[
            Middleware(KeepServerSend),
            Middleware(SecurityHeaders),
            *proxy_headers(settings),
            Middleware(observability.RequestLog),
            Middleware(
                BodyLimit,
                limit=settings.max_body_bytes,
                by_path={"/admin/calendar": settings.max_calendar_import_bytes},
            ),
            Middleware(BodyTimeout, seconds=settings.body_timeout),
            Middleware(
                SessionMiddleware,
                secret_key=settings.secret_key,
                session_cookie=SESSION_COOKIE,
                same_site="lax",
                https_only=settings.secure_cookies,
                max_age=12 * 3600,
            ),
            Middleware(RefuseNul),
        ],
    )
    app.state.engine = engine
    app.state.sessionmaker = sessionmaker
    app.state.services = services
    app.state.schema = schema
    app.state.graphql = graphql
    app.state.templates = templates
    app.state.translator = translator
    app.state.event_poll_seconds = 2.0
    app.state.settings = settings
    return app
