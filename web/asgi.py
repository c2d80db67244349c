"""The app for uvicorn's factory mode: `uvicorn --factory web.asgi:app_from_environment`."""

from __future__ import annotations

from starlette.types import ASGIApp

from db.config import load_settings
from web.app import create_app
from web.logs import configure_logging
from web.tracing import traced


def app_from_environment() -> ASGIApp:
    """Build the app from the environment (each worker process calls this), with the
    hub's logging and, when configured, tracing."""
    settings = load_settings()
    configure_logging(settings.log_format)
    app = create_app(settings)
    return traced(app, app.state.engine, settings.otlp_endpoint)
