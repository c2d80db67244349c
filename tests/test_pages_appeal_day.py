"""The appeal page as a clerk works it: the steps that would succeed and no others, names
in the timeline, whose deadline is overdue, escalation only where the chain allows, and
the audit log in words with the appeals linked."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from db import models
from db.models import EventKind
from resolvers.events.timeline import record_system_event
from tests import factories
from tests.disputes import (
    APAN,
    dispute_world,  # noqa: F401 - a fixture
    mediated_by_the_committee,
)
from tests.factories import submit
from tests.steps import refused, step


def action_forms(html: str) -> set[str]:
    return set(re.findall(r'id="act-([a-z_]+)"', html))


def visible_text(html: str) -> str:
    """What a reader sees: the markup (and its attributes, `title` included) removed."""
    return re.sub(r"<[^>]+>", "", html)


async def _dispatched(client_for, lead=factories.LMC, **overrides):
    window, hall = await client_for(factories.WINDOW), await client_for(factories.HALL)
    appeal = await submit(window, **overrides)
    await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "assignPetition", id=appeal["id"], organisationCode=lead, role="LEAD")
    return appeal


async def test_after_signing_the_page_offers_handling_not_signing(sign_in_as, client_for):
    appeal = await _dispatched(client_for, title="签收后的操作")
    handler = await sign_in_as("lmc_handler")
    url = f"/petitions/{appeal['number']}"

    before = await handler.get(url, htmx=True)
    signed = await handler.post(f"{url}/act/accept_assignment", htmx=True)

    assert "accept_assignment" in action_forms(before.text)
    assert "answer" not in action_forms(before.text)  # not before signing
    assert signed.status_code == 200 and 'role="alert"' not in signed.text
    assert "accept_assignment" not in action_forms(signed.text)
    assert {"answer", "return", "suspend", "request_extension"} <= action_forms(signed.text)
    # and pressing 签收 again (a stale tab) is refused in words, not offered again
    again = await handler.post(f"{url}/act/accept_assignment", htmx=True)
    assert "没有待签收的交办" in again.text
    assert "accept_assignment" not in action_forms(again.text)


async def test_the_timeline_names_organisations_and_keeps_codes_in_titles(sign_in_as, client_for):
    appeal = await _dispatched(client_for, title="时间线显示单位名称")
    hall = await sign_in_as("hall_dispatcher")

    timeline = (await hall.get(f"/petitions/{appeal['number']}/timeline", htmx=True)).text
    english = (await hall.get(f"/petitions/{appeal['number']}/timeline?lang=en", htmx=True)).text
    await hall.get("/petitions?lang=zh")

    assert '→ <span class="org" title="PS-LMC">劳动争议调解委员会</span>' in timeline
    assert "PS-LMC" not in visible_text(timeline)
    assert "PS-LMC" not in visible_text(english)
    assert '→ <span class="org" title="PS-LMC">Labour Dispute Mediation Committee</span>' in english


async def make_overdue(sessionmaker, number: str) -> None:
    """The appeal's and its assignment's deadlines passed days ago, and the watcher's
    alerts for both are on the timeline (as `run_watch` writes them, for this appeal)."""
    async with sessionmaker() as session:
        petition = await session.scalar(
            select(models.Petition).where(models.Petition.number == number)
        )
        assignment = await session.scalar(
            select(models.Assignment).where(models.Assignment.petition_id == petition.id)
        )
        past = models.utcnow() - timedelta(days=5)
        await session.execute(
            update(models.Petition).where(models.Petition.id == petition.id).values(due_at=past)
        )
        await session.execute(
            update(models.Assignment)
            .where(models.Assignment.id == assignment.id)
            .values(due_at=past)
        )
        for assignment_id in (None, assignment.id):
            record_system_event(
                session,
                petition_id=petition.id,
                assignment_id=assignment_id,
                kind=EventKind.OVERDUE,
                occurred_at=models.utcnow(),
                data={"dueAt": past.isoformat()},
            )
        await session.commit()


async def test_overdue_says_whose_deadline(sign_in_as, client_for, sessionmaker):
    appeal = await _dispatched(client_for, title="超期说明是谁的期限")
    lmc = await client_for(factories.LMC)
    await step(lmc, "acceptAssignment", id=appeal["id"])
    await make_overdue(sessionmaker, appeal["number"])
    hall = await sign_in_as("hall_dispatcher")

    page = visible_text((await hall.get(f"/petitions/{appeal['number']}", htmx=True)).text)
    english = visible_text(
        (await hall.get(f"/petitions/{appeal['number']}?lang=en", htmx=True)).text
    )
    await hall.get("/petitions?lang=zh")

    assert re.search(r"诉求办理期限已超期\d+个工作日", page)  # the header's badge
    assert re.search(r"劳动争议调解委员会交办已超期\d+个工作日", page)  # the assignment's row
    assert "诉求办理期限已超期" in page.replace("\n", "")  # the appeal's alert
    assert "劳动争议调解委员会交办已超期" in page  # the assignment's alert
    # every 已超期 says whose
    assert all(before.endswith(("诉求办理期限", "交办")) for before in page.split("已超期")[:-1]), (
        page
    )
    assert "The appeal's deadline: overdue" in english
    assert "Labour Dispute Mediation Committee's assignment:" in english  # i18n.named


async def test_a_mediator_is_not_offered_escalation_of_its_own_case(
    sign_in_as,
    client_for,
    sessionmaker,
    dispute_world,  # noqa: F811
):
    lmc = await client_for(factories.LMC)
    appeal = await mediated_by_the_committee(client_for, sessionmaker, "调解员不能自行转出")
    handler = await sign_in_as("lmc_handler")

    page = await handler.get(f"/petitions/{appeal['number']}", htmx=True)
    by_api = await refused(
        lmc, "escalatePetition", id=appeal["id"], to="MEDIATION", organisationCode=APAN
    )

    assert "answer" in action_forms(page.text)  # it handles the appeal
    assert "escalate" not in action_forms(page.text)  # but does not send its own case on
    assert by_api["extensions"]["code"] == "FORBIDDEN"


async def test_the_escalation_list_holds_exactly_the_eligible_organisations(
    sign_in_as,
    client_for,
    dispute_world,  # noqa: F811
):
    family = await _dispatched(client_for, title="邻里纠纷可直接起诉", matter="FAMILY")
    labour = await _dispatched(client_for, title="欠薪先调解", matter="LABOUR_WAGES")
    hall_api = await client_for(factories.HALL)
    hall = await sign_in_as("hall_dispatcher")

    def targets(html: str) -> set[str]:
        form = html[html.index('id="act-escalate"') :]
        return set(
            re.findall(r'<option value="([A-Z]+:[A-Z0-9-]+)"', form[: form.index("</form>")])
        )

    family_targets = targets((await hall.get(f"/petitions/{family['number']}", htmx=True)).text)
    labour_targets = targets((await hall.get(f"/petitions/{labour['number']}", htmx=True)).text)
    to_lead = await refused(
        hall_api,
        "escalatePetition",
        id=labour["id"],
        to="MEDIATION",
        organisationCode=factories.LMC,
    )
    skipping = await refused(
        hall_api, "escalatePetition", id=labour["id"], to="LITIGATION", organisationCode="PS-COURT"
    )

    # a family dispute may go to a mediator or to court; never to its lead
    assert {f"MEDIATION:{APAN}", "LITIGATION:PS-COURT"} <= family_targets
    assert f"MEDIATION:{factories.LMC}" not in family_targets
    assert not any(t.startswith("ARBITRATION:") for t in family_targets)  # labour only
    # a wage claim goes to mediation first: neither arbitration nor the court yet
    assert f"MEDIATION:{APAN}" in labour_targets
    assert {t.split(":")[0] for t in labour_targets} == {"MEDIATION"}
    assert to_lead["extensions"] == {"code": "BAD_USER_INPUT", "field": "organisationCode"}
    assert skipping["extensions"] == {"code": "BAD_USER_INPUT", "field": "organisationCode"}
    # the page's choice is taken as given: the family dispute goes to 阿潘调解工作室
    version = re.search(
        r'name="version" value="(\d+)"',
        (await hall.get(f"/petitions/{family['number']}", htmx=True)).text,
    ).group(1)
    sent = await hall.post(
        f"/petitions/{family['number']}/act/escalate",
        {"target": f"MEDIATION:{APAN}", "version": version},
        htmx=True,
    )
    assert sent.status_code == 200 and "无法完成" not in sent.text
    assert "阿潘调解工作室" in sent.text


async def test_the_audit_log_speaks_and_links_the_appeals(sign_in_as, client_for, server):
    appeal = await submit(await client_for(factories.WINDOW), title="审计日志可读")
    hall = await sign_in_as("hall_dispatcher")
    admin = await sign_in_as("hall_admin")
    await hall.get(f"/petitions/{appeal['number']}")  # an unmasked read, audited

    server.statements.reset()
    log = (await admin.get("/admin/audit", htmx=True)).text
    first = server.statements.count
    for _ in range(3):  # more entries, more appeals on the page…
        other = await submit(await client_for(factories.WINDOW), title="审计日志可读")
        await hall.get(f"/petitions/{other['number']}")
    server.statements.reset()
    await admin.get("/admin/audit", htmx=True)
    again = server.statements.count
    english = (await admin.get("/admin/audit?lang=en", htmx=True)).text
    await admin.get("/admin/audit?lang=zh")

    assert "查看未脱敏个人信息" in log and "页面" in log and "诉求" in log
    assert f'<a href="/petitions/{appeal["number"]}">{appeal["number"]}</a>' in log
    assert "READ_PERSONAL_DATA" not in log and "Petition " not in visible_text(log)
    assert ">page<" not in log
    assert "Viewed unmasked personal data" in english and "Page" in english
    assert again == first  # …and no more statements: the numbers are one query
