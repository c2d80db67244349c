"""The working-day calendar, time-limit policies and deadline alerts, as data."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, str_enum, utcnow
from db.models.enums import (
    CalendarSource,
    Category,
    DeadlineStart,
    EventKind,
    PolicyStage,
    TimeUnit,
)


class CalendarDay(Base):
    """A day that departs from "Monday to Friday": a holiday, or a make-up working day."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    working: Mapped[bool]
    name: Mapped[str] = mapped_column(String(32), default="")
    source: Mapped[CalendarSource] = mapped_column(str_enum(CalendarSource, "calendar_source"))


class CalendarYear(Base):
    """A year whose official schedule is known (loaded from a package or imported)."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[CalendarSource] = mapped_column(str_enum(CalendarSource, "calendar_source"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    official: Mapped[bool] = mapped_column(default=True)


class TimeLimitPolicy(Base):
    """A time limit for a stage of the procedure, per category: so many days of `unit`,
    counted from the day of `counts_from` (that day not counted)."""

    __tablename__ = "time_limit_policies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    category: Mapped[Category | None] = mapped_column(str_enum(Category, "category"))
    stage: Mapped[PolicyStage] = mapped_column(str_enum(PolicyStage, "policy_stage"))
    days: Mapped[int]
    unit: Mapped[TimeUnit] = mapped_column(
        str_enum(TimeUnit, "time_unit"), default=TimeUnit.WORKING_DAYS
    )
    counts_from: Mapped[DeadlineStart] = mapped_column(
        str_enum(DeadlineStart, "deadline_start"), default=DeadlineStart.RECEIPT
    )
    description: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DeadlineAlert(Base):
    """That the watcher has raised `kind` for an appeal (assignment_key 0) or an assignment,
    on one of the appeal's clocks (`clock`: ACCEPTANCE before a formal petition is
    accepted, HANDLING after; assignments are always HANDLING).

    The unique key makes "exactly once" the database's promise, whatever the number
    of watchers running.
    """

    __tablename__ = "deadline_alerts"
    __table_args__ = (UniqueConstraint("petition_id", "assignment_key", "clock", "kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"))
    assignment_key: Mapped[int] = mapped_column(BigInteger, default=0)
    clock: Mapped[PolicyStage] = mapped_column(
        str_enum(PolicyStage, "alert_clock"), default=PolicyStage.HANDLING
    )
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, "event_kind"))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
