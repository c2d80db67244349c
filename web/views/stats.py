"""The leaders' pages: the data screen (`/screen`), the figures as tables with drill-down
(`/stats`), their export, and the monthly report (`/reports/monthly.xlsx`).

Every number comes from `resolvers.stats` for the signed-in person's slice: the pages
only lay it out. The screen draws its charts with ECharts (vendored) from
`/screen/data` and refreshes when the event stream says something happened.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from db import models
from resolvers.errors import BadUserInput
from resolvers.governance import targets
from resolvers.stats import report as reports
from resolvers.stats.figures import GroupBy, Stats, StatsRow, petition_stats
from resolvers.stats.screen import Screen, screen_figures
from web.i18n import choose_language
from web.pages import Staff, db, now, render, require_staff, services

RATES = targets.RATES  # the rates that have targets, in the screen's order
GROUPS = {
    "street": GroupBy.STREET,
    "community": GroupBy.COMMUNITY,
    "organisation": GroupBy.ORGANISATION,
    "category": GroupBy.CATEGORY,
    "matter": GroupBy.MATTER,
}
# Where a row's number leads: the next level down, or the appeals behind it.
DRILL = {"street": "community"}


def _row(row: StatsRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "received": row.received,
        "closed": row.closed,
        "open": row.open,
        "overdue": row.overdue,
        "dueSoon": row.due_soon,
        "backlog": row.backlog,
        **{name: getattr(row, name) for name in RATES},
    }


def _appeal(p: models.Petition, tz: Any) -> dict[str, Any]:
    return {
        "number": p.number,
        "title": p.title,
        "status": p.status.value,
        "dueAt": p.due_at.astimezone(tz).strftime("%Y-%m-%d") if p.due_at else None,
    }


def screen_data(screen: Screen, tz: Any) -> dict[str, Any]:
    """What the screen's charts draw, as JSON (the same numbers `Query.stats` gives)."""
    total = screen.year.total
    return {
        "today": screen.today.isoformat(),
        "todayReceived": screen.today_received,
        "year": _row(total),
        "targets": screen.targets,
        "byStreet": [_row(r) for r in screen.by_street],
        "byCategory": [_row(r) for r in screen.by_category],
        "byMatter": [_row(r) for r in screen.by_matter],
        "pyramid": [
            {"level": lv.name, "label": lv.value, "received": n} for lv, n in screen.year.pyramid
        ],
        "pyramidInverted": screen.year.inverted,
        "communities": [
            {
                "code": c.code,
                "name": c.name,
                "street": c.street,
                "received": c.received,
                "overdue": c.overdue,
                "population": c.population,
                "per10k": c.per_10k,
            }
            for c in screen.communities
        ],
        "weekly": [[d.isoformat(), n] for d, n in screen.weekly],
        "monthly": [[d.strftime("%Y-%m"), n] for d, n in screen.monthly],
        "overdueList": [_appeal(p, tz) for p in screen.overdue],
        "dueSoonList": [_appeal(p, tz) for p in screen.due_soon],
        "backlogList": [_appeal(p, tz) for p in screen.backlog],
    }


async def _screen(request: Request) -> tuple[Staff, dict[str, Any]]:
    async with db(request) as session:
        staff = await require_staff(request, session)
        figures = await screen_figures(
            session=session, caller=staff.caller, services=services(request), now=now()
        )
    return staff, screen_data(figures, services(request).tz)


async def screen(request: Request) -> Response:
    staff, data = await _screen(request)
    return render(
        request,
        "stats/screen.html",
        None,
        {"staff": staff, "data": data, "language": choose_language(request)},
    )


async def screen_json(request: Request) -> Response:
    _, data = await _screen(request)
    return JSONResponse(data, headers={"Cache-Control": "no-store"})


def _period(params: Any, today: date) -> tuple[date, date]:
    try:
        start = date.fromisoformat(params.get("from") or today.replace(month=1, day=1).isoformat())
        end = date.fromisoformat(params.get("to") or today.isoformat())
    except ValueError:
        raise BadUserInput("not a date", field="period") from None
    return start, end


async def _table(request: Request) -> tuple[Staff, Stats, dict[str, Any]]:
    params = request.query_params
    group = str(params.get("group")) if params.get("group") in GROUPS else "street"
    today = now().astimezone(services(request).tz).date()
    start, end = _period(params, today)
    street = params.get("street") or None
    async with db(request) as session:
        staff = await require_staff(request, session)
        stats = await petition_stats(
            session=session,
            caller=staff.caller,
            services=services(request),
            start=start,
            end=end,
            group_by=GROUPS[group],
            now=now(),
            street=street,
        )
    return (
        staff,
        stats,
        {"group": group, "from": start.isoformat(), "to": end.isoformat(), "street": street or ""},
    )


async def table(request: Request) -> Response:
    staff, stats, chosen = await _table(request)
    return render(
        request,
        "stats/index.html",
        "stats/_table.html",
        {
            "staff": staff,
            "stats": stats,
            "chosen": chosen,
            "groups": GROUPS,
            "drill": DRILL.get(chosen["group"]),
            "rates": RATES,
        },
    )


COLUMNS = ("key", "label", "received", "closed", "open", "overdue", "dueSoon", "backlog", *RATES)


async def export(request: Request) -> Response:
    _, stats, chosen = await _table(request)
    rows = [[_row(r)[c] for c in COLUMNS] for r in [*stats.rows, stats.total]]
    name = f"stats-{chosen['group']}-{chosen['from']}-{chosen['to']}"
    if request.path_params["kind"] == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return Response(
            "\ufeff" + out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    out_bytes = io.BytesIO()
    book.save(out_bytes)
    return Response(
        out_bytes.getvalue(),
        media_type=reports.XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


async def monthly(request: Request) -> Response:
    raw = request.query_params.get("month") or ""
    async with db(request) as session:
        staff = await require_staff(request, session)
        month = reports.parse_month(raw, now().astimezone(services(request).tz).date())
        content = await reports.monthly_report(
            session=session, caller=staff.caller, services=services(request), month=month, now=now()
        )
    return Response(
        content,
        media_type=reports.XLSX,
        headers={"Content-Disposition": f'attachment; filename="monthly-{month:%Y-%m}.xlsx"'},
    )


routes = [
    Route("/screen", screen, name="screen"),
    Route("/screen/data", screen_json, name="screen_data"),
    Route("/stats", table, name="stats"),
    Route("/stats/export.{kind:str}", export, name="stats_export"),
    Route("/reports/monthly.xlsx", monthly, name="monthly_report"),
]
