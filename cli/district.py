"""`petition-hub governance …` and `petition-hub report …`: the district's data and reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from cli.common import fail, run_with_session
from db.config import Settings
from db.models import utcnow
from resolvers.access import tokens as auth
from resolvers.errors import HubError

governance_app = typer.Typer(help="The grassroots governance data.", no_args_is_help=True)
report_app = typer.Typer(help="Reports for the district.", no_args_is_help=True)


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
        fail(error.message)
