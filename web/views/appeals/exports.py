"""The worklist as a file: `/petitions/export.xlsx` and `/petitions/export.csv`.

Same filters as the page, within the slice; personal data masked as on the appeal
page; Chinese headers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime

from openpyxl import Workbook
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from resolvers.access import disclosure
from resolvers.access.audit import AuditPath
from resolvers.appeals.reading import PetitionFilter, PetitionOrder, list_petitions
from resolvers.appeals.worklist import View, view_filter
from resolvers.errors import BadUserInput
from web.pages import Staff, db, now, require_staff, services
from web.rows import rows_for
from web.views.appeals.filters import requested
from web.views.appeals.worklist import bad_input

BATCH = 500
MAX_ROWS = 50_000
# OWASP's CSV-injection rule: a cell a spreadsheet would read as a formula (or as the
# start of one, after a tab or carriage return) gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADERS = [
    "编号",
    "标题",
    "类别",
    "事项",
    "状态",
    "渠道",
    "登记时间",
    "登记单位",
    "社区",
    "主办单位",
    "办理期限",
    "人数",
    "积案",
    "信访人",
    "身份证号",
    "电话",
]


async def export_rows(
    request: Request, staff: Staff, where: PetitionFilter, order: PetitionOrder
) -> AsyncIterator[list[object]]:
    """The worklist's appeals as table rows, a batch at a time."""
    tz, moment, after, sent = services(request).tz, now(), None, 0
    while sent < MAX_ROWS:
        async with db(request) as session:
            page = await list_petitions(
                session=session,
                caller=staff.caller,
                services=services(request),
                where=where,
                order=order,
                first=BATCH,
                after=after,
                now=moment,
            )
            rows = await rows_for(session, staff.caller, page.rows, services(request), moment)
            people = await disclosure.disclose_petitioners(
                session, staff.caller, page.rows, AuditPath.EXPORT
            )
        for row, person in zip(rows, people, strict=True):
            p = row.petition
            yield spreadsheet_safe(
                [
                    p.number,
                    p.title,
                    p.category.value,
                    p.matter.value,
                    p.status.value,
                    p.channel.value,
                    _local(p.received_at, tz),
                    row.received_by.name if row.received_by else "",
                    row.community.name if row.community else "",
                    row.lead.name if row.lead else "",
                    _local(p.due_at, tz),
                    p.people_count,
                    "是" if p.backlog else "",
                    person.name if person else "",
                    person.id_number or "" if person else "",
                    person.phone or "" if person else "",
                ]
            )
        sent += len(rows)
        if not page.has_next_page:
            break
        after = page.cursors[-1]


def spreadsheet_safe(row: list[object]) -> list[object]:
    """The row with every text cell that could start a formula made plain text."""
    return [
        f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
        for cell in row
    ]


def _local(moment: datetime | None, tz: object) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""  # type: ignore[arg-type]


def _filename(extension: str) -> str:
    return f"attachment; filename=petitions-{now():%Y%m%d-%H%M}.{extension}"


async def asked_for(request: Request) -> tuple[Staff, PetitionFilter, PetitionOrder] | Response:
    """Who asks, and the worklist's filter and order (its view; without one, all the
    slice holds), or the 400 page naming a bad field."""
    async with db(request) as session:
        staff = await require_staff(request, session)
        try:
            asked = await requested(
                session, staff.caller, request.query_params, services(request).tz
            )
        except BadUserInput as error:
            return bad_input(request, staff, error)
    worklist = asked.worklist
    view = worklist.view or View.ALL
    return staff, replace(worklist.where, within=view_filter(view, staff.caller)), worklist.order


async def export_csv(request: Request) -> Response:
    asked = await asked_for(request)
    if isinstance(asked, Response):
        return asked
    staff, where, order = asked

    async def lines() -> AsyncIterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # so that Excel reads the file as UTF-8
        writer.writerow(HEADERS)
        async for row in export_rows(request, staff, where, order):
            writer.writerow(row)
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": _filename("csv")},
    )


async def export_xlsx(request: Request) -> Response:
    asked = await asked_for(request)
    if isinstance(asked, Response):
        return asked
    staff, where, order = asked
    book = Workbook(write_only=True)
    sheet = book.create_sheet("诉求")
    sheet.append(HEADERS)
    async for row in export_rows(request, staff, where, order):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        headers={"Content-Disposition": _filename("xlsx")},
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


routes = [
    Route("/petitions/export.csv", export_csv, name="export_csv"),
    Route("/petitions/export.xlsx", export_xlsx, name="export_xlsx"),
]
