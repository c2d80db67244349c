"""Intake's one write under the writer lock, and why the statements come in this order.

A submission's time inside the writer lock (`db/engine.py: begin_write`) is the ceiling
on submissions per second, so on PostgreSQL intake
1. reads what it needs that no writer's exclusion protects — the category's time-limit
   policies and the community (`intake_reads.read_reference`) — in one statement,
   which also takes the **petitioner's lock** when an ID number is given;
2. reads the petitioner's record and earlier appeals on the same matter
   (`intake_reads.read_known`) in a statement after that lock: every earlier submission
   for the same person has committed or waits, so the record is not made twice and no
   repeat is missed;
3. writes in **one statement** (`write`) that takes the writer lock in its first common
   table expression and draws the number, makes the petitioner if new, inserts the
   appeal, its events in order and its repeat links, each depending on the one before;
4. commits. The writer lock is held for the write and the COMMIT only.

Why it is safe. Event ids: every insert of the statement reads from the lock's
expression, so no id is drawn before the lock is held, and the lock is held until the
commit (begin_write's guarantee). Deadlocks: the transaction holds no row lock before
the writer lock (its reads take none) and the petitioner's lock is an advisory lock
only intake takes, one per transaction, always before the writer lock — a writer lock
holder never waits for a petitioner's lock. Snapshots: the write statement sees rows as
of its start, before the lock; what it must see newest is seen newest all the same (the
counter's `ON CONFLICT DO UPDATE`, the slice counters' `UPDATE`s in their triggers),
and the petitioner and repeats were read under the petitioner's lock. The policies and
the community are read before the lock: a policy set while an appeal is being
registered applies from the next one, as if the two had come in the other order.

On SQLite, BEGIN IMMEDIATE makes the transaction the only writer before `read_known`,
and the writes go one statement each (in process, no round trips).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Select,
    String,
    Table,
    bindparam,
    func,
    insert,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from db import models
from db.engine import on_postgresql, writer_lock
from resolvers.appeals.numbers import increment, next_value, petition_number, petition_number_sql
from resolvers.events.publishing import note_written

LINKS_PER_STATEMENT = 1_000  # SQLite: a frequent petitioner's history is long
PEOPLE = cast(Table, models.Petitioner.__table__)
APPEALS = cast(Table, models.Petition.__table__)
TIMELINE = cast(Table, models.PetitionEvent.__table__)
REPEATS = cast(Table, models.PetitionRepeat.__table__)


@dataclass
class Registration:
    """Every row intake writes, as values (the database adds ids, the number and the
    new petitioner's id)."""

    counter: str  # the number counter, e.g. `PS-2026`
    person: dict[str, Any] | None  # a new petitioner's row, or None: `person_id`
    person_id: int | None
    petition: dict[str, Any]
    events: list[dict[str, Any]]  # in order
    links: list[tuple[int, bool]]  # (earlier appeal's id, skipped over)


def with_defaults(
    table: Table, values: dict[str, Any], but: tuple[str, ...] = ()
) -> dict[str, Any]:
    """`values` and every other column's default (as the ORM would insert it), but the
    primary key and the columns `but`: the row in full, so the appeal's object needs
    no reload."""
    row = dict(values)
    for column in table.columns:
        if column.key in row or column.key in but or column.primary_key:
            continue
        default = column.default
        if default is None:
            row[column.key] = None
        elif default.is_scalar:
            row[column.key] = default.arg  # type: ignore[attr-defined]
        else:
            row[column.key] = default.arg(None)  # type: ignore[attr-defined]
    return row


async def write(
    session: AsyncSession, registration: Registration
) -> tuple[models.Petition, list[tuple[int, str]]]:
    """Write the registration; the appeal as a persistent object and its events' ids."""
    if on_postgresql(session):
        petition_id, number, person_id, event_ids = await _write_postgresql(session, registration)
    else:
        petition_id, number, person_id, event_ids = await _write_sqlite(session, registration)
    events = [(i, e["kind"].name) for i, e in zip(event_ids, registration.events, strict=True)]
    note_written(session, events)
    petition = models.Petition(
        id=petition_id, number=number, petitioner_id=person_id, **registration.petition
    )
    make_transient_to_detached(petition)
    session.add(petition)
    return petition, events


def _parameters(table: Table, keys: tuple[str, ...], name: str) -> list[Any]:
    """The row's columns as parameters named after `name` and the column."""
    return [bindparam(f"{name}_{key}", type_=table.c[key].type) for key in keys]


def _named(row: dict[str, Any], name: str) -> dict[str, Any]:
    return {f"{name}_{key}": value for key, value in row.items()}


@functools.cache
def _write_statement(
    person: tuple[str, ...] | None,
    appeal: tuple[str, ...],
    events: tuple[tuple[str, ...], ...],
    links: bool,
) -> Select[Any]:
    """The one writing statement for a shape of registration (the columns given, the
    events, links or none), built once: its values are parameters."""
    lock = select(writer_lock().label("locked")).cte("writer_lock")
    counter = increment("postgresql", bindparam("counter", type_=String), after=lock)
    counter = counter.cte("counter")
    if person is not None:
        made = (
            insert(PEOPLE)
            .from_select(
                list(person),
                select(*_parameters(PEOPLE, person, "person")).select_from(lock),
                include_defaults=False,
            )
            .returning(PEOPLE.c.id)
            .cte("person")
        )
        person_id: Any = select(made.c.id).scalar_subquery()
    else:
        person_id = bindparam("person_id", type_=BigInteger)
    number = petition_number_sql(bindparam("number_prefix", type_=String), counter.c.value)
    appeal_cte = (
        insert(APPEALS)
        .from_select(
            [*appeal, "number", "petitioner_id"],
            select(*_parameters(APPEALS, appeal, "appeal"), number, person_id).select_from(counter),
            include_defaults=False,
        )
        .returning(APPEALS.c.id, APPEALS.c.number, APPEALS.c.petitioner_id)
        .cte("appeal")
    )
    written: list[Any] = []
    source: Any = appeal_cte
    for i, keys in enumerate(events):
        # Each event reads the one before: their ids follow their order.
        event = (
            insert(TIMELINE)
            .from_select(
                ["petition_id", *keys],
                select(appeal_cte.c.id, *_parameters(TIMELINE, keys, f"event_{i}")).select_from(
                    source
                ),
                include_defaults=False,
            )
            .returning(TIMELINE.c.id)
            .cte(f"event_{i}")
        )
        written.append(event)
        source = source.join(event, true())
    statement = select(appeal_cte.c.id, appeal_cte.c.number, appeal_cte.c.petitioner_id)
    statement = statement.select_from(source).add_columns(*(e.c.id for e in written))
    if links:
        ids = bindparam("earlier_ids", type_=ARRAY(BigInteger))
        skipped = bindparam("skipped_over", type_=ARRAY(Boolean))
        linked = (
            insert(REPEATS)
            .from_select(
                ["petition_id", "earlier_id", "skipped_over"],
                select(appeal_cte.c.id, func.unnest(ids), func.unnest(skipped)).select_from(
                    appeal_cte
                ),
                include_defaults=False,
            )
            .cte("links")
        )
        statement = statement.add_cte(linked)
    return statement


async def _write_postgresql(
    session: AsyncSession, r: Registration
) -> tuple[int, str, int, list[int]]:
    """One statement: the writer lock, then every write reading from the one before."""
    statement = _write_statement(
        tuple(r.person) if r.person is not None else None,
        tuple(r.petition),
        tuple(tuple(e) for e in r.events),
        bool(r.links),
    )
    params: dict[str, Any] = {"counter": r.counter, "number_prefix": f"{r.counter}-"}
    if r.person is not None:
        params |= _named(r.person, "person")
    else:
        params["person_id"] = r.person_id
    params |= _named(r.petition, "appeal")
    for i, row in enumerate(r.events):
        params |= _named(row, f"event_{i}")
    if r.links:
        params["earlier_ids"] = [i for i, _ in r.links]
        params["skipped_over"] = [s for _, s in r.links]
    got = (await session.execute(statement, params)).one()
    return got[0], got[1], got[2], list(got[3:])


async def _write_sqlite(session: AsyncSession, r: Registration) -> tuple[int, str, int, list[int]]:
    """The same rows, one statement each (the transaction is the only writer already)."""
    person_id = r.person_id
    if r.person is not None:
        people = PEOPLE
        made = await session.execute(insert(people).values(r.person).returning(people.c.id))
        person_id = made.scalar_one()
    assert person_id is not None
    number = petition_number(r.counter, await next_value(session, r.counter))
    appeals = APPEALS
    petition_id = (
        await session.execute(
            insert(appeals)
            .values(**r.petition, number=number, petitioner_id=person_id)
            .returning(appeals.c.id)
        )
    ).scalar_one()
    timeline = TIMELINE
    event_ids = [
        (
            await session.execute(
                insert(timeline).values(petition_id=petition_id, **row).returning(timeline.c.id)
            )
        ).scalar_one()
        for row in r.events
    ]
    links = [
        {"petition_id": petition_id, "earlier_id": earlier, "skipped_over": skipped}
        for earlier, skipped in r.links
    ]
    for start in range(0, len(links), LINKS_PER_STATEMENT):
        chunk = links[start : start + LINKS_PER_STATEMENT]
        await session.execute(insert(models.PetitionRepeat).values(chunk))
    return petition_id, number, person_id, event_ids
