"""`petition-hub`: serve, migrate, load the demo, back up and restore; the command groups
(tokens and users, the calendar, the district's data) live beside it."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from cli.access import token_app, user_app
from cli.common import fail, run_with_session
from cli.days import calendar_app, deadlines_app
from cli.district import governance_app, report_app
from db import migrate
from db.config import Settings, load_settings
from db.engine import create_engine
from db.models import utcnow

app = typer.Typer(
    help="Petition Hub: a district's petition supermarket (信访超市).", no_args_is_help=True
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")
app.add_typer(user_app, name="user")
app.add_typer(calendar_app, name="calendar")
app.add_typer(deadlines_app, name="deadlines")
app.add_typer(governance_app, name="governance")
app.add_typer(report_app, name="report")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the web app and GraphQL (uvicorn)."""
    from uvicorn.importer import import_from_string

    settings = load_settings()

    async def check() -> None:
        engine = create_engine(settings)
        try:
            await migrate.check_current(engine, settings)
        finally:
            await engine.dispose()

    try:
        asyncio.run(check())
    except migrate.SchemaBehind as behind:
        fail(str(behind))
    if workers > 1 and settings.broker_url.startswith("memory:"):
        typer.secho(
            f"note: with {workers} workers and PETITION_HUB_BROKER_URL=memory://, a subscriber "
            "hears of another worker's events only at its next poll; set redis://… for "
            "prompt delivery",
            fg=typer.colors.YELLOW,
            err=True,
        )
    if workers > 1:
        # Each worker writes its metrics here for /metrics to add up (prometheus_client's
        # multiprocess mode); set before the workers import it, emptied at each start.
        metrics_dir = settings.var_dir / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir.resolve())
    # The web door is named by its import string, as uvicorn names the app: the
    # command line and the web app are two doors that do not import each other.
    serve_web = import_from_string("web.asgi:serve")
    serve_web(settings, host=host, port=port, workers=workers)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (Alembic)."""
    settings = load_settings()

    async def main() -> str | None:
        engine = create_engine(settings)
        try:
            await migrate.upgrade(engine, settings)
            return await migrate.current_revision(engine)
        finally:
            await engine.dispose()

    typer.echo(f"database at revision {asyncio.run(main())}")


@app.command()
def demo(
    appeals: Annotated[int, typer.Option(help="How many appeals (a year's worth).")] = 25_000,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed, the same district.")
    ] = 2022,
    if_empty: Annotated[
        bool, typer.Option(help="Do nothing if the demo is already loaded.")
    ] = False,
) -> None:
    """Load the Pingshan demo district: places, organisations, users, enterprises, appeals."""
    from db.demo import load
    from resolvers.demo import DemoServicesAdapter
    from resolvers.governance import profiles
    from resolvers.services import Services

    async def work(session: AsyncSession, settings: Settings) -> str:
        loaded = await load.load_demo(
            session,
            settings,
            appeals=appeals,
            seed=seed,
            if_empty=if_empty,
            services=DemoServicesAdapter(Services(settings)),
        )
        if not await profiles.list_profiles(session):
            await profiles.import_profiles(
                session=session,
                caller=None,
                now=utcnow(),
                text=profiles.DEMO_FILE.read_text(encoding="utf-8"),
            )
        return loaded

    typer.echo(run_with_session(work))


@app.command()
def backup(file: Annotated[Path, typer.Argument(help="Where to write the backup.")]) -> None:
    """Back the database up to FILE: SQLite's online backup (safe while serving), or
    pg_dump's custom format for PostgreSQL."""
    from db import backup as backups

    settings = load_settings()
    try:
        backups.backup(settings, file)
    except backups.BackupError as error:
        fail(str(error))
    typer.echo(f"backed up to {file} ({file.stat().st_size:,} bytes)")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A file `petition-hub backup` wrote.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace the database's contents with FILE. Stop the hub first. A file from a newer
    schema than this hub knows is refused; an older one is brought forward by
    `petition-hub db upgrade`."""
    from db import backup as backups

    settings = load_settings()
    try:
        revision = backups.check_restorable(settings, file)
        if not yes:
            typer.confirm(f"Replace the whole database with {file}?", abort=True)
        backups.restore(settings, file)
    except backups.BackupError as error:
        fail(str(error))
    head = migrate.head_revision(settings)
    typer.echo(f"restored {file} (schema {revision})")
    if revision != head:
        typer.echo(f"the code's schema is {head}: run `petition-hub db upgrade`")
