"""`petition-hub`: serve, migrate, load the demo, issue tokens, create users."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from db import migrate
from db.config import Settings, load_settings
from db.demo.load import DemoAlreadyLoaded
from db.engine import create_engine, create_sessionmaker
from db.models import Role
from resolvers import auth
from resolvers.caller import DEFAULT_TOKEN_SCOPES
from resolvers.errors import HubError

app = typer.Typer(
    help="Petition Hub: a district's petition supermarket (信访超市).", no_args_is_help=True
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for organisations.", no_args_is_help=True)
user_app = typer.Typer(help="Staff users.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")
app.add_typer(user_app, name="user")

T = TypeVar("T")


def run_with_session(work: Callable[[AsyncSession, Settings], Awaitable[T]]) -> T:
    """Run `work` with a session on the configured database; errors end the command cleanly."""
    settings = load_settings()

    async def main() -> T:
        engine = create_engine(settings)
        try:
            await migrate.check_current(engine, settings)
            async with create_sessionmaker(engine)() as session:
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
    import uvicorn

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
    uvicorn.run(
        "web.asgi:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        log_level="info",
    )


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
    from resolvers.services import Services

    async def work(session: AsyncSession, settings: Settings) -> str:
        return await load.load_demo(
            session, settings, appeals=appeals, seed=seed, if_empty=if_empty,
            services=DemoServicesAdapter(Services(settings)),
        )

    typer.echo(run_with_session(work))


@token_app.command("create")
def token_create(
    org: Annotated[str, typer.Option(help="Organisation code, e.g. PS-HALL.")],
    scope: Annotated[list[str] | None, typer.Option(help="A scope; repeat for more.")] = None,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
) -> None:
    """Print a new API token for an organisation. It is shown once."""

    async def work(session: AsyncSession, _: Settings) -> str:
        issued = await auth.create_token(
            session=session, organisation_code=org, name=name, scopes=scope or DEFAULT_TOKEN_SCOPES
        )
        return issued.token

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
            organisation_code=org,
            username=username,
            password=password,
            roles=roles,
            display_name=display_name,
        )
        return f"created user {user.username} ({', '.join(user.roles)}) of {org}"

    typer.echo(run_with_session(work))
