"""The Pingshan demo loader: valid identifiers, a healthy pyramid, consistent timelines,
the same district for the same seed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from stdnum.cn import ric, uscc

from db import migrate, models
from db.config import Settings, load_settings
from db.demo import load
from db.engine import create_engine, create_sessionmaker
from resolvers.access.caller import Caller
from resolvers.demo import DemoServicesAdapter
from resolvers.services import Services
from resolvers.workflow import suspension
from resolvers.workflow.steps import PetitionRef

APPEALS = 300


async def _load(
    path: Path, appeals: int = APPEALS, seed: int = 7
) -> tuple[Settings, AsyncEngine, str]:
    """A fresh SQLite database at `path` with the demo loaded."""
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{path}", secret_key="test", var_dir=path.parent
    )
    engine = create_engine(settings)
    await migrate.upgrade(engine, settings)
    async with create_sessionmaker(engine)() as session:
        message = await load.load_demo(
            session,
            settings,
            appeals=appeals,
            seed=seed,
            services=DemoServicesAdapter(Services(settings)),
            show_progress=False,
        )
    return settings, engine, message


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[tuple[Settings, str, AsyncSession]]:
    settings, engine, message = await _load(tmp_path / "demo.db")
    try:
        async with create_sessionmaker(engine)() as session:
            yield settings, message, session
    finally:
        await engine.dispose()


async def _scalars(session: AsyncSession, statement):  # type: ignore[no-untyped-def]
    return list((await session.execute(statement)).scalars().all())


async def test_demo_data_is_valid_and_healthy(demo: tuple[Settings, str, AsyncSession]) -> None:
    settings, message, session = demo
    assert f"{APPEALS} appeals" in message
    p = models.Petition

    codes = await _scalars(session, select(models.Enterprise.uscc))
    assert len(codes) >= 200 and all(uscc.is_valid(code) for code in codes)
    ids = await _scalars(session, select(models.Petitioner.id_number))
    assert ids and all(ric.is_valid(number) for number in ids)
    orgs = set(await _scalars(session, select(models.Organisation.code)))
    assert {
        "PS-HALL",
        "PS-COURT",
        "PS-LMC",
        "PS-ARB",
        "PS-APAN",
        "PS-METRO",
        "PS-PSY",
        "PS-CREDIT",
        "PS-GOV",
        "PS-ST-LONGTIAN",
        "PS-CW-LIULIAN",
    } <= orgs
    communities = await session.scalar(
        select(func.count()).where(models.Region.kind == models.RegionKind.COMMUNITY)
    )
    assert communities == 23

    by_level = dict((await session.execute(select(p.level, func.count()).group_by(p.level))).all())
    levels = [by_level.get(level, 0) for level in models.Level]
    assert levels == sorted(levels, reverse=True), levels  # a positive pyramid

    numbers = await _scalars(session, select(p.number))
    assert len(set(numbers)) == APPEALS
    sequences = dict(
        (
            await session.execute(select(models.NumberSequence.name, models.NumberSequence.value))
        ).all()
    )
    appeal_numbers = {k: v for k, v in sequences.items() if k.count("-") == 1}  # PS-YYYY
    assert sum(appeal_numbers.values()) == APPEALS
    assert max(numbers) == f"PS-2026-{sequences['PS-2026']:06d}"

    closed = await session.scalar(
        select(func.count()).where(p.status == models.PetitionStatus.CLOSED)
    )
    assert closed is not None and closed / APPEALS > 0.95

    # every appeal's timeline is in time order and its length is the version
    events = (
        await session.execute(
            select(
                models.PetitionEvent.petition_id,
                models.PetitionEvent.id,
                models.PetitionEvent.occurred_at,
            ).order_by(models.PetitionEvent.id)
        )
    ).all()
    last: dict[int, datetime] = {}
    counts: dict[int, int] = {}
    for petition_id, _, at in events:
        assert petition_id not in last or last[petition_id] < at
        last[petition_id] = at
        counts[petition_id] = counts.get(petition_id, 0) + 1
    versions = dict((await session.execute(select(p.id, p.version))).all())
    assert versions == counts

    # backlog cases: one for every appeal ever marked, each with a leader in charge; a few
    # people under care, screened, with home visits mostly refused when at high risk
    cases = await _scalars(session, select(models.BacklogCase))
    marked = await _scalars(
        session,
        select(models.PetitionEvent.petition_id).where(
            models.PetitionEvent.kind == models.EventKind.BACKLOG_MARKED
        ),
    )
    assert cases and {c.petition_id for c in cases} == set(marked)
    assert all(c.leader_id and c.plan and c.review_every_days for c in cases)
    screened = await _scalars(session, select(models.Screening))
    assert 1 <= len({s.petitioner_id for s in screened}) <= 6
    alerts = await _scalars(
        session,
        select(models.PetitionEvent).where(
            models.PetitionEvent.kind == models.EventKind.RISK_ALERT
        ),
    )
    assert all(set(a.data) == {"riskLevel", "source"} for a in alerts)

    # formal petitions: 15 日 to decide on acceptance, then 60 日 from acceptance (民法典 rule)
    formal = await _scalars(session, select(p).where(p.category == models.Category.PETITION))
    assert formal
    services = Services(settings)
    for appeal in formal:
        received = appeal.received_at.astimezone(services.tz).date()
        assert appeal.acceptance_due_at is not None
        assert (
            appeal.acceptance_due_at.astimezone(services.tz).date()
            == services.calendar.days_after(received, 15)[0]
        )
        if (
            appeal.accepted_at is not None
            and not appeal.extension_days
            and appeal.suspended_at is None
        ):
            accepted = appeal.accepted_at.astimezone(services.tz).date()
            assert appeal.time_limit_unit is models.TimeUnit.CALENDAR_DAYS
            assert (
                appeal.due_at.astimezone(services.tz).date()
                == services.calendar.days_after(accepted, 60)[0]
            )


async def test_same_seed_same_district_and_second_load_is_refused(
    demo: tuple[Settings, str, AsyncSession], tmp_path: Path
) -> None:
    settings, _, session = demo
    again = await load.load_demo(
        session,
        settings,
        appeals=APPEALS,
        seed=7,
        if_empty=True,
        services=DemoServicesAdapter(Services(settings)),
        show_progress=False,
    )
    assert "already loaded" in again
    with pytest.raises(load.DemoAlreadyLoaded):
        await load.load_demo(
            session,
            settings,
            appeals=APPEALS,
            seed=7,
            services=DemoServicesAdapter(Services(settings)),
            show_progress=False,
        )
    await session.rollback()

    _, engine, _ = await _load(tmp_path / "other" / "demo.db")
    statement = select(
        models.Petition.number,
        models.Petition.title,
        models.Petition.status,
        models.Petition.due_at,
    ).order_by(models.Petition.id)
    credit = select(
        models.CreditRecord.kind, models.CreditRecord.enterprise_id, models.CreditRecord.status
    ).order_by(models.CreditRecord.id)
    try:
        async with create_sessionmaker(engine)() as other:
            assert (await session.execute(statement)).all() == (
                await other.execute(statement)
            ).all()
            assert (await session.execute(credit)).all() == (await other.execute(credit)).all()
    finally:
        await engine.dispose()


async def test_the_demo_s_open_appeals_can_go_on_with_their_workflow(tmp_path: Path) -> None:
    # Given the demo's suspended appeals (the clock paused with days left; seed 9 holds
    # seven, four of them formal petitions counting 日)
    settings, engine, _ = await _load(tmp_path / "demo.db", appeals=8000, seed=9)
    async with create_sessionmaker(engine)() as session:
        await _resume_every_suspended_appeal(settings, session)
    await engine.dispose()


async def _resume_every_suspended_appeal(settings: Settings, session: AsyncSession) -> None:
    p = models.Petition
    suspended = await _scalars(
        session, select(p).where(p.status == models.PetitionStatus.SUSPENDED)
    )
    assert suspended, "the demo should hold some suspended appeals"
    hall = (
        await session.execute(
            select(models.Organisation).where(models.Organisation.code == "PS-HALL")
        )
    ).scalar_one()
    caller = Caller(
        organisation_id=hall.id,
        organisation_code=hall.code,
        organisation_kind=hall.kind,
        region_id=hall.region_id,
        scopes=frozenset({"petitions:write", "petitions:read"}),
    )
    services = Services(settings)
    for appeal in suspended:
        before, left = appeal.suspended_from, appeal.suspended_days_left
        assert before is not None and left is not None

        # When the hall resumes it
        resumed = await suspension.resume_petition(
            session=session,
            caller=caller,
            services=services,
            now=models.utcnow(),
            ref=PetitionRef(id=appeal.id),
        )

        # Then it returns to where it was, with the days it had left (in its unit)
        assert resumed.status is before
        now_day = models.utcnow().astimezone(services.tz).date()
        due_day = resumed.due_at.astimezone(services.tz).date()
        assert services.calendar.count(now_day, left, resumed.time_limit_unit)[0] == due_day


async def test_the_demo_holds_dispute_chains(tmp_path: Path) -> None:
    # 2,000 appeals: enough for every stage of the chain to occur
    _, engine, _ = await _load(tmp_path / "chains.db", appeals=2000)
    try:
        async with create_sessionmaker(engine)() as session:
            m, a = models.MediationCase, models.ArbitrationCase
            statuses = dict(
                (await session.execute(select(m.status, func.count()).group_by(m.status))).all()
            )
            appeals = await session.scalar(select(func.count()).select_from(models.Petition))
            opened = sum(statuses.values())
            assert 0.08 * appeals < opened < 0.3 * appeals  # a labour third, mostly mediated
            assert statuses[models.MediationStatus.AGREED] > 0.8 * opened
            assert statuses.get(models.MediationStatus.NO_AGREEMENT, 0) > 0
            arbitrations = await session.scalar(
                select(func.count()).select_from(models.ArbitrationCase)
            )
            assert 0 < arbitrations < opened * 0.2
            # mediation first: every arbitration follows a mediation of its appeal that
            # failed, or whose agreement was not kept
            unfounded = await session.scalar(
                select(func.count())
                .select_from(models.ArbitrationCase)
                .join(m, m.id == models.ArbitrationCase.mediation_case_id)
                .where(m.petition_id != models.ArbitrationCase.petition_id)
            )
            assert unfounded == 0
            tiered = await session.scalar(select(func.count()).where(m.tier.is_not(None)))
            confirmed = await session.scalar(
                select(func.count()).where(
                    m.confirmation_status == models.ConfirmationStatus.CONFIRMED
                )
            )
            assert tiered and confirmed
            # arbitration cases with awards (most paid), some lawsuits judged
            awards = await session.scalar(select(func.count()).where(a.award_fen.is_not(None)))
            paid = await session.scalar(select(func.count()).where(a.award_paid_at.is_not(None)))
            judged = await session.scalar(
                select(func.count()).where(
                    models.LitigationCase.status == models.LitigationStatus.JUDGED
                )
            )
            assert awards > 0.5 * arbitrations and 0.5 * awards < paid < awards
            assert 0 < judged < awards
            # each case's opening is on its appeal's timeline, after its assignment
            events = await session.scalar(
                select(func.count()).where(
                    models.PetitionEvent.kind == models.EventKind.MEDIATION_OPENED
                )
            )
            assert events == opened
            await _the_credit_records_follow_the_chains(session)
    finally:
        await engine.dispose()


async def _the_credit_records_follow_the_chains(session: AsyncSession) -> None:
    r, kinds = models.CreditRecord, models.CreditRecordKind
    counts = dict((await session.execute(select(r.kind, func.count()).group_by(r.kind))).all())
    assert counts[kinds.COMMITMENT] and counts[kinds.COMMENDATION] and counts[kinds.WARNING]
    assert counts[kinds.WAGE_ARREARS] and counts.get(kinds.REPAIR)
    confirmed = await session.scalar(
        select(func.count()).where(
            r.kind == kinds.WAGE_ARREARS, r.status == models.CreditStatus.CONFIRMED
        )
    )
    assert confirmed
    # with 2,000 appeals, most of the 200 enterprises have none
    assert 0 < await session.scalar(select(func.count(r.enterprise_id.distinct()))) < 100
    # a wage-arrears record for each missed instalment with an employer, and only those
    unmissed = await session.scalar(
        select(func.count())
        .select_from(r)
        .join(models.Instalment, models.Instalment.id == r.instalment_id)
        .where(models.Instalment.missed_at.is_(None))
    )
    assert unmissed == 0
    # a repair ends a record whose debt was paid; the warnings are restricted
    repaired = await session.execute(
        select(models.Instalment.paid_fen, models.Instalment.amount_fen)
        .join(r, r.instalment_id == models.Instalment.id)
        .where(r.status == models.CreditStatus.REPAIRED)
    )
    assert all(paid == owed for paid, owed in repaired.all())
    assert (
        await session.scalar(
            select(func.count()).where(r.kind == kinds.WARNING, r.public.is_(True))
        )
        == 0
    )
    # every record has its history
    bare = await session.scalar(
        select(func.count()).where(~r.id.in_(select(models.CreditEvent.record_id)))
    )
    assert bare == 0
