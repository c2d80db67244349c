"""The app for uvicorn's factory mode: `uvicorn --factory web.asgi:app_from_environment`."""

from __future__ import annotations

from starlette.applications import Starlette

from db.config import load_settings
from web.app import create_app


def app_from_environment() -> Starlette:
    """Build the app from the environment (each worker process calls this)."""
    return create_app(load_settings())
