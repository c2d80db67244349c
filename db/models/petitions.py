"""The appeal (诉求/信访事项), its petitioner, its assignments and its event log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, JsonData, str_enum, utcnow
from db.models.enums import (
    AssignmentRole,
    AssignmentStatus,
    Category,
    Channel,
    DeadlineStart,
    Escalation,
    EventKind,
    Level,
    Matter,
    PetitionStatus,
    Satisfaction,
    TimeUnit,
)


class Petitioner(Base):
    """信访人. The ID number is also kept as a keyed hash, for matching repeats."""

    __tablename__ = "petitioners"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str | None] = mapped_column(String(18))
    id_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200), default="")
    community_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Petition(Base):
    """An appeal, from intake to closure."""

    __tablename__ = "petitions"
    __table_args__ = (
        UniqueConstraint("received_by_id", "client_request_id"),
        Index("ix_petitions_received_at_id", "received_at", "id"),
        Index("ix_petitions_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[Category] = mapped_column(str_enum(Category, "category"))
    matter: Mapped[Matter] = mapped_column(str_enum(Matter, "matter"), index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"))
    level: Mapped[Level] = mapped_column(str_enum(Level, "level"))
    status: Mapped[PetitionStatus] = mapped_column(
        str_enum(PetitionStatus, "petition_status"), default=PetitionStatus.RECEIVED
    )
    received_at: Mapped[datetime]
    received_by_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    petitioner_id: Mapped[int | None] = mapped_column(ForeignKey("petitioners.id"), index=True)
    # The contact details given with this appeal: every door reads these, never the
    # person's master record, so one organisation's submission cannot change what
    # another slice sees (the master record changes only by the hall's audited step).
    petitioner_name: Mapped[str] = mapped_column(String(64), default="")
    petitioner_phone: Mapped[str | None] = mapped_column(String(20))
    petitioner_address: Mapped[str] = mapped_column(String(200), default="")
    people_count: Mapped[int] = mapped_column(default=1)
    collective: Mapped[bool] = mapped_column(default=False)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id"), index=True)
    repeat_count: Mapped[int] = mapped_column(default=0)
    level_skipping: Mapped[bool] = mapped_column(default=False)
    backlog: Mapped[bool] = mapped_column(default=False)
    backlog_owner: Mapped[str | None] = mapped_column(String(64))
    due_at: Mapped[datetime]
    deadline_provisional: Mapped[bool] = mapped_column(default=False)
    # The handling time limit as promised at registration: so many days of its unit,
    # counted from `time_limit_from` (`handling_starts_at`, once that event happened).
    time_limit_days: Mapped[int]
    time_limit_unit: Mapped[TimeUnit] = mapped_column(
        str_enum(TimeUnit, "time_unit"), default=TimeUnit.WORKING_DAYS
    )
    time_limit_from: Mapped[DeadlineStart] = mapped_column(
        str_enum(DeadlineStart, "deadline_start"), default=DeadlineStart.RECEIPT
    )
    handling_starts_at: Mapped[datetime | None]
    # The acceptance clock (受理告知) of a category with an ACCEPTANCE policy: while the
    # appeal is not yet accepted, `due_at` is `acceptance_due_at`.
    acceptance_due_at: Mapped[datetime | None]
    acceptance_limit_days: Mapped[int | None]
    acceptance_limit_unit: Mapped[TimeUnit | None] = mapped_column(
        str_enum(TimeUnit, "acceptance_unit")
    )
    accepted_at: Mapped[datetime | None]
    suspended_at: Mapped[datetime | None]
    # While suspended: the status to go back to, and the working days that were left.
    suspended_from: Mapped[PetitionStatus | None] = mapped_column(
        str_enum(PetitionStatus, "suspended_from")
    )
    suspended_days_left: Mapped[int | None]
    # Days (of the time limit's unit) the deadline moved for suspensions, so a
    # reclassification or a recount keeps them.
    paused_days: Mapped[int] = mapped_column(default=0)
    extension_days: Mapped[int] = mapped_column(default=0)
    # The unit the approved extensions count in (the EXTENSION policy's when approved).
    extension_unit: Mapped[TimeUnit | None] = mapped_column(str_enum(TimeUnit, "extension_unit"))
    extension_requested_days: Mapped[int | None]
    extension_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    resolved: Mapped[bool | None]
    satisfaction: Mapped[Satisfaction | None] = mapped_column(
        str_enum(Satisfaction, "satisfaction")
    )
    feedback_comment: Mapped[str | None] = mapped_column(Text)
    escalated_to: Mapped[Escalation | None] = mapped_column(str_enum(Escalation, "escalation"))
    escalated_to_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    # The construction project it concerns (its parties: `PetitionParty`).
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    client_request_id: Mapped[str | None] = mapped_column(String(64))
    # A keyed hash of what was submitted with `client_request_id`: a retry must match it.
    client_request_fingerprint: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PetitionRepeat(Base):
    """重复访: an earlier appeal of the same petitioner on the same matter, as intake found
    it. Kept district-wide; each caller is shown only the links whose earlier appeal is in
    its slice (`resolvers/appeals/repeats.py`)."""

    __tablename__ = "petition_repeats"

    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), primary_key=True)
    earlier_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id"), primary_key=True, index=True
    )
    # The earlier appeal was open at a lower level when this one came (越级访).
    skipped_over: Mapped[bool] = mapped_column(default=False)


class Assignment(Base):
    """交办/转办: an appeal given to an organisation, as lead or assisting."""

    __tablename__ = "assignments"
    __table_args__ = (
        Index("ix_assignments_organisation_id_petition_id", "organisation_id", "petition_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[AssignmentRole] = mapped_column(str_enum(AssignmentRole, "assignment_role"))
    status: Mapped[AssignmentStatus] = mapped_column(
        str_enum(AssignmentStatus, "assignment_status"), default=AssignmentStatus.PENDING
    )
    assigned_at: Mapped[datetime]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    due_at: Mapped[datetime]
    deadline_provisional: Mapped[bool] = mapped_column(default=False)
    accepted_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    return_reason: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None]
    instructions: Mapped[str] = mapped_column(Text, default="")


class PetitionEvent(Base):
    """One immutable entry of an appeal's timeline; its id is the stream's cursor."""

    __tablename__ = "petition_events"
    __table_args__ = (
        Index("ix_petition_events_petition_id_id", "petition_id", "id"),
        # 我经办的: the appeals one staff member wrote an event on (the worklist's view)
        Index("ix_petition_events_actor_user_id_petition_id", "actor_user_id", "petition_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, "event_kind"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    actor_client_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JsonData, default=dict)


class NumberSequence(Base):
    """Counters for human-readable numbers, e.g. `PS-2026` → 4211."""

    __tablename__ = "number_sequences"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class SliceCount(Base):
    """How many appeals an organisation's slice holds (organisation 0: the whole
    district), kept by database triggers in every writing transaction (migration
    `0007_slice_counts`), so that an unfiltered `totalCount` reads one row."""

    __tablename__ = "slice_counts"

    organisation_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    appeals: Mapped[int] = mapped_column(BigInteger)


class StaffAppeal(Base):
    """An appeal a staff member wrote an event on (the worklist's 我经办的), once per
    pair, kept by a database trigger on `petition_events` (migration `0014_pages_kept`)."""

    __tablename__ = "staff_appeals"

    user_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    petition_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)


class StaffAppealCount(Base):
    """How many appeals a staff member wrote an event on, kept by a database trigger on
    `staff_appeals` in the same transaction: the hall's 我经办的 count reads one row."""

    __tablename__ = "staff_appeal_counts"

    user_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    appeals: Mapped[int] = mapped_column(BigInteger)


class LeadAssignment(Base):
    """A LEAD assignment with its appeal's matter: a narrow copy of `assignments` kept by
    database triggers (migration `0014_pages_kept`), so that the 交办 picker's usual
    leads of a matter read one index range instead of joining the two tables."""

    __tablename__ = "lead_assignments"
    __table_args__ = (
        Index("ix_lead_assignments_matter_assigned_at", "matter", "assigned_at", "organisation_id"),
    )

    assignment_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    petition_id: Mapped[int] = mapped_column(BigId, index=True)
    matter: Mapped[str] = mapped_column(String(40))  # the member's name, as in `petitions`
    organisation_id: Mapped[int] = mapped_column(BigId)
    assigned_at: Mapped[datetime]
