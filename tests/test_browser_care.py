"""In a real headless Chromium: the care centre's counsellor finds an appeal referred to
the centre, records a screening at HIGH risk and a refused home visit on the person's
record, by clicking; the labour committee's handler of that appeal then sees the risk
level on its page — and neither the score nor a note."""

from __future__ import annotations

import uuid

from tests import factories
from tests.factories import submit
from tests.steps import step
from tests.test_browser import SHOTS, chromium, pytestmark, signed_in_page  # noqa: F401

SCORE = "171"
NOTE = "长期失眠，多次流露轻生念头"
VISIT = "敲门无人应答，邻居称其拒见来访者"


async def test_a_counsellor_records_care_and_the_handler_sees_only_the_level(
    chromium,  # noqa: F811 - the browser fixture, imported
    server,
    staff_users,
    client_for,
):
    marker = f"关爱{uuid.uuid4().hex[:6]}"
    window = await client_for(factories.WINDOW)
    hall = await client_for(factories.HALL)
    appeal = await submit(window, title=f"{marker} 拖欠工资")
    await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD")
    await step(
        hall, "assignPetition", id=appeal["id"], organisationCode=factories.PSY, role="ASSISTING"
    )

    # Given the counsellor on the care centre's list, the appeal awaiting a screening
    counsellor = await signed_in_page(chromium, server, staff_users["psy_counsellor"])
    await counsellor.goto(f"{server.url}/care")
    await counsellor.get_by_role("link", name=marker).click()
    await counsellor.wait_for_url("**/care/people/*")

    # When it records a screening at HIGH risk
    await counsellor.locator("#care-person summary", has_text="记录筛查").click()
    screening = counsellor.locator("#care-screening")
    await screening.get_by_label("量表").fill("SCL-90")
    await screening.get_by_label("得分").fill(SCORE)
    await screening.get_by_label("风险等级").select_option("HIGH")
    await screening.get_by_label("记录", exact=True).fill(NOTE)
    await screening.get_by_role("button", name="记录筛查").click()
    screenings = counsellor.get_by_role("table", name="心理筛查")
    await screenings.get_by_text(NOTE).wait_for()
    assert await screenings.get_by_role("cell", name=SCORE, exact=True).count() == 1
    assert await screenings.get_by_text("高风险").count() == 1

    # And a home visit the person refused
    await counsellor.locator("#care-person summary", has_text="记录疏导或走访").click()
    form = counsellor.locator("#care-person details[open] form")
    await form.locator("[name=kind]").select_option("HOME_VISIT")
    await form.locator("[name=refused]").check()
    await form.locator("[name=counsellor]").fill("张咨询师")
    await form.locator("[name=notes]").fill(VISIT)
    await form.get_by_role("button", name="记录疏导或走访").click()
    await counsellor.get_by_role("status").filter(has_text="拒访 1").wait_for()
    visits = counsellor.get_by_role("table", name="疏导与走访")
    assert await visits.get_by_text(VISIT).count() == 1
    await counsellor.screenshot(path=str(SHOTS / "care-record.png"), full_page=True)

    # Then the committee's handler of the appeal sees the risk level on its page
    handler = await signed_in_page(chromium, server, staff_users["lmc_handler"])
    await handler.goto(f"{server.url}/petitions/{appeal['number']}")
    await handler.get_by_text("心理风险 · 高风险").first.wait_for()
    shown = await handler.content()
    # and neither the score nor a note, and no care record to open
    assert NOTE not in shown and VISIT not in shown and f">{SCORE}<" not in shown
    assert "/care/people/" not in shown
    await handler.screenshot(path=str(SHOTS / "care-handler.png"), full_page=True)
    missing = await handler.goto(f"{server.url}/care")
    assert missing is not None and missing.status == 404
