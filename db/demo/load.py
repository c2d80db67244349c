"""Load the Pingshan demo into a freshly migrated database, fast: Core bulk inserts with
ids computed here, so nothing waits on a round trip per row.

What the loader needs from the domain layer (working-day deadlines, the keyed hash of
ID numbers) comes in as `DemoServices`; `db` imports nothing from the resolvers.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable, Sequence
from datetime import datetime, time
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db import models, slice_counts
from db.config import Settings
from db.demo import care, chains, firms
from db.demo.appeals import Generator
from db.demo.places.organisations import HALL_CODE
from db.demo.static import DEMO_PASSWORD, Static, static_rows
from db.demo.world import Output, World
from db.engine import begin_write
from db.models import AWAITING_ANSWER, PetitionStatus, RegionKind

CHUNK = 5_000
ID_TABLES = (
    "regions",
    "organisations",
    "staff_users",
    "enterprises",
    "projects",
    "petitioners",
    "petitions",
    "assignments",
    "petition_events",
    *chains.TABLES,
)


class DemoServices(Protocol):
    """Deadlines and hashing as the resolvers compute them, passed in by the caller."""

    @property
    def tz(self) -> ZoneInfo: ...

    def deadline(self, start: datetime, category: models.Category) -> tuple[datetime, bool]:
        """(due_at, provisional): `category`'s handling time limit counted from `start`."""
        ...

    def acceptance_deadline(
        self, received_at: datetime, category: models.Category
    ) -> tuple[datetime, bool] | None:
        """When the decision on acceptance is due, for a category that has one."""
        ...

    def limits(self, category: models.Category) -> dict[str, Any]:
        """The appeal's time-limit columns for `category`."""
        ...

    def shift_deadline(
        self, due_at: datetime, days: int, category: models.Category
    ) -> tuple[datetime, bool]:
        """A deadline moved by `days` of the category's unit (an approved extension)."""
        ...

    def days_left(self, at: datetime, due_at: datetime, category: models.Category) -> int:
        """Days of the category's unit from `at`'s day to the deadline's (what a
        suspension keeps)."""
        ...

    def keyed_hash(self, value: str) -> str: ...


class DemoAlreadyLoaded(RuntimeError):
    """The database already holds the demo (organisation PS-HALL exists)."""


def cached_deadline(
    services: DemoServices,
) -> Callable[[datetime, models.Category], tuple[datetime, bool]]:
    """Deadlines depend only on the local day and the category: walk the calendar once each."""
    tz = services.tz
    cache: dict[tuple[Any, models.Category], tuple[datetime, bool]] = {}

    def due(at: datetime, category: models.Category) -> tuple[datetime, bool]:
        day = at.astimezone(tz).date()
        hit = cache.get((day, category))
        if hit is None:
            hit = services.deadline(datetime.combine(day, time(12), tzinfo=tz), category)
            cache[(day, category)] = hit
        return hit

    return due


async def load_demo(
    session: AsyncSession,
    settings: Settings,
    *,
    appeals: int = 25_000,
    seed: int = 2022,
    if_empty: bool = False,
    services: DemoServices,
    show_progress: bool = True,
) -> str:
    """Load the demo district and a year of `appeals`; return a one-line summary."""
    started = clock.perf_counter()
    exists = (
        await session.execute(
            select(models.Organisation.id).where(models.Organisation.code == HALL_CODE)
        )
    ).first()
    if exists is not None:
        if if_empty:
            return "the Pingshan demo is already loaded (PS-HALL exists): nothing done"
        raise DemoAlreadyLoaded(
            "the Pingshan demo is already loaded (PS-HALL exists); use a fresh database"
        )
    await begin_write(session)
    rng = random.Random(seed)
    tz = services.tz
    created = datetime(2025, 11, 1, 9, 0, tzinfo=tz)
    first = {name: await _next_id(session, name) for name in ID_TABLES}
    sequences = {
        row.name: row.value
        for row in await session.execute(
            select(models.NumberSequence.name, models.NumberSequence.value)
        )
    }

    static = static_rows(rng, first, created)
    world = World(
        tz=tz,
        org_ids=static.org_ids,
        actors=static.actors,
        communities=static.communities,
        sites=static.sites,
        companies=static.companies,
        building_companies=static.building_companies,
        property_companies=static.property_companies,
        due=cached_deadline(services),
        acceptance_due=services.acceptance_deadline,
        limits=services.limits,
        keyed_hash=services.keyed_hash,
        shift_deadline=services.shift_deadline,
        days_left=services.days_left,
    )
    generator = Generator(world, rng, appeals, first_ids=first, sequences=sequences)
    console = Console(stderr=True, quiet=not show_progress)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        making = progress.add_task("Generating appeals", total=appeals)
        out = generator.run(lambda n: progress.advance(making, n))
        chain = chains.add_chains(
            out,
            chains.places_for(
                static.organisations,
                static.projects,
                static.project_enterprises,
                static.enterprises,
                {p.site for p in firms.PROJECTS if p.kind == "METRO"},
            ),
            rng,
            {t: first[t] for t in chains.TABLES},
            world.end,
            # the chain's limits are in working days, as a complaint's
            lambda at, days: services.shift_deadline(at, days, models.Category.COMPLAINT),
        )
        events = _number_events(out, first["petition_events"])
        tables: list[tuple[Table, Sequence[dict[str, Any]]]] = [
            (_t(models.Region), static.regions),
            (_t(models.Organisation), static.organisations),
            (_t(models.StaffUser), static.users),
            (_t(models.Enterprise), static.enterprises),
            (_t(models.Project), static.projects),
            (_t(models.ProjectEnterprise), static.project_enterprises),
            (_t(models.Petitioner), out.petitioners),
            (_t(models.Petition), out.petitions),
            (_t(models.PetitionRepeat), out.repeats),
            (_t(models.Assignment), out.assignments),
            (_t(models.PetitionEvent), events),
            *((models.Base.metadata.tables[name], chain.rows[name]) for name in chains.TABLES),
        ]
        writing = progress.add_task("Writing rows", total=sum(len(r) for _, r in tables))
        async with slice_counts.bulk_load(session):
            for table, rows in tables:
                for start in range(0, len(rows), CHUNK):
                    chunk = rows[start : start + CHUNK]
                    await session.execute(insert(table), chunk)
                    progress.advance(writing, len(chunk))
    await _write_sequences(session, out.sequences)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        for name in ID_TABLES:
            await session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            )
    await care.load_care(session, rng=rng, tz=tz, end=world.end)
    await session.commit()
    return _summary(static, out, len(events), world.end, clock.perf_counter() - started)


def _t(model: type[models.Base]) -> Table:
    return model.__table__  # type: ignore[return-value]


async def _next_id(session: AsyncSession, table: str) -> int:
    model_table = models.Base.metadata.tables[table]
    value = (await session.execute(select(func.max(model_table.c.id)))).scalar()
    return int(value or 0) + 1


async def _write_sequences(session: AsyncSession, sequences: dict[str, int]) -> None:
    table = _t(models.NumberSequence)
    await session.execute(delete(table).where(table.c.name.in_(list(sequences))))
    if sequences:
        await session.execute(
            insert(table), [{"name": k, "value": v} for k, v in sorted(sequences.items())]
        )


def _number_events(out: Output, first_id: int) -> list[dict[str, Any]]:
    """The whole log in time order, so that event ids (the stream's cursors) follow time."""
    out.events.sort(key=lambda e: (e[0], e[1], e[2]))
    rows = []
    for offset, (_, _, _, row) in enumerate(out.events):
        row["id"] = first_id + offset
        rows.append(row)
    return rows


def _summary(static: Static, out: Output, events: int, end: datetime, seconds: float) -> str:
    petitions = out.petitions
    closed = sum(1 for p in petitions if p["status"] is PetitionStatus.CLOSED)
    overdue = sum(1 for p in petitions if p["status"] in AWAITING_ANSWER and p["due_at"] < end)
    levels: dict[str, int] = {}
    for p in petitions:
        levels[p["level"].name] = levels.get(p["level"].name, 0) + 1
    pyramid = "/".join(str(levels.get(level.name, 0)) for level in models.Level)
    communities = sum(1 for r in static.regions if r["kind"] is RegionKind.COMMUNITY)
    share = 100 * closed / len(petitions) if petitions else 0.0
    return (
        f"Pingshan demo loaded in {seconds:.1f}s: {len(static.regions)} regions "
        f"({communities} communities), {len(static.organisations)} organisations, "
        f"{len(static.users)} staff users (password {DEMO_PASSWORD!r}), "
        f"{len(static.enterprises)} enterprises, {len(static.projects)} projects, "
        f"{len(out.petitioners)} petitioners, {len(petitions)} appeals "
        f"(community/street/district/city {pyramid}; {closed} closed = {share:.1f}%, "
        f"{len(petitions) - closed} open, {overdue} overdue), {len(out.assignments)} "
        f"assignments, {events} events"
    )
