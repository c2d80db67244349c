"""An unfiltered `totalCount` reads the slice's row of `slice_counts`, kept by triggers in
each writing transaction; it must always equal `count(*)` over the access policy."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import event, func, select, text

from db import migrate, models, slice_counts
from db.demo import load
from db.engine import create_engine, create_sessionmaker
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_scope
from resolvers.appeals.reading import PetitionFilter, count_expression
from resolvers.demo import DemoServicesAdapter
from resolvers.services import Services
from tests import factories
from tests.conftest import fresh_database
from tests.factories import submit
from tests.steps import step
from tests.test_kept_for_pages import assert_leads_kept, assert_staff_kept
from web.graphql import READ_PATH_HEADER

TOTAL = "{ petitions(first: 0) { totalCount } }"
# Any condition makes the resolvers count rows; this one holds for every appeal.
COUNTED = '{ petitions(first: 0, filter: {receivedFrom: "2000-01-01T00:00:00Z"}) { totalCount } }'


async def _every_slice_agrees(session, services) -> None:
    organisations = (await session.scalars(select(models.Organisation))).all()
    for organisation in organisations:
        caller = Caller(
            organisation_id=organisation.id,
            organisation_code=organisation.code,
            organisation_kind=organisation.kind,
            region_id=organisation.region_id,
        )
        kept = await session.scalar(
            select(count_expression(caller, PetitionFilter(), models.utcnow(), services))
        )
        counted = await session.scalar(
            select(func.count()).select_from(
                petition_scope(select(models.Petition.id), caller).subquery()
            )
        )
        assert kept == counted, organisation.code
    await session.rollback()


async def _life(window, hall, lmc, psy, marker: str) -> None:
    """Submit an appeal and give it to several organisations, the street platform
    (which already sees it) and one organisation twice."""
    appeal = await submit(window, title=marker)
    ident = appeal["id"]
    await step(hall, "acceptPetition", id=ident)
    await step(hall, "assignPetition", id=ident, organisationCode=factories.LMC, role="LEAD")
    await step(hall, "assignPetition", id=ident, organisationCode=factories.PSY, role="ASSISTING")
    await step(
        hall, "assignPetition", id=ident, organisationCode=factories.STREET, role="ASSISTING"
    )
    await step(psy, "returnAssignment", id=ident, reason="不属于本中心职责")
    await step(hall, "assignPetition", id=ident, organisationCode=factories.PSY, role="ASSISTING")
    await step(lmc, "acceptAssignment", id=ident)


async def test_counts_stay_exact_under_concurrent_writes(server, client_for, sessionmaker):
    marker = f"计数{uuid.uuid4().hex[:6]}"
    orgs = (
        factories.WINDOW,
        factories.OTHER_WINDOW,
        factories.HALL,
        factories.LMC,
        factories.PSY,
        factories.STREET,
        factories.COURT,
    )
    clients = {org: await client_for(org) for org in orgs}
    before = {org: (await clients[org].data(TOTAL))["petitions"]["totalCount"] for org in orgs}

    # When appeals are submitted and assigned by many writers at once
    window, other = clients[factories.WINDOW], clients[factories.OTHER_WINDOW]
    hall, lmc, psy = clients[factories.HALL], clients[factories.LMC], clients[factories.PSY]
    await asyncio.gather(
        *[_life(window, hall, lmc, psy, f"{marker} {i}") for i in range(4)],
        *[submit(other, title=f"{marker} 马峦 {i}") for i in range(4)],
        *[submit(window, title=f"{marker} 六联 {i}") for i in range(4)],
    )

    # Then every slice's kept count equals counting, through both doors of the API…
    for org in orgs:
        kept = (await clients[org].data(TOTAL))["petitions"]["totalCount"]
        counted = (await clients[org].data(COUNTED))["petitions"]["totalCount"]
        assert kept == counted, org
    assert (await hall.data(TOTAL))["petitions"]["totalCount"] == before[factories.HALL] + 12
    assert (await lmc.data(TOTAL))["petitions"]["totalCount"] == before[factories.LMC] + 4
    assert (await psy.data(TOTAL))["petitions"]["totalCount"] == before[factories.PSY] + 4
    # …and for every organisation of the district, in the database.
    services = server.app.state.services
    async with sessionmaker() as session:
        await _every_slice_agrees(session, services)


async def test_a_count_read_is_one_row_not_a_scan(server, client_for):
    hall = await client_for(factories.HALL)
    await hall.data(TOTAL)  # warm the token's last use
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = server.app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = await hall.http.post("/graphql", json={"query": TOTAL})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.headers.get(READ_PATH_HEADER) == "compiled", response.text
    # On PostgreSQL the compiled read runs on the driver itself (no SQLAlchemy event):
    # the statement it ran is the one kept for the query
    dialect = server.app.state.engine.dialect
    kept = server.app.state.graphql.compiled._guarded.items()
    statements += [str(g.statement.compile(dialect=dialect)) for k, g in kept if k[0] == TOTAL]
    answer = [s for s in statements if "slice_counts" in s]
    assert answer and "count(" not in answer[0].lower(), statements


async def test_a_bulk_load_leaves_every_count_right(tmp_path):
    # Given a fresh database of the suite's kind, when the demo is loaded into it (its
    # insert triggers off while it writes on PostgreSQL, then every count recomputed)
    async with fresh_database(tmp_path) as settings:
        engine = create_engine(settings)
        try:
            await migrate.upgrade(engine, settings)
            services = Services(settings)
            async with create_sessionmaker(engine)() as session:
                await load.load_demo(
                    session,
                    settings,
                    appeals=400,
                    seed=11,
                    services=DemoServicesAdapter(services),
                    show_progress=False,
                )
            # Then every slice's kept count is its count, every other kept table is what
            # it keeps, and the triggers are back on
            async with create_sessionmaker(engine)() as session:
                await _every_slice_agrees(session, services)
                await assert_staff_kept(session)
                await assert_leads_kept(session)
                if engine.dialect.name == "postgresql":
                    states = dict(
                        (
                            await session.execute(
                                text("SELECT tgname, tgenabled::text FROM pg_trigger")
                            )
                        ).all()
                    )
                    for _, name in slice_counts.INSERT_TRIGGERS:
                        assert states[name] == "O", name  # O: fires (origin and local)
        finally:
            await engine.dispose()
