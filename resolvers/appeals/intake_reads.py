"""Intake's two reads: what it needs before the writer lock (the time limits, the
community, taking the petitioner's lock) and the person's record and earlier appeals.
Why in this order and under which locks: `resolvers/appeals/registering.py`."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    Select,
    String,
    bindparam,
    false,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db import models
from db.engine import on_postgresql
from db.models import Category, Level, Matter, PetitionStatus, PolicyStage, RegionKind
from resolvers.access.caller import Caller
from resolvers.deadlines.limits import Limit
from resolvers.deadlines.policies import stage_policy
from resolvers.errors import BadUserInput

PETITIONER_LOCK = 0x50455253  # "PERS": with the ID hash's first 32 bits, one lock a person


@dataclass(frozen=True)
class Reference:
    handling: Limit | None  # None: the category's built-in default
    acceptance: Limit | None
    community_id: int | None


@dataclass(frozen=True)
class Earlier:
    id: int
    number: str
    level: Level
    status: PetitionStatus


@dataclass(frozen=True)
class Known:
    person_id: int | None = None  # the petitioner's record, if there is one
    earlier: list[Earlier] = field(default_factory=list)  # newest first


def _limit(days: int | None, unit: Any, counts_from: Any) -> Limit | None:
    return None if days is None else Limit(days, unit, counts_from)


def _person_key(id_hash: str) -> int:
    """A signed 32-bit key from the keyed hash (hex): collisions only make two people
    wait for each other."""
    return int(id_hash[:8], 16) - (1 << 31)


@functools.cache
def _reference_statement(community: str, lock: bool) -> Select[Any]:
    """`read_reference`'s statement for one shape, built once (its values are
    parameters): `community` "code", "region" or "none"; `lock` the person's."""
    t = models.TimeLimitPolicy
    handling = aliased(t, name="handling")
    acceptance = aliased(t, name="acceptance")
    region = aliased(models.Region, name="community")
    category = bindparam("category", type_=t.category.type)
    policy = {
        stage: stage_policy(category, stage).with_only_columns(t.id).scalar_subquery()
        for stage in (PolicyStage.HANDLING, PolicyStage.ACCEPTANCE)
    }
    in_region = {
        "code": region.code == bindparam("community", type_=String),
        "region": region.id == bindparam("region", type_=BigInteger),
        "none": false(),
    }[community]
    one = select(literal(1).label("one")).subquery("one")
    columns: list[Any] = [
        handling.days, handling.unit, handling.counts_from,
        acceptance.days, acceptance.unit, acceptance.counts_from,
        region.id, region.kind,
    ]  # fmt: skip
    if lock:
        key = bindparam("person_key", type_=Integer)
        columns.append(func.pg_advisory_xact_lock(literal(PETITIONER_LOCK, Integer), key))
    return select(*columns).select_from(
        one.outerjoin(handling, handling.id == policy[PolicyStage.HANDLING])
        .outerjoin(acceptance, acceptance.id == policy[PolicyStage.ACCEPTANCE])
        .outerjoin(region, in_region)
    )


async def read_reference(
    session: AsyncSession,
    caller: Caller,
    category: Category,
    community_code: str | None,
    *,
    lock_person: str | None,
) -> Reference:
    """The category's handling and acceptance policies and the community (given, else the
    caller's own if it is one), in one statement; on PostgreSQL it takes the lock of the
    person with ID hash `lock_person` too (held until the transaction ends)."""
    lock = lock_person is not None and on_postgresql(session)
    params: dict[str, Any] = {"category": category}
    if community_code:
        shape, params["community"] = "code", community_code
    elif caller.region_id is not None:
        shape, params["region"] = "region", caller.region_id
    else:
        shape = "none"
    if lock:
        assert lock_person is not None
        params["person_key"] = _person_key(lock_person)
    row = (await session.execute(_reference_statement(shape, lock), params)).one()
    community_id = row[6] if row[7] is RegionKind.COMMUNITY else None
    if community_code and community_id is None:
        raise BadUserInput("no community with that code", field="communityCode")
    return Reference(_limit(*row[0:3]), _limit(*row[3:6]), community_id)


@functools.cache
def _known_statement() -> Select[Any]:
    p, person = models.Petition, models.Petitioner
    id_hash = bindparam("id_hash", type_=String)
    record = (
        select(person.id).where(person.id_hash == id_hash).order_by(person.id).limit(1)
    ).scalar_subquery()
    earlier = (
        select(p.id, p.number, p.level, p.status, p.received_at)
        .join(person, person.id == p.petitioner_id)
        .where(
            person.id_hash == id_hash,
            p.matter == bindparam("matter", type_=p.matter.type),
            p.received_at >= bindparam("since", type_=p.received_at.type),
            p.received_at <= bindparam("until", type_=p.received_at.type),
        )
        .subquery("earlier")
    )
    one = select(literal(1).label("one")).subquery("one")
    return (
        select(record, earlier.c.id, earlier.c.number, earlier.c.level, earlier.c.status)
        .select_from(one.outerjoin(earlier, true()))
        .order_by(earlier.c.received_at.desc(), earlier.c.id.desc())
    )


async def read_known(
    session: AsyncSession, id_hash: str, matter: Matter, since: datetime, until: datetime
) -> Known:
    """The record of the person with this ID hash, and their appeals on `matter` received
    from `since` to `until`, newest first, in one statement."""
    params = {"id_hash": id_hash, "matter": matter, "since": since, "until": until}
    rows = (await session.execute(_known_statement(), params)).all()
    return Known(
        person_id=rows[0][0],
        earlier=[Earlier(r[1], r[2], r[3], r[4]) for r in rows if r[1] is not None],
    )
