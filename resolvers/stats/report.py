"""The monthly report (月报) as an Excel workbook: the seed's figures per street,
community, organisation and category, one sheet each, with the rates against their
targets coloured, and a chart of the appeals received per street.

Built from `figures.petition_stats` for the caller's slice, like `Query.stats`.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.access.caller import Caller
from resolvers.errors import BadUserInput
from resolvers.governance.targets import RATES as TARGETED
from resolvers.governance.targets import list_targets
from resolvers.services import Services
from resolvers.stats.figures import GroupBy, StatsRow, petition_stats

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = (
    ("街道", GroupBy.STREET),
    ("社区", GroupBy.COMMUNITY),
    ("受理单位", GroupBy.ORGANISATION),
    ("类别", GroupBy.CATEGORY),
    ("事项", GroupBy.MATTER),
)
HEADER = (
    "代码",
    "名称",
    "受理量",
    "办结",
    "在办",
    "超期",
    "积案",
    "办结率",
    "按期办结率",
    "化解率",
    "满意率",
    "重复访率",
)
RATES = (*TARGETED, "repeat_rate")
BELOW = PatternFill(start_color="FFF4C7C3", end_color="FFF4C7C3", fill_type="solid")
MET = PatternFill(start_color="FFD9EAD3", end_color="FFD9EAD3", fill_type="solid")


def parse_month(raw: str, today: date) -> date:
    """`2026-10` → 2026-10-01; empty → last month."""
    if not raw:
        return (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    try:
        month = datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise BadUserInput("a month is written YYYY-MM", field="month") from None
    if not 2000 <= month.year <= 2200:
        raise BadUserInput("a month is written YYYY-MM", field="month")
    return month


def _values(row: StatsRow) -> list[object]:
    return [
        row.key,
        row.label,
        row.received,
        row.closed,
        row.open,
        row.overdue,
        row.backlog,
        *(getattr(row, rate) for rate in RATES),
    ]


async def monthly_report(
    *, session: AsyncSession, caller: Caller, services: Services, month: date, now: datetime
) -> bytes:
    """The report for the calendar month starting `month`, as `.xlsx` bytes."""
    end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    targets = await list_targets(session)
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, group_by in SHEETS:
        stats = await petition_stats(
            session=session,
            caller=caller,
            services=services,
            start=month,
            end=end,
            group_by=group_by,
            now=now,
        )
        sheet = book.create_sheet(title)
        sheet.append([f"坪山区群众诉求服务月报 {month:%Y年%m月}（{title}）"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(list(HEADER))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in stats.rows:
            sheet.append(_values(row))
        sheet.append(_values(stats.total))
        last = sheet.max_row
        _format(sheet, last, targets)
        if group_by is GroupBy.STREET and stats.rows:
            chart = BarChart()
            chart.title = "受理量"
            chart.add_data(
                Reference(sheet, min_col=3, min_row=2, max_row=last - 1), titles_from_data=True
            )
            chart.set_categories(Reference(sheet, min_col=2, min_row=3, max_row=last - 1))
            sheet.add_chart(chart, f"A{last + 3}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _format(sheet: Worksheet, last: int, targets: dict[str, float]) -> None:
    """Rates as percentages, red below their target and green at or above it."""
    for offset, rate in enumerate(RATES):
        column = chr(ord("H") + offset)
        cells = f"{column}3:{column}{last}"
        for row in sheet[cells]:
            for cell in row:
                cell.number_format = "0.0%"
        if rate in targets:
            target = str(targets[rate])
            sheet.conditional_formatting.add(
                cells, CellIsRule(operator="lessThan", formula=[target], fill=BELOW)
            )
            sheet.conditional_formatting.add(
                cells, CellIsRule(operator="greaterThanOrEqual", formula=[target], fill=MET)
            )
    for column, width in zip("ABCDEFGHIJKL", (16, 20, 8, 8, 8, 8, 8, 9, 11, 9, 9, 10), strict=True):
        sheet.column_dimensions[column].width = width
