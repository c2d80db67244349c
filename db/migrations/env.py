"""Alembic's environment: runs migrations on the configured database, async."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from db import models
from db.config import load_settings
from db.engine import create_engine

config = context.config
target_metadata = models.Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    settings = config.attributes.get("settings") or load_settings()
    engine = create_engine(settings)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; use `petition-hub db upgrade`")

connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_async())
