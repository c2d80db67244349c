"""The app for uvicorn's factory mode (`uvicorn --factory web.asgi:app_from_environment`),
and `serve`, which `petition-hub serve` runs."""

from __future__ import annotations

import gc

from starlette.types import ASGIApp

from db.config import Settings, load_settings
from web import timeouts
from web.app import create_app
from web.logs import configure_logging
from web.tracing import traced


def app_from_environment() -> ASGIApp:
    """Build the app from the environment (each worker process calls this), with the
    hub's logging and, when configured, tracing."""
    settings = load_settings()
    configure_logging(settings.log_format)
    app = create_app(settings)
    served = traced(app, app.state.engine, settings.otlp_endpoint)
    # What start-up made (the schema, its kept plans' caches, the templates) lives as long
    # as the process: frozen, the collector stops walking it at every collection of the
    # requests' garbage (a compiled read's p99 at concurrency 16: 61 → 9 ms,
    # bench/RESULTS.md)
    gc.collect()
    gc.freeze()
    return served


def serve(settings: Settings, *, host: str, port: int, workers: int) -> None:
    """Serve the app with uvicorn (uvloop, httptools with the header deadline), in
    `workers` processes that each build the app from the environment."""
    timeouts.serve(
        timeouts.HubConfig(
            "web.asgi:app_from_environment",
            header_timeout=settings.header_timeout,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            loop="uvloop",
            log_level="info",
            access_log=False,  # the hub logs every request itself, as one JSON line
            # No per-message compression of WebSocket frames: a stream event is a few
            # hundred bytes, and deflating it for each of a thousand subscribers cost the
            # fan-out more CPU than the bytes saved (bench/RESULTS.md).
            ws_per_message_deflate=False,
            # On SIGTERM: stop accepting, let in-flight requests finish, close
            # subscriptions with 1012 (service restart: resume from your last cursor);
            # streams still open after the grace period are cut, and EventSource
            # resumes with Last-Event-ID.
            timeout_graceful_shutdown=settings.shutdown_grace_seconds,
            # The app decides whom to believe (PETITION_HUB_TRUSTED_PROXIES), not
            # uvicorn, whose default trusts X-Forwarded-For from 127.0.0.1.
            proxy_headers=False,
        )
    )
