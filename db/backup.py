"""Backups: the embedded SQLite database through SQLite's online backup API (safe while
the hub serves), PostgreSQL through `pg_dump`/`pg_restore` (custom format).

A restore first reads the schema revision stored in the file and refuses a file from a
newer schema than the code knows: restoring it would leave the hub unable to read its
own data. A file from an older schema is restored, and `petition-hub db upgrade`
brings it forward.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from db.config import Settings
from db.migrate import alembic_config


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why."""


def sqlite_path(settings: Settings) -> Path:
    database = make_url(settings.database_url).database
    if not database:
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(database)


def libpq_url(settings: Settings) -> str:
    """The PostgreSQL URL as `pg_dump` reads it (no `+asyncpg`)."""
    return (
        make_url(settings.database_url)
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client)")
    return found


def backup(settings: Settings, file: Path) -> None:
    """Write a consistent copy of the database to `file`."""
    if settings.is_sqlite:
        source = sqlite3.connect(sqlite_path(settings))
        target = sqlite3.connect(file)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return
    _run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--file",
            str(file),
            "--dbname",
            libpq_url(settings),
        ]
    )


def file_revision(settings: Settings, file: Path) -> str | None:
    """The schema revision a backup file holds (None if it holds none)."""
    if not file.is_file():
        raise BackupError(f"no such file: {file}")
    if settings.is_sqlite:
        connection = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{file} is not a SQLite backup of the hub ({error})") from None
        finally:
            connection.close()
        return row[0] if row else None
    listing = _run(
        [_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(file)]
    )
    found = re.search(
        r"^COPY [^\n]*alembic_version[^\n]*FROM stdin;\n([^\n\\]+)\n", listing, re.MULTILINE
    )
    return found.group(1).strip() if found else None


def check_restorable(settings: Settings, file: Path) -> str | None:
    """The file's revision, after refusing one from a schema newer than the code's."""
    revision = file_revision(settings, file)
    scripts = ScriptDirectory.from_config(alembic_config(settings))
    known = {script.revision for script in scripts.walk_revisions()}
    if revision is not None and revision not in known:
        raise BackupError(
            f"{file} holds schema revision {revision}, newer than this hub knows "
            f"(newest: {scripts.get_current_head()}): upgrade the hub before restoring it"
        )
    return revision


def restore(settings: Settings, file: Path) -> str | None:
    """Replace the database's contents with the backup in `file`; returns its revision.
    Stop the hub first: the data it holds in memory would not match."""
    revision = check_restorable(settings, file)
    if settings.is_sqlite:
        target_path = sqlite_path(settings)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        target = sqlite3.connect(target_path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return revision
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            libpq_url(settings),
            str(file),
        ]
    )
    return revision


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        # The tools' messages name tables and options, never rows: safe to show.
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-500:]}")
    return done.stdout
