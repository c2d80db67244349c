"""The credit centre works the appeals routed to it: its officers sign for, return and
answer them like any handler, through GraphQL and on the appeal page."""

from __future__ import annotations

import re

from tests import factories
from tests.factories import submit
from tests.steps import document, step


def version_of(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def action_forms(html: str) -> set[str]:
    return set(re.findall(r'id="act-([a-z_]+)"', html))


async def assigned_to_the_credit_centre(client_for, title: str) -> dict:
    """An appeal the hall has given to PS-CREDIT as lead."""
    window, hall = await client_for(factories.WINDOW), await client_for(factories.HALL)
    made = await submit(window, title=title)
    await step(hall, "acceptPetition", id=made["id"])
    await step(
        hall, "assignPetition", id=made["id"], organisationCode=factories.CREDIT, role="LEAD"
    )
    return made


async def test_a_credit_officer_signs_for_and_answers_through_graphql(sign_in_as, client_for):
    made = await assigned_to_the_credit_centre(client_for, "欠薪企业信用承诺履行情况")
    officer = await sign_in_as("credit_officer")

    taken = await step(officer, "acceptAssignment", id=made["id"])
    answered = await step(
        officer, "answerPetition", id=made["id"], answer="已约谈企业并记录信用承诺"
    )

    assert taken["status"] == "IN_PROGRESS"
    assert answered["status"] == "ANSWERED" and answered["answer"] == "已约谈企业并记录信用承诺"
    assert [a["organisation"]["code"] for a in answered["assignments"]] == [factories.CREDIT]


async def test_a_credit_officer_returns_what_is_not_the_centres(sign_in_as, client_for):
    made = await assigned_to_the_credit_centre(client_for, "小区停车位纠纷")
    officer = await sign_in_as("credit_officer")

    returned = await step(officer, "returnAssignment", id=made["id"], reason="不涉及信用监管")

    assert returned["status"] == "RETURNED"
    assert returned["assignments"][0]["returnReason"] == "不涉及信用监管"


async def test_a_credit_officer_may_not_dispatch(sign_in_as, client_for):
    made = await assigned_to_the_credit_centre(client_for, "信用修复咨询")
    officer = await sign_in_as("credit_officer")
    arguments = {"id": made["id"], "organisationCode": factories.LMC, "role": "ASSISTING"}

    body = await officer.graphql(document("assignPetition", arguments), arguments)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_credit_officer_signs_and_answers_on_the_appeal_page(sign_in_as, client_for):
    made = await assigned_to_the_credit_centre(client_for, "页面：欠薪信用核查")
    officer = await sign_in_as("credit_officer")
    page = f"/petitions/{made['number']}"

    html = (await officer.get(page)).text
    assert action_forms(html) >= {"accept_assignment", "return", "note"}
    assert "assign" not in action_forms(html)
    taken = await officer.post(
        f"{page}/act/accept_assignment", {"version": version_of(html)}, htmx=True
    )
    assert "answer" in action_forms(taken.text)
    answered = await officer.post(
        f"{page}/act/answer",
        {"version": version_of(taken.text), "answer": "企业已补发工资，信用承诺已履行"},
        htmx=True,
    )

    assert answered.status_code == 200
    assert "已答复" in answered.text and "企业已补发工资，信用承诺已履行" in answered.text
