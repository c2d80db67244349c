"""The 访调心裁 chain: an appeal's parties, mediation cases (sessions, agreement,
instalments, payments, judicial confirmation, metro tiers), arbitration and litigation.

Money is kept in fen (分, integer hundredths of a yuan): exact on both databases.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, JsonData, str_enum, utcnow
from db.models.enums import (
    ArbitrationStatus,
    ConfirmationStatus,
    LitigationStatus,
    MediationKind,
    MediationStatus,
    MetroTier,
    PartyRole,
    SessionPlace,
)


class PetitionParty(Base):
    """An enterprise an appeal is about: the employer, a main contractor, a subcontractor."""

    __tablename__ = "petition_parties"
    __table_args__ = (UniqueConstraint("petition_id", "enterprise_id", "role"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    role: Mapped[PartyRole] = mapped_column(str_enum(PartyRole, "party_role"))


class MediationCase(Base):
    """调解案件: a mediation opened from an appeal, from intake to its outcome."""

    __tablename__ = "mediation_cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), index=True)
    kind: Mapped[MediationKind] = mapped_column(str_enum(MediationKind, "mediation_kind"))
    status: Mapped[MediationStatus] = mapped_column(
        str_enum(MediationStatus, "mediation_status"), default=MediationStatus.OPEN, index=True
    )
    mediator_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    mediator_name: Mapped[str] = mapped_column(String(64), default="")
    referring_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    worker_count: Mapped[int] = mapped_column(default=0)
    amount_claimed_fen: Mapped[int | None] = mapped_column(BigInteger)
    opened_at: Mapped[datetime]
    due_at: Mapped[datetime]
    deadline_provisional: Mapped[bool] = mapped_column(default=False)
    tier: Mapped[MetroTier | None] = mapped_column(str_enum(MetroTier, "metro_tier"))
    concluded_at: Mapped[datetime | None]
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    agreement_amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    agreement_terms: Mapped[str | None] = mapped_column(Text)
    confirmation_status: Mapped[ConfirmationStatus | None] = mapped_column(
        str_enum(ConfirmationStatus, "confirmation_status")
    )
    confirmation_court_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    confirmation_requested_at: Mapped[datetime | None]
    confirmation_decided_at: Mapped[datetime | None]
    confirmation_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MediationParty(Base):
    """An enterprise on the other side of a mediation (employer, contractors)."""

    __tablename__ = "mediation_parties"
    __table_args__ = (UniqueConstraint("case_id", "enterprise_id", "role"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_cases.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    role: Mapped[PartyRole] = mapped_column(str_enum(PartyRole, "party_role"))


class MediationTier(Base):
    """One tier of a metro site dispute (分级调解): who tries it, until when, how it ended.

    The deadline watcher ends a tier whose `due_at` has passed with the case still open
    and starts the next one; `ended_at IS NULL` guards that it happens once.
    """

    __tablename__ = "mediation_tiers"
    __table_args__ = (Index("ix_mediation_tiers_ended_at_due_at", "ended_at", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_cases.id"), index=True)
    tier: Mapped[MetroTier] = mapped_column(str_enum(MetroTier, "metro_tier"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    started_at: Mapped[datetime]
    due_at: Mapped[datetime]
    deadline_provisional: Mapped[bool] = mapped_column(default=False)
    ended_at: Mapped[datetime | None]
    escalated: Mapped[bool] = mapped_column(default=False)


class MediationSession(Base):
    """调解会: when and where the parties met, who attended, the minutes."""

    __tablename__ = "mediation_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_cases.id"), index=True)
    held_at: Mapped[datetime]
    place_kind: Mapped[SessionPlace] = mapped_column(str_enum(SessionPlace, "session_place"))
    place: Mapped[str] = mapped_column(String(200), default="")
    attendees: Mapped[list[str]] = mapped_column(JsonData, default=list)
    minutes: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Instalment(Base):
    """One instalment of a mediation agreement's payment schedule."""

    __tablename__ = "instalments"
    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        Index("ix_instalments_missed_at_due_on", "missed_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_cases.id"))
    seq: Mapped[int]
    due_on: Mapped[date]
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_on: Mapped[date | None]
    # Set once by the deadline watcher when the day passed with the instalment unpaid.
    missed_at: Mapped[datetime | None]


class Payment(Base):
    """A payment recorded against an instalment."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    instalment_id: Mapped[int] = mapped_column(ForeignKey("instalments.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_cases.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date]
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArbitrationCase(Base):
    """劳动人事争议仲裁: the stage after a mediation without (kept) agreement."""

    __tablename__ = "arbitration_cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), index=True)
    mediation_case_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_cases.id"))
    arbitration_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    referring_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[ArbitrationStatus] = mapped_column(
        str_enum(ArbitrationStatus, "arbitration_status"), default=ArbitrationStatus.FILED
    )
    claim_fen: Mapped[int | None] = mapped_column(BigInteger)
    filed_at: Mapped[datetime]
    due_at: Mapped[datetime]
    deadline_provisional: Mapped[bool] = mapped_column(default=False)
    hearing_at: Mapped[datetime | None]
    hearing_place: Mapped[str | None] = mapped_column(String(200))
    awarded_at: Mapped[datetime | None]
    award_fen: Mapped[int | None] = mapped_column(BigInteger)
    award_summary: Mapped[str | None] = mapped_column(Text)
    award_paid_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LitigationCase(Base):
    """诉讼: the court's case, after arbitration (labour) or directly (other matters)."""

    __tablename__ = "litigation_cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), index=True)
    arbitration_case_id: Mapped[int | None] = mapped_column(ForeignKey("arbitration_cases.id"))
    mediation_case_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_cases.id"))
    court_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    referring_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    case_number: Mapped[str | None] = mapped_column(String(48), unique=True)
    status: Mapped[LitigationStatus] = mapped_column(
        str_enum(LitigationStatus, "litigation_status"), default=LitigationStatus.FILED
    )
    filed_at: Mapped[datetime]
    judged_at: Mapped[datetime | None]
    judgment_summary: Mapped[str | None] = mapped_column(Text)
    judgment_fen: Mapped[int | None] = mapped_column(BigInteger)
    judgment_paid_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
