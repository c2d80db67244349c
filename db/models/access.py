"""Traces of access: failed sign-ins (for throttling), staff sessions, the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, JsonData, utcnow


class SignInFailure(Base):
    """One failed sign-in; recent ones slow and then lock further attempts."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_username_ip_at", "username", "ip", "at"),
        Index("ix_sign_in_failures_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffSession(Base):
    """A signed-in staff session, kept on the server so that it can be ended: the
    cookie carries a random token, the table only its SHA-256. Signing out deletes
    the row; deactivation and a password change delete all of the person's rows."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """An unmasked read of personal data, a read of psychological data, or an
    administrative act: who, for which organisation, what, when, by which path."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at_id", "at", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(48))
    path: Mapped[str] = mapped_column(String(24))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id"))
    object_kind: Mapped[str] = mapped_column(String(32))
    object_ids: Mapped[list[int]] = mapped_column(JsonData, default=list)
    detail: Mapped[dict[str, Any]] = mapped_column(JsonData, default=dict)
