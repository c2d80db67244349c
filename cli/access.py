"""`petition-hub token …` and `petition-hub user …`: API tokens and staff users."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from cli.common import fail, run_with_session
from db.config import Settings
from db.models import Role, utcnow
from resolvers import loaders
from resolvers.access import signin
from resolvers.access import tokens as auth
from resolvers.access.caller import DEFAULT_TOKEN_SCOPES

token_app = typer.Typer(help="API tokens for organisations.", no_args_is_help=True)
user_app = typer.Typer(help="Staff users.", no_args_is_help=True)


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
        fail("--expires-in-days must be 1 or more")
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
        fail(f"unknown role {unknown}; roles: {', '.join(r.name.lower() for r in Role)}")
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
