"""`petition-hub`: serve, migrate, load the demo, issue tokens, create users."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import migrate
from db.config import Settings, load_settings
from db.demo.load import DemoAlreadyLoaded
from db.engine import create_engine, create_sessionmaker
from db.models import Role, utcnow
from resolvers import loaders
from resolvers.access import signin
from resolvers.access import tokens as auth
from resolvers.access.caller import DEFAULT_TOKEN_SCOPES
from resolvers.errors import HubError
from resolvers.events.broker import create_broker
from resolvers.events.publishing import publish_after_commit

app = typer.Typer(
    help="Petition Hub: a district's petition supermarket (信访超市).", no_args_is_help=True
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for organisations.", no_args_is_help=True)
user_app = typer.Typer(help="Staff users.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")
app.add_typer(user_app, name="user")
calendar_app = typer.Typer(help="The working-day calendar.", no_args_is_help=True)
deadlines_app = typer.Typer(help="Deadlines.", no_args_is_help=True)
app.add_typer(calendar_app, name="calendar")
app.add_typer(deadlines_app, name="deadlines")

T = TypeVar("T")


@contextlib.asynccontextmanager
async def publishing(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """`sessionmaker`, announcing the events it commits on the configured broker (with
    Redis, subscribers of the running app hear of them at once; otherwise they poll)."""
    broker = create_broker(settings)
    publish_after_commit(sessionmaker, broker)
    await broker.start()
    try:
        yield sessionmaker
    finally:
        await broker.close()


def run_with_session(work: Callable[[AsyncSession, Settings], Awaitable[T]]) -> T:
    """Run `work` with a session on the configured database; errors end the command cleanly."""
    settings = load_settings()

    async def main() -> T:
        engine = create_engine(settings)
        try:
            await migrate.check_current(engine, settings)
            async with publishing(settings, create_sessionmaker(engine)) as sessionmaker:
                async with sessionmaker() as session:
                    return await work(session, settings)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except (HubError, migrate.SchemaBehind, DemoAlreadyLoaded) as error:
        typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None


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
        typer.secho(f"error: {behind}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
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


@token_app.command("create")
def token_create(
    org: Annotated[str, typer.Option(help="Organisation code, e.g. PS-HALL.")],
    scope: Annotated[list[str] | None, typer.Option(help="A scope; repeat for more.")] = None,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    expires_in_days: Annotated[
        int | None, typer.Option(help="Valid for this many days (default: until revoked).")
    ] = None,
) -> None:
    """Print a new API token for an organisation. It is shown once."""
    if expires_in_days is not None and expires_in_days < 1:
        typer.secho("error: --expires-in-days must be 1 or more", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None

    async def work(session: AsyncSession, _: Settings) -> str:
        issued = await auth.create_token(
            session=session,
            caller=None,
            organisation_code=org,
            name=name,
            scopes=scope or DEFAULT_TOKEN_SCOPES,
            expires_at=expires_at,
        )
        return issued.token

    typer.echo(run_with_session(work))


@token_app.command("list")
def token_list(
    org: Annotated[str | None, typer.Option(help="Only this organisation's tokens.")] = None,
) -> None:
    """List API tokens: id, organisation, name, scopes, last used, expiry, revocation."""

    async def work(session: AsyncSession, _: Settings) -> str:
        ids = [(await auth.organisation_by_code(session, org)).id] if org is not None else None
        clients = await auth.list_tokens(session=session, organisation_ids=ids)
        organisations = await loaders.organisations_by_id(
            session, [c.organisation_id for c in clients]
        )
        codes = {o.id: o.code for o in organisations if o is not None}
        lines = ["id\torganisation\tname\tprefix\tscopes\tlast used\texpires\trevoked"]
        for c in clients:
            lines.append(
                "\t".join(
                    str(v) if v is not None else "-"
                    for v in (
                        c.id,
                        codes.get(c.organisation_id),
                        c.name,
                        c.token_prefix + "…",
                        ",".join(c.scopes),
                        c.last_used_at,
                        c.expires_at,
                        c.revoked_at,
                    )
                )
            )
        return "\n".join(lines)

    typer.echo(run_with_session(work))


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id, from `token list`.")],
) -> None:
    """Revoke an API token; it stops working at once."""

    async def work(session: AsyncSession, _: Settings) -> str:
        client = await auth.revoke_token(session=session, client_id=token_id, now=utcnow())
        return f"revoked token {client.id} ({client.name})"

    typer.echo(run_with_session(work))


@user_app.command("create")
def user_create(
    org: Annotated[str, typer.Option(help="Organisation code.")],
    username: Annotated[str, typer.Option(help="Sign-in name.")],
    role: Annotated[list[str], typer.Option(help="A role; repeat for more.")],
    display_name: Annotated[str | None, typer.Option(help="Name shown on pages.")] = None,
    password_stdin: Annotated[bool, typer.Option(help="Read the password from stdin.")] = False,
) -> None:
    """Create a staff user (password from a prompt or --password-stdin)."""
    try:
        roles = [Role[r.upper()] for r in role]
    except KeyError as unknown:
        typer.secho(
            f"error: unknown role {unknown}; roles: {', '.join(r.name.lower() for r in Role)}",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1) from None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)

    async def work(session: AsyncSession, _: Settings) -> str:
        user = await auth.create_user(
            session=session,
            caller=None,
            organisation_code=org,
            username=username,
            password=password,
            roles=roles,
            display_name=display_name,
        )
        return f"created user {user.username} ({', '.join(user.roles)}) of {org}"

    typer.echo(run_with_session(work))


@user_app.command("password")
def user_password(
    username: Annotated[str, typer.Option(help="Sign-in name.")],
    password_stdin: Annotated[bool, typer.Option(help="Read the password from stdin.")] = False,
) -> None:
    """Set a staff user's password; every session of theirs ends at once."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)

    async def work(session: AsyncSession, _: Settings) -> str:
        user = await signin.set_password(session=session, username=username, password=password)
        return f"set the password of {user.username}; their sessions have ended"

    typer.echo(run_with_session(work))


WEEKDAYS = "一二三四五六日"


def _day(value: date) -> str:
    return f"{value.isoformat()} 周{WEEKDAYS[value.weekday()]}"


@calendar_app.command("import")
def calendar_import(
    file: Annotated[Path, typer.Argument(help="A year's schedule as JSON (see README).")],
) -> None:
    """Load a year's official holidays and make-up working days; recompute open deadlines."""
    from resolvers.deadlines import calendars
    from resolvers.services import Services

    try:
        schedule = calendars.parse_schedule(file.read_text(encoding="utf-8"))
    except OSError as error:
        typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    except HubError as error:
        typer.secho(f"error: {file}: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None

    async def work(session: AsyncSession, settings: Settings) -> calendars.ImportResult:
        services = Services(settings, calendar=await calendars.load_calendar(session))
        await session.commit()
        return await calendars.import_schedule(
            session=session, services=services, schedule=schedule, now=utcnow()
        )

    result = run_with_session(work)
    against = "the official schedule loaded before" if result.was_official else "the estimate"
    typer.echo(
        f"{result.year}: {len(schedule.holidays)} holidays, {len(schedule.workdays)} "
        f"make-up working days; {len(result.changes)} days differ from {against}:"
    )
    for change in result.changes:
        what = "working day → rest day" if change.was_working else "rest day → working day"
        typer.echo(f"  {_day(change.day)}  {what}  {change.name}")
    typer.echo(f"{result.recomputed} open deadlines recomputed")


@calendar_app.command("show")
def calendar_show(year: Annotated[int, typer.Argument(help="e.g. 2026.")]) -> None:
    """Print a year's holidays and make-up working days, and whether they are official."""
    from resolvers.deadlines import calendars

    async def work(session: AsyncSession, _: Settings) -> calendars.YearView:
        return await calendars.show_year(session, year)

    view = run_with_session(work)
    if view.official:
        typer.echo(f"{view.year}: official schedule ({view.source})")
    else:
        typer.echo(
            f"{view.year}: provisional — no official schedule loaded; deadlines skip weekends "
            "and the statutory holidays below, make-up working days are unknown"
        )
    typer.echo("holidays:")
    for day, name in view.holidays:
        typer.echo(f"  {_day(day)}  {name}")
    typer.echo("make-up working days:")
    for day, name in view.workdays:
        typer.echo(f"  {_day(day)}  {name}")
    if not view.workdays:
        typer.echo("  (none known)" if not view.official else "  (none)")


@deadlines_app.command("watch")
def deadlines_watch(
    once: Annotated[bool, typer.Option("--once", help="Run one pass and stop.")] = False,
) -> None:
    """Raise DEADLINE_APPROACHING and OVERDUE events (each exactly once)."""
    from resolvers.deadlines import watcher
    from resolvers.deadlines.calendars import load_calendar
    from resolvers.services import Services

    if not once:
        settings = load_settings()

        async def forever() -> None:
            engine = create_engine(settings)
            try:
                await migrate.check_current(engine, settings)
                async with publishing(settings, create_sessionmaker(engine)) as sessionmaker:
                    await watcher.watch_forever(sessionmaker, Services(settings))
            finally:
                await engine.dispose()

        asyncio.run(forever())
        return

    async def work(session: AsyncSession, settings: Settings) -> watcher.WatchResult:
        services = Services(settings, calendar=await load_calendar(session))
        await session.commit()
        return await watcher.run_watch(session, utcnow(), services)

    result = run_with_session(work)
    typer.echo(f"{result.approaching} approaching, {result.overdue} overdue")


@app.command()
def backup(file: Annotated[Path, typer.Argument(help="Where to write the backup.")]) -> None:
    """Back the database up to FILE: SQLite's online backup (safe while serving), or
    pg_dump's custom format for PostgreSQL."""
    from db import backup as backups

    settings = load_settings()
    try:
        backups.backup(settings, file)
    except backups.BackupError as error:
        typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
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
        typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    head = migrate.head_revision(settings)
    typer.echo(f"restored {file} (schema {revision})")
    if revision != head:
        typer.echo(f"the code's schema is {head}: run `petition-hub db upgrade`")


governance_app = typer.Typer(help="The grassroots governance data.", no_args_is_help=True)
report_app = typer.Typer(help="Reports for the district.", no_args_is_help=True)
app.add_typer(governance_app, name="governance")
app.add_typer(report_app, name="report")


@governance_app.command("import")
def governance_import(
    file: Annotated[Path, typer.Argument(help="The communities' CSV (README, 'Governance data').")],
) -> None:
    """Replace the communities' figures with FILE; a file with any wrong line stores nothing."""
    from resolvers.governance import profiles

    text = file.read_text(encoding="utf-8-sig")

    async def work(session: AsyncSession, _: Settings) -> str:
        try:
            report = await profiles.import_profiles(
                session=session, caller=None, text=text, now=utcnow()
            )
        except profiles.BadProfiles as refused:
            for problem in refused.report.problems:
                column = f" {problem.column}" if problem.column else ""
                typer.secho(f"line {problem.line}{column}: {problem.message}", err=True)
            typer.secho("nothing was imported", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
        return f"imported {report.stored} communities"

    typer.echo(run_with_session(work))


@report_app.command("monthly")
def report_monthly(
    out: Annotated[Path, typer.Argument(help="Where to write the workbook (.xlsx).")],
    month: Annotated[str, typer.Option(help="YYYY-MM; default last month.")] = "",
    org: Annotated[str, typer.Option(help="Whose slice (an organisation code).")] = "PS-HALL",
) -> None:
    """Write the monthly report workbook for an organisation's slice (the hall: the district)."""
    from resolvers.services import Services
    from resolvers.stats import report

    async def work(session: AsyncSession, settings: Settings) -> str:
        from resolvers.deadlines.calendars import load_calendar

        services = Services(settings, calendar=await load_calendar(session))
        caller = await auth.organisation_caller(session, org)
        moment = utcnow()
        chosen = report.parse_month(month, moment.astimezone(services.tz).date())
        out.write_bytes(
            await report.monthly_report(
                session=session, caller=caller, services=services, month=chosen, now=moment
            )
        )
        return f"wrote {out} ({chosen:%Y-%m})"

    try:
        typer.echo(run_with_session(work))
    except HubError as error:
        typer.secho(f"error: {error.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
