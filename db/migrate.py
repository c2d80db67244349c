"""Apply migrations and tell whether a database's schema is current."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from db.config import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaBehind(RuntimeError):
    """The database's schema is older than the code; run `petition-hub db upgrade`."""


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["settings"] = settings
    return config


async def upgrade(engine: AsyncEngine, settings: Settings) -> None:
    """Bring the database's schema to the newest revision."""
    config = alembic_config(settings)

    def _upgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.connect() as connection:
        await connection.run_sync(_upgrade)
        await connection.commit()


def head_revision(settings: Settings) -> str | None:
    return ScriptDirectory.from_config(alembic_config(settings)).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    def _current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(_current)


async def check_current(engine: AsyncEngine, settings: Settings) -> None:
    """Raise `SchemaBehind` unless the database is at the newest revision."""
    current, head = await current_revision(engine), head_revision(settings)
    if current != head:
        raise SchemaBehind(
            f"the database schema is at {current or 'nothing'}, the code needs {head}: "
            "run `petition-hub db upgrade`"
        )
