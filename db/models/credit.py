"""Credit supervision through the whole dispute (全流程信用监管): credit records on an
enterprise, with their own history.

A record is PROPOSED (raised by an outcome: a missed instalment, an award or judgment
left unpaid) until the credit centre confirms or rejects it; the centre's own records
and a commitment signed at mediation are CONFIRMED from the start. A repair is a
record of its own (kind REPAIR) pointing at the record it repairs, which becomes
REPAIRED: its effect ends, its history stays. Who sees what:
`resolvers/access/credit_policy.py`.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, JsonData, str_enum, utcnow


class CreditRecordKind(enum.Enum):
    COMMITMENT = "信用承诺"
    WARNING = "警示"
    WAGE_ARREARS = "欠薪"
    DISHONEST = "失信名单"
    COMMENDATION = "守信激励"
    REPAIR = "信用修复"

    @property
    def adverse(self) -> bool:
        """A record against the enterprise, which a repair may end."""
        return self in (
            CreditRecordKind.WARNING,
            CreditRecordKind.WAGE_ARREARS,
            CreditRecordKind.DISHONEST,
        )


class DisputeStage(enum.Enum):
    """When in the dispute the record was made (事前 / 事中 / 事后)."""

    BEFORE = "事前"
    DURING = "事中"
    AFTER = "事后"


class CreditStatus(enum.Enum):
    PROPOSED = "待确认"
    CONFIRMED = "已确认"
    REJECTED = "已驳回"
    REPAIRED = "已修复"


class CreditEventKind(enum.Enum):
    CREDIT_PROPOSED = "信用记录提议"
    CREDIT_CONFIRMED = "信用记录确认"
    CREDIT_REJECTED = "信用记录驳回"
    CREDIT_RECORDED = "信用记录"
    CREDIT_REPAIRED = "信用修复"


class CreditRecord(Base):
    """信用记录: one fact about an enterprise's credit, from a dispute or the centre."""

    __tablename__ = "credit_records"
    __table_args__ = (
        Index("ix_credit_records_enterprise_id_recorded_at", "enterprise_id", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    kind: Mapped[CreditRecordKind] = mapped_column(str_enum(CreditRecordKind, "credit_kind"))
    stage: Mapped[DisputeStage] = mapped_column(str_enum(DisputeStage, "dispute_stage"))
    status: Mapped[CreditStatus] = mapped_column(
        str_enum(CreditStatus, "credit_status"), index=True
    )
    public: Mapped[bool] = mapped_column(default=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    # The source: the appeal, and the mediation (instalment), award or judgment.
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id"), index=True)
    mediation_case_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_cases.id"))
    instalment_id: Mapped[int | None] = mapped_column(ForeignKey("instalments.id"))
    arbitration_case_id: Mapped[int | None] = mapped_column(ForeignKey("arbitration_cases.id"))
    litigation_case_id: Mapped[int | None] = mapped_column(ForeignKey("litigation_cases.id"))
    # A REPAIR record names the record it repairs.
    repairs_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id"), index=True)
    # What raised it, once: `instalment:7`, `award:3`, `judgment:2`, `commitment:12`.
    # Unique, so two watchers racing raise one proposal (NULL for hand-made records).
    source_key: Mapped[str | None] = mapped_column(String(48), unique=True)
    # The recording organisation: the centre for its own records, else the one whose
    # work (outcome) raised it; and the person, when a person acted.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    effective_from: Mapped[date]
    effective_until: Mapped[date | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CreditEvent(Base):
    """One immutable entry of a credit record's own history."""

    __tablename__ = "credit_events"
    __table_args__ = (Index("ix_credit_events_record_id_id", "record_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_records.id"))
    kind: Mapped[CreditEventKind] = mapped_column(str_enum(CreditEventKind, "credit_event_kind"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    actor_client_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JsonData, default=dict)
