"""Migration 0005_days counts the existing formal petitions' deadlines again, in 日 from
the right day, with a DEADLINE_RECOMPUTED event each; other appeals keep theirs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import command

from db import migrate
from db.config import load_settings
from db.engine import create_engine
from db.models.base import JsonData, UtcDateTime
from tests.conftest import BACKEND, _pg_admin, _pg_url

CST = datetime.fromisoformat("2026-01-01T00:00:00+08:00").tzinfo


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


REGIONS = sa.table("regions", *(sa.column(c) for c in ("id", "code", "name", "name_pinyin",
                                                          "kind")))  # fmt: skip
ORGANISATIONS = sa.table(
    "organisations",
    *(sa.column(c) for c in ("id", "code", "name", "name_en", "kind", "region_id", "address",
                             "phone", "active")),
    sa.column("created_at", UtcDateTime),
)  # fmt: skip
PETITIONS = sa.table(
    "petitions",
    *(sa.column(c) for c in (
        "id", "number", "title", "description", "category", "matter", "channel", "level",
        "status", "received_by_id", "people_count", "collective", "repeat_count",
        "level_skipping", "backlog", "deadline_provisional", "time_limit_days",
        "extension_days", "paused_working_days", "version")),
    *(sa.column(c, UtcDateTime) for c in ("received_at", "due_at", "created_at", "updated_at")),
)  # fmt: skip
EVENTS = sa.table(
    "petition_events",
    sa.column("petition_id"), sa.column("kind"), sa.column("occurred_at", UtcDateTime),
    sa.column("data", JsonData),
)  # fmt: skip


def _petition(pid: int, category: str, status: str, received: str, due: str) -> dict[str, Any]:
    return {
        "id": pid, "number": f"PS-2026-9{pid:05d}", "title": "t", "description": "d",
        "category": category, "matter": "OTHER", "channel": "WALK_IN", "level": "DISTRICT",
        "status": status, "received_by_id": 1, "people_count": 1, "collective": False,
        "repeat_count": 0, "level_skipping": False, "backlog": False,
        "deadline_provisional": False, "time_limit_days": 60 if category == "PETITION" else 7,
        "extension_days": 0, "paused_working_days": 0, "version": 2,
        "received_at": _at(received), "due_at": _at(due), "created_at": _at(received),
        "updated_at": _at(received),
    }  # fmt: skip


def _old_data(connection: sa.Connection) -> None:
    connection.execute(
        REGIONS.insert().values(
            id=1, code="PS", name="坪山区", name_pinyin="pingshan", kind="DISTRICT"
        )
    )
    connection.execute(
        ORGANISATIONS.insert().values(
            id=1,
            code="PS-HALL",
            name="大厅",
            name_en="Hall",
            kind="APPEALS_HALL",
            region_id=1,
            address="",
            phone="",
            active=True,
            created_at=_at("2025-01-01T00:00:00+08:00"),
        )
    )
    connection.execute(PETITIONS.insert(), [
        # accepted 2026-08-03; was due 60 working days after receipt
        _petition(1, "PETITION", "IN_PROGRESS", "2026-07-27T09:00:00+08:00",
                  "2026-10-28T23:59:59+08:00"),
        # received 2026-07-20, never accepted
        _petition(2, "PETITION", "RECEIVED", "2026-07-20T10:00:00+08:00",
                  "2026-10-21T23:59:59+08:00"),
        # a complaint: 7 working days from receipt, as before
        _petition(3, "COMPLAINT", "ACCEPTED", "2026-02-13T09:00:00+08:00",
                  "2026-03-02T23:59:59+08:00"),
    ])  # fmt: skip
    connection.execute(EVENTS.insert(), [
        {"petition_id": 1, "kind": "SUBMITTED", "occurred_at": _at("2026-07-27T09:00:00+08:00"),
         "data": {}},
        {"petition_id": 1, "kind": "ACCEPTED", "occurred_at": _at("2026-08-03T15:00:00+08:00"),
         "data": {}},
        {"petition_id": 2, "kind": "SUBMITTED", "occurred_at": _at("2026-07-20T10:00:00+08:00"),
         "data": {}},
        {"petition_id": 3, "kind": "ACCEPTED", "occurred_at": _at("2026-02-13T10:00:00+08:00"),
         "data": {}},
    ])  # fmt: skip


async def test_the_migration_recounts_formal_petitions_in_days(tmp_path):
    # Given a database at 0004 holding two formal petitions and a complaint
    name = ""
    if BACKEND == "postgresql":
        name = f"hub_mig_{uuid.uuid4().hex[:10]}"
        await _pg_admin(f'CREATE DATABASE "{name}"')
        url = _pg_url(name)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path}/old.db"
    settings = load_settings(database_url=url, secret_key="x", var_dir=tmp_path)
    engine = create_engine(settings)
    config = migrate.alembic_config(settings)
    try:
        async with engine.connect() as connection:

            def _to_0004(sync: sa.Connection) -> None:
                config.attributes["connection"] = sync
                command.upgrade(config, "0004_access")
                _old_data(sync)

            await connection.run_sync(_to_0004)
            await connection.commit()

        # When it is upgraded
        await migrate.upgrade(engine, settings)

        # Then the accepted one is due 60 日 from acceptance: 10-02 → 10-08 (National Day)
        async with engine.connect() as connection:
            rows = (await connection.execute(sa.text(
                "SELECT id, time_limit_unit, time_limit_from FROM petitions ORDER BY id"
            ))).all()  # fmt: skip
            due = {pid: d for pid, d in (await connection.execute(
                sa.select(sa.column("id"), sa.column("due_at", UtcDateTime),
                          ).select_from(sa.table("petitions")))).all()}  # fmt: skip
            recomputed = (await connection.execute(sa.text(
                "SELECT petition_id FROM petition_events WHERE kind = 'DEADLINE_RECOMPUTED' "
                "ORDER BY petition_id"))).scalars().all()  # fmt: skip
            policy = (await connection.execute(sa.text(
                "SELECT days, unit, counts_from FROM time_limit_policies "
                "WHERE code = 'PETITION.HANDLING'"))).one()  # fmt: skip
    finally:
        await engine.dispose()
        if name:
            await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    assert due[1].astimezone(CST).isoformat() == "2026-10-08T23:59:59+08:00"
    # the one never accepted runs on its acceptance clock: 15 日 from 07-20
    assert due[2].astimezone(CST).isoformat() == "2026-08-04T23:59:59+08:00"
    # the complaint keeps its working days
    assert due[3].astimezone(CST).isoformat() == "2026-03-02T23:59:59+08:00"
    assert [tuple(r) for r in rows] == [
        (1, "CALENDAR_DAYS", "ACCEPTANCE"), (2, "CALENDAR_DAYS", "ACCEPTANCE"),
        (3, "WORKING_DAYS", "RECEIPT"),
    ]  # fmt: skip
    assert list(recomputed) == [1, 2]  # one event per formal petition
    assert tuple(policy) == (60, "CALENDAR_DAYS", "ACCEPTANCE")
