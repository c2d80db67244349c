"""Psychological care (社会心理服务) and backlog cases (信访积案).

The care records belong to a person (the petitioner), not to one appeal: a person
with several appeals has one risk level. Their notes and scores are the care
centre's alone (`resolvers/access/care_policy.py`).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, JsonData, str_enum, utcnow


class RiskLevel(enum.Enum):
    """A screening's risk level; HIGH and CRISIS raise an alert."""

    LOW = "低风险"
    MEDIUM = "中风险"
    HIGH = "高风险"
    CRISIS = "危机"

    @property
    def alarming(self) -> bool:
        return self in (RiskLevel.HIGH, RiskLevel.CRISIS)


class RiskFlagKind(enum.Enum):
    """What a handler saw that may signal risk."""

    SELF_HARM_THREAT = "扬言自伤自杀"
    BLOCKING_OFFICES = "堵门缠访"
    EXTREME_WORDS = "言辞过激"
    OTHER = "其他"


class CareSessionKind(enum.Enum):
    ON_SITE = "现场疏导"
    HOME_VISIT = "上门走访"
    HOTLINE = "热线"


class Screening(Base):
    """A screening (心理筛查) of a person: instrument, score, risk level."""

    __tablename__ = "screenings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petitioner_id: Mapped[int] = mapped_column(ForeignKey("petitioners.id"), index=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"))
    instrument: Mapped[str] = mapped_column(String(64))
    score: Mapped[int]
    risk_level: Mapped[RiskLevel] = mapped_column(str_enum(RiskLevel, "risk_level"))
    notes: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    screened_at: Mapped[datetime] = mapped_column(default=utcnow)


class RiskFlag(Base):
    """A risk a handler recorded on an appeal (prediction and early warning)."""

    __tablename__ = "risk_flags"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), index=True)
    kind: Mapped[RiskFlagKind] = mapped_column(str_enum(RiskFlagKind, "risk_flag_kind"))
    note: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    flagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)


class CareSession(Base):
    """A counselling session, a home visit (走访, perhaps refused: 拒访) or a hotline call."""

    __tablename__ = "care_sessions"
    __table_args__ = (Index("ix_care_sessions_petitioner_id_held_at", "petitioner_id", "held_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petitioner_id: Mapped[int] = mapped_column(ForeignKey("petitioners.id"))
    kind: Mapped[CareSessionKind] = mapped_column(str_enum(CareSessionKind, "care_session_kind"))
    refused: Mapped[bool] = mapped_column(default=False)
    counsellor: Mapped[str] = mapped_column(String(64))
    minutes: Mapped[int] = mapped_column(default=0)
    # Who took part besides the counsellor, e.g. ["本人", "养子"].
    participants: Mapped[list[str]] = mapped_column(JsonData, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    held_at: Mapped[datetime] = mapped_column(default=utcnow)


class CounsellingPlan(Base):
    """A counselling plan (疏导方案): goals and the dates it is reviewed on."""

    __tablename__ = "counselling_plans"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petitioner_id: Mapped[int] = mapped_column(ForeignKey("petitioners.id"), index=True)
    goals: Mapped[str] = mapped_column(Text)
    review_dates: Mapped[list[str]] = mapped_column(JsonData, default=list)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CrisisRecord(Base):
    """A crisis intervention (危机干预): an urgent record that alerts every handler."""

    __tablename__ = "crisis_records"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petitioner_id: Mapped[int] = mapped_column(ForeignKey("petitioners.id"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class BacklogCase(Base):
    """信访积案: a leader in charge (包案领导), a plan, reviews on a cadence, the hall's
    supervision (督办) with its own deadline, and the closing assessment (销号)."""

    __tablename__ = "backlog_cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), unique=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    plan: Mapped[str] = mapped_column(Text)
    review_every_days: Mapped[int]
    opened_at: Mapped[datetime]
    next_review_due: Mapped[date]
    reviews: Mapped[list[dict[str, Any]]] = mapped_column(JsonData, default=list)
    supervision: Mapped[str | None] = mapped_column(Text)
    supervision_due: Mapped[date | None]
    closed_at: Mapped[datetime | None]
    assessment: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
