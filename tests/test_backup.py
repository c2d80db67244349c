"""`petition-hub backup` then `restore` gives back every row; a backup from a newer schema
is refused. On the database the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, func, select, text
from typer.testing import CliRunner

from cli.main import app as cli
from db import backup, migrate
from db.config import Settings
from db.engine import create_engine
from tests.conftest import fresh_database

runner = CliRunner()


async def _snapshot(settings: Settings) -> dict[str, tuple[int, list[tuple[object, ...]]]]:
    """Each table's row count and its first and last rows by primary key."""
    engine = create_engine(settings)
    try:
        async with engine.connect() as connection:
            metadata = MetaData()
            await connection.run_sync(metadata.reflect)
            found = {}
            for table in metadata.sorted_tables:
                count = await connection.scalar(select(func.count()).select_from(table))
                key = list(table.primary_key.columns) or list(table.columns)[:1]
                rows = [
                    tuple(r)
                    for r in (await connection.execute(select(table).order_by(*key).limit(3))).all()
                ]
                rows += [
                    tuple(r)
                    for r in (
                        await connection.execute(
                            select(table).order_by(*(k.desc() for k in key)).limit(3)
                        )
                    ).all()
                ]
                found[table.name] = (count or 0, rows)
            return found
    finally:
        await engine.dispose()


def _env(settings: Settings) -> dict[str, str]:
    return {
        "PETITION_HUB_DATABASE_URL": settings.database_url,
        "PETITION_HUB_SECRET_KEY": "x",
        "PETITION_HUB_VAR_DIR": str(settings.var_dir),
    }


async def test_backup_then_restore_gives_back_every_row(settings, world, client_for, tmp_path):
    from tests import factories
    from tests.factories import submit

    await submit(await client_for(factories.WINDOW))  # something beyond the empty schema
    file = tmp_path / "hub.backup"
    made = runner.invoke(cli, ["backup", str(file)], env=_env(settings))
    assert made.exit_code == 0, made.output
    async with fresh_database(tmp_path) as target:
        restored = runner.invoke(cli, ["restore", str(file), "--yes"], env=_env(target))
        assert restored.exit_code == 0, restored.output

        before, after = await _snapshot(settings), await _snapshot(target)
    assert set(after) == set(before)
    assert {t: c for t, (c, _) in after.items()} == {t: c for t, (c, _) in before.items()}
    assert after == before
    assert before["petitions"][0] >= 1


async def test_a_backup_from_a_newer_schema_is_refused(tmp_path):
    async with fresh_database(tmp_path) as newer, fresh_database(tmp_path) as target:
        engine = create_engine(newer)
        await migrate.upgrade(engine, newer)
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = '9999_x'"))
        await engine.dispose()
        file = tmp_path / "newer.backup"
        backup.backup(newer, file)

        refused = runner.invoke(cli, ["restore", str(file), "--yes"], env=_env(target))

        assert refused.exit_code == 1
        assert "9999_x" in refused.output and "newer" in refused.output
        with pytest.raises(backup.BackupError):
            backup.restore(target, file)
