"""The demo's psychological care and backlog cases (issue 13): a case with its leader in
charge, plan and monthly reviews (a few late, some under the hall's supervision) for every
appeal the generator made a backlog case or cleared one; and a few of those petitioners
under the care centre's care — screened, counselled, visited at home (most visits refused,
as in the seed's account of 李某), with the alerts on their open appeals."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import CareSessionKind, EventKind, PetitionStatus, RiskLevel

PLANS = [
    "包案领导牵头，每月见面一次，联合司法所调解宅基地分割",
    "落实专人跟进，协调住建部门出具处理意见，必要时启动心理疏导",
    "约谈用人单位，督促分期支付欠薪，同步开展心理关爱",
    "召开联席会议，明确各方责任，依法依规分类处置",
]
REVIEWS = [
    "本月走访一次，诉求人情绪平稳",
    "协调会已召开，方案待诉求人确认",
    "诉求人仍不认可处理意见，继续做工作",
    "已形成初步化解方案",
]
INSTRUMENTS = ["SCL-90", "PHQ-9", "GAD-7"]
COUNSELLORS = ["张咨询师", "陈咨询师", "刘咨询师"]


async def load_care(
    session: AsyncSession, *, rng: random.Random, tz: ZoneInfo, end: datetime
) -> tuple[int, int]:
    """Add the backlog cases and the people under care; (cases, people)."""
    users = {u.username: u for u in await session.scalars(select(models.StaffUser))}
    leader = users.get("hall.leader")
    psy = await session.scalar(
        select(models.Organisation).where(models.Organisation.code == "PS-PSY")
    )
    if leader is None or psy is None:
        return 0, 0
    marked = {
        e.petition_id: e
        for e in await session.scalars(
            select(models.PetitionEvent).where(
                models.PetitionEvent.kind == EventKind.BACKLOG_MARKED
            )
        )
    }
    cleared = {
        e.petition_id: e
        for e in await session.scalars(
            select(models.PetitionEvent).where(
                models.PetitionEvent.kind == EventKind.BACKLOG_CLEARED
            )
        )
    }
    appeals = {
        p.id: p
        for p in await session.scalars(
            select(models.Petition).where(models.Petition.id.in_(set(marked)))
        )
    }
    for petition_id in sorted(marked):
        event, petition = marked[petition_id], appeals[petition_id]
        closed = cleared.get(petition_id)
        _case(
            session,
            rng,
            tz,
            petition,
            event.occurred_at,
            closed.occurred_at if closed else None,
            end,
            leader.id,
        )
    people = await _people_under_care(session, rng, tz, list(appeals.values()), psy.id, end)
    return len(marked), people


def _case(
    session: AsyncSession,
    rng: random.Random,
    tz: ZoneInfo,
    petition: models.Petition,
    opened: datetime,
    closed: datetime | None,
    end: datetime,
    leader_id: int,
) -> None:
    cadence = rng.choice([30, 30, 30, 14, 60])
    stop = closed or end
    due = opened.astimezone(tz).date() + timedelta(days=cadence)
    reviews = []
    at = opened + timedelta(days=cadence - rng.randint(0, 5))
    while at < stop:
        # Most reviews on time; now and then a week late.
        late = rng.random() < 0.15
        held = at + timedelta(days=rng.randint(1, 8)) if late else at
        if held >= stop:
            break
        day = held.astimezone(tz).date()
        reviews.append(
            {
                "at": held.isoformat(),
                "note": rng.choice(REVIEWS),
                "onTime": day <= due,
                "due": due.isoformat(),
                "byUserId": leader_id,
                "organisationId": None,
            }
        )
        due = day + timedelta(days=cadence)
        at = held + timedelta(days=cadence - rng.randint(0, 3))
    supervised = rng.random() < 0.4
    session.add(
        models.BacklogCase(
            petition_id=petition.id,
            leader_id=leader_id,
            plan=rng.choice(PLANS),
            review_every_days=cadence,
            opened_at=opened,
            next_review_due=due,
            reviews=reviews,
            supervision="限期提出化解方案并报区群众诉求服务大厅" if supervised else None,
            supervision_due=(opened + timedelta(days=rng.randint(20, 90))).astimezone(tz).date()
            if supervised
            else None,
            closed_at=closed,
            assessment="矛盾已化解，诉求人息诉罢访，同意销号" if closed else None,
        )
    )


async def _people_under_care(
    session: AsyncSession,
    rng: random.Random,
    tz: ZoneInfo,
    backlog: list[models.Petition],
    psy_id: int,
    end: datetime,
) -> int:
    chosen = [p for p in sorted(backlog, key=lambda p: p.id) if p.petitioner_id is not None][:6]
    levels = [
        RiskLevel.HIGH,
        RiskLevel.CRISIS,
        RiskLevel.HIGH,
        RiskLevel.MEDIUM,
        RiskLevel.MEDIUM,
        RiskLevel.LOW,
    ]
    for petition, level in zip(chosen, levels, strict=False):
        assert petition.petitioner_id is not None
        person = petition.petitioner_id
        screened = min(end, petition.received_at + timedelta(days=rng.randint(3, 20)))
        session.add(
            models.Screening(
                petitioner_id=person,
                petition_id=petition.id,
                instrument=rng.choice(INSTRUMENTS),
                score=rng.randint(40, 250),
                risk_level=level,
                notes="情绪低落，对处理结果不满",
                organisation_id=psy_id,
                screened_at=screened,
            )
        )
        await _event(
            session, petition, EventKind.SCREENED, screened, psy_id, {"riskLevel": level.name}
        )
        if level.alarming:
            open_appeals = list(
                await session.scalars(
                    select(models.Petition).where(
                        models.Petition.petitioner_id == person,
                        models.Petition.status != PetitionStatus.CLOSED,
                    )
                )
            )
            for appeal in open_appeals:
                await _event(
                    session,
                    appeal,
                    EventKind.RISK_ALERT,
                    screened,
                    psy_id,
                    {"riskLevel": level.name, "source": "SCREENING"},
                )
        visits = rng.randint(8, 60) if level.alarming else rng.randint(2, 8)
        for n in range(visits):
            held = min(end, screened + timedelta(days=3 * n + 1))
            refused = level.alarming and rng.random() < 0.8
            session.add(
                models.CareSession(
                    petitioner_id=person,
                    kind=CareSessionKind.HOME_VISIT,
                    refused=refused,
                    counsellor=rng.choice(COUNSELLORS),
                    minutes=0 if refused else 40,
                    participants=[] if refused else ["本人"],
                    notes="" if refused else "上门面谈，情绪有所缓和",
                    next_step="",
                    organisation_id=psy_id,
                    held_at=held,
                )
            )
        for n in range(rng.randint(3, 12)):
            session.add(
                models.CareSession(
                    petitioner_id=person,
                    kind=rng.choice([CareSessionKind.ON_SITE, CareSessionKind.HOTLINE]),
                    counsellor=rng.choice(COUNSELLORS),
                    minutes=rng.choice([30, 45, 60]),
                    participants=["本人", "家属"] if n % 3 == 0 else ["本人"],
                    notes="倾听诉求，开展情绪疏导",
                    next_step="两周后回访",
                    organisation_id=psy_id,
                    held_at=min(end, screened + timedelta(days=7 * n + 2)),
                )
            )
        day = screened.astimezone(tz).date()
        session.add(
            models.CounsellingPlan(
                petitioner_id=person,
                goals="稳定情绪，建立支持系统，引导依法表达诉求",
                review_dates=[(day + timedelta(days=30 * k)).isoformat() for k in (1, 2, 3)],
                organisation_id=psy_id,
                created_at=screened,
            )
        )
        if level is RiskLevel.CRISIS:
            session.add(
                models.CrisisRecord(
                    petitioner_id=person,
                    notes="扬言轻生，联合派出所、社区紧急处置",
                    organisation_id=psy_id,
                    recorded_at=screened + timedelta(hours=2),
                )
            )
    return len(chosen)


async def _event(
    session: AsyncSession,
    petition: models.Petition,
    kind: EventKind,
    at: datetime,
    organisation_id: int,
    data: dict[str, str],
) -> None:
    """An event at the end of the appeal's timeline (never before its last one), with the
    appeal's version moved on as a step would."""
    last = await session.scalar(
        select(func.max(models.PetitionEvent.occurred_at)).where(
            models.PetitionEvent.petition_id == petition.id
        )
    )
    if last is not None and last >= at:
        at = last + timedelta(minutes=1)
    session.add(
        models.PetitionEvent(
            petition_id=petition.id,
            kind=kind,
            occurred_at=at,
            organisation_id=organisation_id,
            data=data,
        )
    )
    await session.flush()
    petition.version += 1
