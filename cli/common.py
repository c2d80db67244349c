"""What every command shares: a session on the configured database, and a clean failure."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import NoReturn, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import migrate
from db.config import Settings, load_settings
from db.demo.load import DemoAlreadyLoaded
from db.engine import create_engine, create_sessionmaker
from resolvers.errors import HubError
from resolvers.events.broker import create_broker
from resolvers.events.publishing import publish_after_commit

T = TypeVar("T")


def fail(message: str) -> NoReturn:
    """End the command with `error: message` on stderr and exit status 1."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1) from None


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


def run_with_sessionmaker(
    work: Callable[[async_sessionmaker[AsyncSession], Settings], Awaitable[T]],
) -> T:
    """Run `work` with the configured database's sessions (announcing what they commit) once
    the schema is checked current; errors end the command cleanly."""
    settings = load_settings()

    async def main() -> T:
        engine = create_engine(settings)
        try:
            await migrate.check_current(engine, settings)
            async with publishing(settings, create_sessionmaker(engine)) as sessionmaker:
                return await work(sessionmaker, settings)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except (HubError, migrate.SchemaBehind, DemoAlreadyLoaded) as error:
        fail(str(error))


def run_with_session(work: Callable[[AsyncSession, Settings], Awaitable[T]]) -> T:
    """Run `work` with one session on the configured database; errors end the command cleanly."""

    async def one(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> T:
        async with sessionmaker() as session:
            return await work(session, settings)

    return run_with_sessionmaker(one)
