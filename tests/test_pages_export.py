"""Exporting the worklist: the page's filters, the slice, masked personal data."""

from __future__ import annotations

import csv
import io
import uuid

from openpyxl import load_workbook

from tests import factories
from tests.factories import submit
from tests.steps import step


async def test_csv_and_excel_hold_the_filtered_slice_masked(sign_in_as, client_for):
    marker = f"导出{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    hall_api = await client_for(factories.HALL)
    id_number = factories.resident_id()
    theirs = await submit(window, title=f"{marker} 一", petitioner={"idNumber": id_number})
    await submit(window, title=f"{marker} 二")
    await step(hall_api, "acceptPetition", id=theirs["id"])
    await step(
        hall_api, "assignPetition", id=theirs["id"], organisationCode=factories.LMC, role="LEAD"
    )
    await step(
        await client_for(factories.LMC),
        "returnAssignment",
        id=theirs["id"],
        reason="不属于劳动争议",
    )
    lmc, hall = await sign_in_as("lmc_handler"), await sign_in_as("hall_dispatcher")

    as_csv = await lmc.get(f"/petitions/export.csv?q={marker}")
    as_xlsx = await hall.get(f"/petitions/export.xlsx?q={marker}")

    assert as_csv.status_code == 200 and "attachment" in as_csv.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "标题", "类别"]
    assert [r[0] for r in rows[1:]] == [theirs["number"]]  # only what LMC was given
    assert rows[1][14] == id_number[:4] + "*" * 10 + id_number[-4:]  # no longer handling it
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    values = list(sheet.values)
    assert values[0][0] == "编号" and len(values) == 3
    assert id_number in [v[14] for v in values[1:]]  # the hall sees it whole


async def test_export_needs_a_session(anonymous):
    assert (await anonymous.get("/petitions/export.csv")).status_code == 303
