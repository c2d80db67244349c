"""`petition-hub calendar …` and `petition-hub deadlines …`: the working-day calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cli.common import fail, run_with_session, run_with_sessionmaker
from db.config import Settings
from db.models import utcnow
from resolvers.errors import HubError

calendar_app = typer.Typer(help="The working-day calendar.", no_args_is_help=True)
deadlines_app = typer.Typer(help="Deadlines.", no_args_is_help=True)

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
        fail(str(error))
    except HubError as error:
        fail(f"{file}: {error}")

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

        async def forever(
            sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
        ) -> None:
            await watcher.watch_forever(sessionmaker, Services(settings))

        run_with_sessionmaker(forever)
        return

    async def work(session: AsyncSession, settings: Settings) -> watcher.WatchResult:
        services = Services(settings, calendar=await load_calendar(session))
        await session.commit()
        return await watcher.run_watch(session, utcnow(), services)

    result = run_with_session(work)
    typer.echo(f"{result.approaching} approaching, {result.overdue} overdue")
