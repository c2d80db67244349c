"""Odd input is `BAD_USER_INPUT` naming the field (GraphQL) or a 400 page saying why
(pages), never a 500: cursors with huge ids or dates in year 1 or 9999, date filters at
the ends of time, unpaired surrogates, NUL characters (which PostgreSQL cannot store),
digits such as "²" that pass `str.isdigit()` and fail `int()`, a deeply nested file."""

from __future__ import annotations

import base64
import json

import pytest

from tests import factories
from tests.factories import SUBMIT, submission, submit
from tests.streams import subscription
from tests.test_pages_intake import form
from tests.test_pages_petition import version_of

PETITIONS = "query($after: String) { petitions(first: 2, after: $after) { totalCount } }"
FILTERED = "query($f: PetitionFilter) { petitions(first: 2, filter: $f) { totalCount } }"
AUDIT = "query($after: String) { auditLog(first: 2, after: $after) { hasNextPage } }"
BY_NUMBER = "query($n: String!) { petition(number: $n) { id } }"


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


FORGED = [
    cursor("2026-01-01T00:00:00+08:00|" + "9" * 30),  # past BIGINT
    cursor("2026-01-01T00:00:00+08:00|1²"),  # isdigit() but not int()
    cursor("0001-01-01T00:00:00+14:00|1"),  # year 1, east of Greenwich
    cursor("9999-12-31T23:59:59-14:00|1"),  # year 9999, west of it
    cursor("0001-01-01T00:00:00|1"),
]


async def raw_graphql(client, query: str, variables: dict) -> dict:
    """Post with the JSON written by `json` (which, unlike httpx, keeps lone surrogates)."""
    response = await client.http.post(
        "/graphql",
        content=json.dumps({"query": query, "variables": variables}),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def refused(body: dict, field: str) -> str:
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"].get("field") == field, error
    return error["message"]


@pytest.mark.parametrize("forged", FORGED)
async def test_forged_cursors_are_bad_user_input(client_for, forged):
    hall = await client_for(factories.HALL, ("petitions:read", "admin"))

    refused(await hall.post(PETITIONS, {"after": forged}), "after")
    refused(await hall.post(AUDIT, {"after": forged}), "after")


@pytest.mark.parametrize(
    "bound, moment",
    [
        ("receivedFrom", "0001-01-01T00:00:00+14:00"),
        ("receivedTo", "9999-12-31T23:59:59-14:00"),
        ("receivedFrom", "0001-01-01T00:00:00+00:00"),
        ("receivedTo", "9999-12-31T23:59:59+00:00"),
    ],
)
async def test_date_filters_at_the_ends_of_time_are_bad_user_input(hall, bound, moment):
    assert "between 1900 and 2200" in refused(
        await hall.post(FILTERED, {"f": {bound: moment}}), bound
    )


async def test_a_receipt_in_year_one_is_bad_user_input(window):
    body = await window.post(SUBMIT, {"input": submission(receivedAt="0001-01-01T00:00:00+14:00")})
    refused(body, "receivedAt")


@pytest.mark.parametrize(
    "text, reason", [("\ud800", "surrogates"), ("前\udfff后", "surrogates"), ("a\x00b", "NUL")]
)
async def test_unstorable_text_is_bad_user_input_naming_the_field(hall, window, text, reason):
    assert reason in refused(await raw_graphql(hall, BY_NUMBER, {"n": text}), "number")
    assert reason in refused(await raw_graphql(hall, FILTERED, {"f": {"text": text}}), "text")
    inline = '{ petitions(first: 1, filter: {text: "%s"}) { totalCount } }' % (
        "\\u0000" if reason == "NUL" else "\\ud800"
    )
    if reason == "NUL":
        refused(await raw_graphql(hall, inline, {}), "text")
    submitted = await raw_graphql(window, SUBMIT, {"input": submission(title=text)})
    assert reason in refused(submitted, "title")


async def test_an_odd_event_cursor_is_bad_user_input(server, sessionmaker, world):
    async with sessionmaker() as session:
        token = await factories.token(session, factories.HALL)
    for after in (cursor("1²"), cursor("9" * 30), cursor("٣")):
        async with subscription(server.url, token) as stream:
            await stream.subscribe(after=after)
            message = await stream.message()
            assert message["type"] == "error", message
            assert message["payload"][0]["extensions"] == {
                "code": "BAD_USER_INPUT",
                "field": "after",
            }


# Pages


async def test_odd_numbers_in_the_worklist_and_calendar_pages_are_ignored_or_named(sign_in_as):
    admin = await sign_in_as("hall_admin")
    for path in (
        "/admin/calendar?year=²",
        "/petitions?after=" + FORGED[0],
        "/petitions?after=" + FORGED[2],
    ):
        assert (await admin.get(path)).status_code == 200, path
    # A page size the form could not have sent is a 400 naming the field (issue 17)
    for path in ("/petitions?size=²", "/petitions?size=" + "9" * 40):
        page = await admin.get(path)
        assert page.status_code == 400 and "每页条数" in page.text, path


@pytest.mark.parametrize("last", ["²", "9" * 30, "-1", "١٢"])
async def test_an_odd_last_event_id_starts_the_feed_afresh(sign_in_as, last):
    hall = await sign_in_as("hall_dispatcher")
    for how in ({"headers": {"Last-Event-ID": last.encode()}}, {"params": {"after": last}}):
        async with hall.http.stream("GET", "/petitions/events", **how) as stream:
            assert stream.status_code == 200
            lines = stream.aiter_lines()
            assert (await anext(lines)).startswith("retry:")
            start = int((await anext(lines)).removeprefix("id: "))
        assert 0 <= start < 2**63, how  # the newest event's id, not the odd number


async def test_an_odd_version_is_a_form_error(sign_in_as, window):
    made = await submit(window)
    hall = await sign_in_as("hall_dispatcher")
    page = f"/petitions/{made['number']}"
    version_of((await hall.get(page)).text)

    for version in ("²", "9" * 30):
        answer = await hall.post(f"{page}/act/accept", {"version": version})
        assert answer.status_code == 400, answer.text
        assert "版本须在0至" in answer.text  # forms.whole_number: between 0 and 10⁹


async def test_an_odd_head_count_is_a_form_error(sign_in_as):
    hall = await sign_in_as("hall_dispatcher")
    for count in ("²", "٣"):
        answer = await hall.post("/petitions/new", form(people_count=count))
        assert answer.status_code == 400
        assert "人数须在" in answer.text  # forms.whole_number


async def test_odd_working_days_are_a_form_error(sign_in_as):
    admin = await sign_in_as("hall_admin")
    answer = await admin.post(
        "/admin/policies",
        {
            "code": "COMPLAINT.HANDLING",
            "stage": "HANDLING",
            "category": "COMPLAINT",
            "days": "²",
            "unit": "WORKING_DAYS",
            "active": "1",
        },
    )
    assert answer.status_code == 400 and "须在" in answer.text  # forms.whole_number


@pytest.mark.parametrize(
    "path",
    [
        "/petitions?q=%00",
        "/petitions?community=%00",
        "/petitions/export.csv?q=a%00b",
        "/petitions/PS-%00",
        "/admin/audit?after=%00",
    ],
)
async def test_nul_in_a_page_address_is_a_400_page(sign_in_as, path):
    admin = await sign_in_as("hall_admin")
    answer = await admin.get(path)
    assert answer.status_code == 400
    assert "无法保存的字符" in answer.text


async def test_nul_in_a_form_is_a_400_page_the_sign_in_form_included(sign_in_as, anonymous):
    login = await anonymous.get("/login")
    token = login.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    for username in ("a\x00b", "\x00"):
        answer = await anonymous.post(
            "/login", data={"username": username, "password": "x", "csrf_token": token}
        )
        assert answer.status_code == 400 and "无法保存的字符" in answer.text
    english = await anonymous.post("/login?lang=en", data={"username": "\x00", "csrf_token": token})
    assert english.status_code == 400 and "cannot be stored" in english.text

    hall = await sign_in_as("hall_dispatcher")
    answer = await hall.post("/petitions/new", form(title="欠薪\x00"))
    assert answer.status_code == 400 and "无法保存的字符" in answer.text
    multipart = await hall.http.post(
        "/petitions/new", files={"title": (None, "欠薪\x00")}, data={"csrf_token": hall.csrf}
    )
    assert multipart.status_code == 400


async def test_a_deeply_nested_calendar_file_is_refused_with_a_reason(sign_in_as):
    admin = await sign_in_as("hall_admin")
    deep = "[" * 100_000 + "]" * 100_000
    answer = await admin.http.post(
        "/admin/calendar",
        data={"csrf_token": admin.csrf},
        files={"file": ("2027.json", deep, "application/json")},
    )
    assert answer.status_code == 400
    assert "嵌套层级过深" in answer.text


async def test_a_calendar_file_with_unstorable_names_is_refused(sign_in_as):
    admin = await sign_in_as("hall_admin")
    schedule = (
        '{"year": 2031, "holidays": [{"name": "元旦\\u0000", "from": "2031-01-01"}],'
        ' "workdays": []}'
    )
    answer = await admin.http.post(
        "/admin/calendar",
        data={"csrf_token": admin.csrf},
        files={"file": ("2031.json", schedule, "application/json")},
    )
    assert answer.status_code == 400
    assert "NUL" in answer.text
