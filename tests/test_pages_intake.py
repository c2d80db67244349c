"""Intake: the form, checks as one types, the repeat warning, the deadline, submission."""

from __future__ import annotations

import re
import uuid

from tests import factories
from tests.factories import submit


def form(**overrides: str) -> dict[str, str]:
    return {
        "name": "钱某",
        "id_number": factories.resident_id(),
        "phone": "13800138000",
        "address": "六联社区",
        "people_count": "1",
        "category": "COMPLAINT",
        "matter": "LABOUR_WAGES",
        "channel": "WALK_IN",
        "title": "工地欠薪",
        "description": "三个月工资未发",
        "client_request_id": uuid.uuid4().hex,
    } | overrides


async def test_the_form_renders_whole_and_its_partial_for_htmx(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")

    whole = await hall.get("/petitions/new")
    partial = await hall.get("/petitions/new", htmx=True)

    assert whole.status_code == partial.status_code == 200
    assert "<html" in whole.text and "<html" not in partial.text
    assert partial.text.lstrip().startswith('<form id="intake-form"')
    assert "投诉（7个工作日）" in partial.text and 'name="id_number"' in partial.text


async def test_checks_flag_a_wrong_check_digit_and_a_wrong_phone(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")
    good = factories.resident_id()
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")

    checked = await hall.post(
        "/petitions/new/check", form(id_number=wrong, phone="12345"), htmx=True
    )

    assert checked.status_code == 200
    assert re.search(
        r'id="err-id_number"[^>]*hx-swap-oob="true">身份证号码校验位错误<', checked.text
    )
    assert re.search(r'id="err-phone"[^>]*hx-swap-oob="true">不是有效的电话号码<', checked.text)


async def test_checks_show_the_deadline_and_a_collective_appeal(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")

    checked = await hall.post(
        "/petitions/new/check", form(category="CONSULTATION", people_count="6"), htmx=True
    )

    assert "咨询 1个工作日" in checked.text and "deadline-preview" in checked.text
    assert "集体访" in checked.text and "6人" in checked.text


async def test_earlier_appeals_of_the_petitioner_are_shown_within_the_slice(sign_in_as, client_for):
    id_number = factories.resident_id()
    window = await client_for(factories.WINDOW)
    earlier = await submit(window, title="上次来访", petitioner={"idNumber": id_number})
    hall, court = await sign_in_as("hall_dispatcher"), await sign_in_as("court_clerk")

    seen_by_hall = await hall.post("/petitions/new/check", form(id_number=id_number), htmx=True)
    seen_by_court = await court.post("/petitions/new/check", form(id_number=id_number), htmx=True)

    assert "重复访提示" in seen_by_hall.text and earlier["number"] in seen_by_hall.text
    assert "重复访提示" not in seen_by_court.text and earlier["number"] not in seen_by_court.text


async def test_submitting_registers_the_appeal_and_opens_its_page(sign_in_as):
    window = await sign_in_as("window_clerk")

    response = await window.post("/petitions/new", form(title="页面登记"))

    assert response.status_code == 303
    number = response.headers["location"].rsplit("/", 1)[1]
    page = await window.get(response.headers["location"])
    assert page.status_code == 200 and "页面登记" in page.text and number in page.text


async def test_a_refused_submission_keeps_what_was_typed_and_names_the_field(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")

    response = await hall.post("/petitions/new", form(title="", description="已填写的内容"))

    assert response.status_code == 400
    assert "已填写的内容" in response.text
    assert re.search(r'id="err-title" role="alert">请填写标题<', response.text)


async def test_a_double_submission_registers_one_appeal(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")
    data = form()

    first = await hall.post("/petitions/new", data)
    second = await hall.post("/petitions/new", data)

    assert first.headers["location"] == second.headers["location"]


async def test_a_formal_petition_previews_its_acceptance_deadline_in_days(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")

    checked = await hall.post(
        "/petitions/new/check", form(category="PETITION", received_at="2026-07-20T10:00"), htmx=True
    )

    # 60 日 from acceptance; before it, the acceptance decision: 15 日 from 07-20
    assert "信访事项 60日（起算：受理之日）" in checked.text
    assert "受理告知期限（15日）" in checked.text and "2026-08-04 23:59" in checked.text
