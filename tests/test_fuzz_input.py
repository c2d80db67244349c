"""Generated odd input — cursors, dates at the ends of time, strings with unpaired
surrogates, NUL characters and exotic digits — sent through GraphQL and the pages,
never answers 500 nor `INTERNAL_SERVER_ERROR`."""

from __future__ import annotations

import base64
import json
import os
import uuid
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from db import models
from resolvers.access import signin
from tests import factories

ODD = [
    "\x00",
    "\ud800",
    "\udbff",
    "\udfff",
    "²",
    "³",
    "¹",
    "١",
    "٣",
    "１",
    "߀",
    "\u202e",
    "\ufeff",
    "\uffff",
    "%",
    "%00",
    "|",
    "'",
    '"',
    "\\",
    "0",
    "9",
    "-",
    ":",
    "T",
    "+",
    " ",
]
odd_text = st.lists(st.one_of(st.sampled_from(ODD), st.characters()), max_size=24).map("".join)
ZONES = [
    None,
    UTC,
    timezone(timedelta(hours=14)),
    timezone(timedelta(hours=-14)),
    timezone(timedelta(hours=8)),
]
moments = st.one_of(
    st.builds(
        lambda d, z: d.replace(tzinfo=z).isoformat(),
        st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
        st.sampled_from(ZONES),
    ),
    st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]),
    odd_text,
)
days = st.one_of(st.dates().map(lambda d: d.isoformat()), odd_text)
numbers = st.one_of(st.integers(min_value=-(10**3), max_value=10**30).map(str), odd_text)


EXAMPLES = int(os.environ.get("PETITION_HUB_FUZZ_EXAMPLES", "40"))


def as_cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode().rstrip("=")


cursors = st.one_of(
    st.builds(lambda m, n: as_cursor(f"{m}|{n}"), moments, numbers),
    numbers.map(as_cursor),
    odd_text,
)

DOCUMENT = """
query Odd($after: String, $auditAfter: String, $filter: PetitionFilter, $number: String!,
          $id: ID!, $period: PeriodInput!) {
  petitions(first: 3, after: $after, filter: $filter) { totalCount edges { cursor } }
  auditLog(first: 2, after: $auditAfter) { hasNextPage }
  petition(number: $number) { id }
  byId: petition(id: $id) { id }
  stats(period: $period, groupBy: CATEGORY) { total { received } }
}
"""


def encoded(value: str) -> str:
    """Percent-encoded UTF-8 that carries even an unpaired surrogate (as browsers can't)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def form_body(fields: dict[str, str]) -> bytes:
    return "&".join(f"{encoded(k)}={encoded(v)}" for k, v in fields.items()).encode()


def header_value(value: str) -> bytes:
    """`value` as header bytes, less what HTTP forbids there (control characters)."""
    raw = value.encode("utf-8", "surrogatepass")
    return bytes(b for b in raw if b >= 0x20 and b != 0x7F).strip(b" ")


def no_internal_error(response: httpx.Response) -> None:
    assert response.status_code < 500, (response.request.url, response.text[:500])
    if response.headers.get("content-type", "").startswith("application/json"):
        for error in response.json().get("errors") or []:
            assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", error


async def test_generated_odd_input_never_fails_internally(
    server, client_for, sign_in_as, sessionmaker
):
    hall = await client_for(factories.HALL, ("petitions:read", "petitions:write", "admin"))
    window = await client_for(factories.WINDOW)
    made = await factories.submit(window)
    token = hall.http.headers["Authorization"]
    staff = await sign_in_as("hall_admin")
    cookies = {c.name: c.value for c in staff.http.cookies.jar}
    started = models.utcnow()
    fuzz = settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )

    @fuzz
    @given(
        after=cursors,
        audit_after=cursors,
        received_from=moments,
        received_to=moments,
        text=odd_text,
        organisation=odd_text,
        number=odd_text,
        ident=numbers,
        period=st.tuples(days, days),
    )
    def graphql(
        after, audit_after, received_from, received_to, text, organisation, number, ident, period
    ) -> None:
        variables = {
            "after": after,
            "auditAfter": audit_after,
            "number": number,
            "id": ident,
            "filter": {
                "receivedFrom": received_from,
                "receivedTo": received_to,
                "text": text,
                "organisation": organisation,
            },
            "period": {"from": period[0], "to": period[1]},
        }
        # `json` writes an unpaired surrogate as its \\ud800 escape, as a client may.
        no_internal_error(
            httpx.post(
                f"{server.url}/graphql",
                content=json.dumps({"query": DOCUMENT, "variables": variables}),
                headers={"Authorization": token, "Content-Type": "application/json"},
                timeout=30,
            )
        )

    @fuzz
    @given(
        q=odd_text,
        after=cursors,
        size=numbers,
        community=odd_text,
        last=numbers,
        version=numbers,
        count=numbers,
        title=odd_text,
        username=odd_text,
        year=numbers,
    )
    def pages(q, after, size, community, last, version, count, title, username, year) -> None:
        with httpx.Client(base_url=server.url, cookies=cookies, timeout=30) as browser:
            no_internal_error(
                browser.get(
                    f"/petitions?q={encoded(q)}&after={encoded(after)}&size={encoded(size)}"
                    f"&community={encoded(community)}"
                )
            )
            no_internal_error(browser.get(f"/admin/calendar?year={encoded(year)}"))
            no_internal_error(browser.get(f"/admin/audit?after={encoded(after)}"))
            with browser.stream(
                "GET",
                f"/petitions/{made['number']}/events",
                headers={"Last-Event-ID": header_value(last)},
            ) as feed:
                no_internal_error(feed)
            urlencoded = {"Content-Type": "application/x-www-form-urlencoded"}
            no_internal_error(
                browser.post(
                    f"/petitions/{made['number']}/act/add_note",
                    headers=urlencoded,
                    content=form_body(
                        {"csrf_token": staff.csrf, "version": version, "text": title}
                    ),
                )
            )
            no_internal_error(
                browser.post(
                    "/petitions/new/check",
                    headers={**urlencoded, "HX-Request": "true"},
                    content=form_body(
                        {
                            "csrf_token": staff.csrf,
                            "people_count": count,
                            "title": title,
                            "name": username,
                            "id_number": q,
                            "phone": size,
                            "received_at": last,
                        }
                    ),
                )
            )
        with httpx.Client(base_url=server.url, timeout=30) as stranger:
            login = stranger.get("/login").text
            csrf = login.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            # A fresh name each time: repeated failures of one name are slowed on purpose.
            no_internal_error(
                stranger.post(
                    "/login",
                    headers=urlencoded,
                    content=form_body(
                        {
                            "csrf_token": csrf,
                            "username": f"{username}-{uuid.uuid4().hex[:6]}",
                            "password": title,
                        }
                    ),
                )
            )

    # Lock 127.0.0.1 for sign-ins first: each try still reads the failures by the odd
    # name, but no slow password hash is computed.
    async with sessionmaker() as session:
        session.add_all(
            [
                models.SignInFailure(username="fuzz", ip="127.0.0.1", at=started)
                for _ in range(signin.LOCK_ADDRESS_AT)
            ]
        )
        await session.commit()
    try:
        graphql()
        pages()
    finally:
        # The sign-in tries failed from 127.0.0.1: forget them, for the tests after.
        async with sessionmaker() as session:
            await session.execute(
                delete(models.SignInFailure).where(models.SignInFailure.at >= started)
            )
            await session.commit()
