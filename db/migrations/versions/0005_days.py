"""time limits in 日 and 工作日, each counted from its event; the two clocks of a formal petition

Revision ID: 0005_days
Revises: 0004_access
Create Date: 2026-11-29

A time-limit policy gets its unit (WORKING_DAYS 工作日 | CALENDAR_DAYS 日) and the event
it counts from (RECEIPT | ACCEPTANCE | ASSIGNMENT | PREVIOUS_DEADLINE); the formal
信访事项's policies become what 信访工作条例 (2022) writes: acceptance decided within 15 日
of receipt, handling within 60 日 of acceptance, extensions at most 30 日; the other
categories keep 30 working days of extension as a category-less EXTENSION policy.
An appeal records its time limit's unit and start, its acceptance clock and when it was
accepted; `paused_working_days` becomes `paused_days` (in the time limit's unit); the
watcher's alerts are kept per clock.

Every existing formal petition's deadline is counted again by the rule of 日 (民法典
art. 201, 203) from the right day, with a DEADLINE_RECOMPUTED event each.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from db.models.base import JsonData, UtcDateTime

revision: str = "0005_days"
down_revision: str | None = "0004_access"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UNITS = ("WORKING_DAYS", "CALENDAR_DAYS")
STARTS = ("RECEIPT", "ACCEPTANCE", "ASSIGNMENT", "PREVIOUS_DEADLINE")
CLOCKS = ("HANDLING", "ACCEPTANCE", "EXTENSION")
EVENT_KINDS = (
    "SUBMITTED", "ACCEPTED", "CLASSIFIED", "ASSIGNED", "ASSIGNMENT_ACCEPTED",
    "ASSIGNMENT_RETURNED", "ASSIGNMENT_COMPLETED", "NOTE_ADDED", "SUSPENDED", "RESUMED",
    "EXTENSION_REQUESTED", "EXTENSION_APPROVED", "EXTENSION_REJECTED", "ANSWERED",
    "FEEDBACK_RECORDED", "CLOSED", "REOPENED", "BACKLOG_MARKED", "BACKLOG_CLEARED",
    "ESCALATED", "DEADLINE_APPROACHING", "OVERDUE", "REPEAT_LINKED", "DEADLINE_RECOMPUTED",
)  # fmt: skip
UNIT_LENGTH, START_LENGTH, CLOCK_LENGTH = 21, 25, 18  # as db.models.base.str_enum sizes them

# (code, unit, counts from, days, description)
REGULATION = [
    ("PETITION.ACCEPTANCE", "CALENDAR_DAYS", "RECEIPT", 15,
     "信访工作条例（2022）：自收到信访事项之日起15日内决定是否受理并告知"),
    ("PETITION.HANDLING", "CALENDAR_DAYS", "ACCEPTANCE", 60,
     "信访工作条例（2022）第三十五条：自受理之日起60日内办结"),
    ("PETITION.EXTENSION", "CALENDAR_DAYS", "PREVIOUS_DEADLINE", 30,
     "信访工作条例（2022）第三十五条：延长期限不得超过30日"),
]  # fmt: skip
OTHER_EXTENSION = ("EXTENSION", 30, "其他类别：延期累计不超过30个工作日（本中心做法）")

PETITION_COLUMNS = (
    "time_limit_unit", "time_limit_from", "handling_starts_at", "acceptance_due_at",
    "acceptance_limit_days", "acceptance_limit_unit", "accepted_at", "extension_unit",
)  # fmt: skip


def _check(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _policies(postgres)
    _petitions(postgres)
    _alerts(postgres)
    _recount_formal_petitions()


def _policies(postgres: bool) -> None:
    op.execute("ALTER TABLE time_limit_policies RENAME COLUMN working_days TO days")
    op.add_column(
        "time_limit_policies",
        sa.Column("unit", sa.String(UNIT_LENGTH), nullable=False, server_default="WORKING_DAYS"),
    )
    op.add_column(
        "time_limit_policies",
        sa.Column("counts_from", sa.String(START_LENGTH), nullable=False,
                  server_default="RECEIPT"),
    )  # fmt: skip
    if postgres:
        op.create_check_constraint("time_unit", "time_limit_policies", _check("unit", UNITS))
        op.create_check_constraint(
            "deadline_start", "time_limit_policies", _check("counts_from", STARTS)
        )
    policies = sa.table(
        "time_limit_policies",
        sa.column("code", sa.String),
        sa.column("category", sa.String),
        sa.column("stage", sa.String),
        sa.column("days", sa.Integer),
        sa.column("unit", sa.String),
        sa.column("counts_from", sa.String),
        sa.column("description", sa.String),
        sa.column("active", sa.Boolean),
        sa.column("updated_at", UtcDateTime),
    )
    now = datetime.now(UTC)
    op.execute(policies.update().where(policies.c.stage == "EXTENSION").values(
        counts_from="PREVIOUS_DEADLINE"))  # fmt: skip
    for code, unit, start, days, description in REGULATION:
        op.execute(
            policies.update()
            .where(policies.c.code == code)
            .values(unit=unit, counts_from=start, days=days, description=description,
                    updated_at=now)
        )  # fmt: skip
    code, days, description = OTHER_EXTENSION
    exists = op.get_bind().execute(
        sa.select(policies.c.code).where(policies.c.code == code)
    ).first()
    if exists is None:
        op.bulk_insert(policies, [{
            "code": code, "category": None, "stage": "EXTENSION", "days": days,
            "unit": "WORKING_DAYS", "counts_from": "PREVIOUS_DEADLINE",
            "description": description, "active": True, "updated_at": now,
        }])  # fmt: skip


def _petitions(postgres: bool) -> None:
    op.execute("ALTER TABLE petitions RENAME COLUMN paused_working_days TO paused_days")
    columns: list[sa.Column[Any]] = [
        sa.Column("time_limit_unit", sa.String(UNIT_LENGTH), nullable=False,
                  server_default="WORKING_DAYS"),
        sa.Column("time_limit_from", sa.String(START_LENGTH), nullable=False,
                  server_default="RECEIPT"),
        sa.Column("handling_starts_at", UtcDateTime, nullable=True),
        sa.Column("acceptance_due_at", UtcDateTime, nullable=True),
        sa.Column("acceptance_limit_days", sa.Integer(), nullable=True),
        sa.Column("acceptance_limit_unit", sa.String(UNIT_LENGTH), nullable=True),
        sa.Column("accepted_at", UtcDateTime, nullable=True),
        sa.Column("extension_unit", sa.String(UNIT_LENGTH), nullable=True),
    ]  # fmt: skip
    for column in columns:
        op.add_column("petitions", column)
    if postgres:
        op.create_check_constraint("time_unit", "petitions", _check("time_limit_unit", UNITS))
        op.create_check_constraint(
            "deadline_start", "petitions", _check("time_limit_from", STARTS)
        )
        op.create_check_constraint(
            "acceptance_unit", "petitions", _check("acceptance_limit_unit", UNITS)
        )
        op.create_check_constraint("extension_unit", "petitions", _check("extension_unit", UNITS))
    # Until now every deadline counted from receipt, and acceptance was its first event.
    op.execute("UPDATE petitions SET handling_starts_at = received_at")
    op.execute(
        "UPDATE petitions SET accepted_at = (SELECT min(e.occurred_at) FROM petition_events e "
        "WHERE e.petition_id = petitions.id AND e.kind = 'ACCEPTED')"
    )


def _alerts(postgres: bool) -> None:
    """The alerts' unique key gains the clock (an appeal's acceptance and handling clocks
    each get their approaching and overdue alert)."""
    if postgres:
        op.add_column(
            "deadline_alerts",
            sa.Column("clock", sa.String(CLOCK_LENGTH), nullable=False, server_default="HANDLING"),
        )
        op.create_check_constraint("alert_clock", "deadline_alerts", _check("clock", CLOCKS))
        op.drop_constraint("uq_deadline_alerts_petition_id", "deadline_alerts", type_="unique")
        op.create_unique_constraint(
            "uq_deadline_alerts_petition_id",
            "deadline_alerts",
            ["petition_id", "assignment_key", "clock", "kind"],
        )
        return
    # SQLite cannot change a table's constraints: copy it into a new one.
    op.rename_table("deadline_alerts", "deadline_alerts_before_0005")
    op.create_table(
        "deadline_alerts",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("petition_id", BIG_ID, nullable=False),
        sa.Column("assignment_key", sa.BigInteger(), nullable=False),
        sa.Column(
            "clock",
            sa.Enum(*CLOCKS, name="alert_clock", native_enum=False, create_constraint=True,
                    length=CLOCK_LENGTH),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(*EVENT_KINDS, name="event_kind", native_enum=False, create_constraint=True,
                    length=28),
            nullable=False,
        ),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petitions.id"],
            name=op.f("fk_deadline_alerts_petition_id_petitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_alerts")),
        sa.UniqueConstraint(
            "petition_id", "assignment_key", "clock", "kind",
            name=op.f("uq_deadline_alerts_petition_id"),
        ),
    )  # fmt: skip
    op.execute(
        "INSERT INTO deadline_alerts (id, petition_id, assignment_key, clock, kind, raised_at) "
        "SELECT id, petition_id, assignment_key, 'HANDLING', kind, raised_at "
        "FROM deadline_alerts_before_0005"
    )
    op.drop_table("deadline_alerts_before_0005")


def _recount_formal_petitions() -> None:
    """Count every formal petition's deadlines again as the regulation writes them: the
    acceptance decision 15 日 from receipt; handling 60 日 from acceptance, then its
    extensions (now in 日) and the days it stood suspended; before acceptance the
    acceptance deadline runs. One DEADLINE_RECOMPUTED event per changed deadline."""
    bind = op.get_bind()
    config = op.get_context().config
    settings = config.attributes.get("settings") if config is not None else None
    tz = ZoneInfo(settings.timezone if settings is not None else "Asia/Shanghai")
    years = frozenset(
        y for (y,) in bind.execute(sa.text("SELECT year FROM calendar_years WHERE official"))
    )
    overrides: dict[date, bool] = {}
    for day, working in bind.execute(sa.text("SELECT day, working FROM calendar_days")):
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        if bool(working) != (day.weekday() < 5):
            overrides[day] = bool(working)
    calendar = _DaysCalendar(overrides, years)

    petitions = sa.table(
        "petitions",
        sa.column("id", BIG_ID),
        sa.column("category", sa.String),
        sa.column("status", sa.String),
        sa.column("received_at", UtcDateTime),
        sa.column("accepted_at", UtcDateTime),
        sa.column("suspended_at", UtcDateTime),
        sa.column("suspended_days_left", sa.Integer),
        sa.column("extension_days", sa.Integer),
        sa.column("due_at", UtcDateTime),
        sa.column("deadline_provisional", sa.Boolean),
        sa.column("time_limit_days", sa.Integer),
        sa.column("time_limit_unit", sa.String),
        sa.column("time_limit_from", sa.String),
        sa.column("handling_starts_at", UtcDateTime),
        sa.column("acceptance_due_at", UtcDateTime),
        sa.column("acceptance_limit_days", sa.Integer),
        sa.column("acceptance_limit_unit", sa.String),
        sa.column("paused_days", sa.Integer),
        sa.column("extension_unit", sa.String),
    )
    events = sa.table(
        "petition_events",
        sa.column("petition_id", BIG_ID),
        sa.column("kind", sa.String),
        sa.column("occurred_at", UtcDateTime),
        sa.column("data", JsonData),
    )
    p = petitions.c
    rows = bind.execute(
        sa.select(p.id, p.status, p.received_at, p.accepted_at, p.suspended_at,
                  p.suspended_days_left, p.extension_days, p.due_at, p.deadline_provisional)
        .where(p.category == "PETITION").order_by(p.id)
    ).all()  # fmt: skip
    if not rows:
        return
    pauses = _pauses(bind, events, tz)
    now = datetime.now(UTC)
    recounted: list[dict[str, Any]] = []
    for row in rows:
        received = row.received_at.astimezone(tz).date()
        acceptance_day, acceptance_provisional = calendar.days_after(received, 15)
        values: dict[str, Any] = {
            "time_limit_days": 60, "time_limit_unit": "CALENDAR_DAYS",
            "time_limit_from": "ACCEPTANCE", "acceptance_limit_days": 15,
            "acceptance_limit_unit": "CALENDAR_DAYS",
            "acceptance_due_at": _end_of_day(acceptance_day, tz),
            "extension_unit": "CALENDAR_DAYS" if row.extension_days else None,
            "handling_starts_at": row.accepted_at,
        }  # fmt: skip
        if row.accepted_at is None:
            due_day, provisional = acceptance_day, acceptance_provisional
            values["paused_days"] = 0
        else:
            paused = pauses.get(row.id, 0)
            due_day, provisional = calendar.count_all(
                row.accepted_at.astimezone(tz).date(), (60, row.extension_days, paused)
            )
            values["paused_days"] = paused
        if row.suspended_at is not None and row.suspended_days_left is not None:
            # What a suspension keeps is now counted in 日: the days from it to the deadline.
            values["suspended_days_left"] = max(
                (due_day - row.suspended_at.astimezone(tz).date()).days, 0
            )
        due_at = _end_of_day(due_day, tz)
        values.update(due_at=due_at, deadline_provisional=provisional)
        bind.execute(petitions.update().where(p.id == row.id).values(**values))
        if due_at != row.due_at or provisional != row.deadline_provisional:
            recounted.append({
                "petition_id": row.id, "kind": "DEADLINE_RECOMPUTED", "occurred_at": now,
                "data": {
                    "from": row.due_at.astimezone(tz).isoformat(),
                    "to": due_at.isoformat(),
                    "provisional": provisional,
                    "rule": "CALENDAR_DAYS",
                },
            })  # fmt: skip
    if recounted:
        op.bulk_insert(events, recounted)


def _pauses(bind: sa.Connection, events: sa.TableClause, tz: ZoneInfo) -> dict[int, int]:
    """Per formal petition, the days (日) its clock stood still: from each suspension's
    day to its resumption's."""
    e = events.c
    rows = bind.execute(
        sa.text(
            "SELECT e.petition_id, e.kind, e.occurred_at FROM petition_events e "
            "JOIN petitions p ON p.id = e.petition_id WHERE p.category = 'PETITION' "
            "AND e.kind IN ('SUSPENDED', 'RESUMED') ORDER BY e.petition_id, e.id"
        ).columns(e.petition_id, e.kind, e.occurred_at)
    ).all()
    paused: dict[int, int] = {}
    since: dict[int, date] = {}
    for petition_id, kind, at in rows:
        day = at.astimezone(tz).date()
        if kind == "SUSPENDED":
            since[petition_id] = day
        elif petition_id in since:
            paused[petition_id] = paused.get(petition_id, 0) + (day - since.pop(petition_id)).days
    return paused


class _DaysCalendar:
    """The rule of 日 as `resolvers.deadlines.calendar` counts it at this revision, frozen
    here (the database layer does not import the domain): official days from the tables,
    weekends and the statutory holidays (estimated) elsewhere."""

    def __init__(self, overrides: dict[date, bool], official_years: frozenset[int]) -> None:
        self.overrides, self.official_years = overrides, official_years

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year not in self.official_years and day in _statutory_holidays(day.year):
            return False
        return day.weekday() < 5

    def days_after(self, start: date, n: int) -> tuple[date, bool]:
        day = start + timedelta(days=n)
        provisional = day.year not in self.official_years
        while not self.is_working_day(day):
            day += timedelta(days=1)
            provisional = provisional or day.year not in self.official_years
        return day, provisional

    def count_all(self, start: date, parts: Sequence[int]) -> tuple[date, bool]:
        day, provisional = start, False
        for index, n in enumerate(parts):
            if n or index == 0:
                day, more = self.days_after(day, n)
                provisional = provisional or more
        return day, provisional


def _statutory_holidays(year: int) -> set[date]:
    from lunar_python import Lunar, Solar

    def solar(value: Any) -> date:
        return date(value.getYear(), value.getMonth(), value.getDay())

    spring = solar(Lunar.fromYmd(year, 1, 1).getSolar())
    days = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2)}
    days |= {spring + timedelta(days=k) for k in range(-1, 3)}
    days.add(solar(Solar.fromYmd(year, 4, 4).getLunar().getJieQiTable()["清明"]))
    days.add(solar(Lunar.fromYmd(year, 5, 5).getSolar()))
    days.add(solar(Lunar.fromYmd(year, 8, 15).getSolar()))
    days |= {date(year, 10, k) for k in (1, 2, 3)}
    return days


def _end_of_day(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=tz) + timedelta(
        hours=23, minutes=59, seconds=59
    )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.drop_constraint("uq_deadline_alerts_petition_id", "deadline_alerts", type_="unique")
        op.execute("DELETE FROM deadline_alerts WHERE clock <> 'HANDLING'")
        op.drop_constraint(op.f("ck_deadline_alerts_alert_clock"), "deadline_alerts")
        op.drop_column("deadline_alerts", "clock")
        op.create_unique_constraint(
            "uq_deadline_alerts_petition_id",
            "deadline_alerts",
            ["petition_id", "assignment_key", "kind"],
        )
        for name in ("time_unit", "deadline_start", "acceptance_unit", "extension_unit"):
            op.drop_constraint(op.f(f"ck_petitions_{name}"), "petitions")
        for name in ("time_unit", "deadline_start"):
            op.drop_constraint(op.f(f"ck_time_limit_policies_{name}"), "time_limit_policies")
    else:
        op.execute("DELETE FROM deadline_alerts WHERE clock <> 'HANDLING'")
        with op.batch_alter_table("deadline_alerts", recreate="always") as batch:
            batch.drop_constraint("uq_deadline_alerts_petition_id", type_="unique")
            batch.drop_column("clock")
            batch.create_unique_constraint(
                "uq_deadline_alerts_petition_id", ["petition_id", "assignment_key", "kind"]
            )
    for name in reversed(PETITION_COLUMNS):
        op.drop_column("petitions", name)
    op.execute("ALTER TABLE petitions RENAME COLUMN paused_days TO paused_working_days")
    op.execute("DELETE FROM time_limit_policies WHERE code = 'EXTENSION'")
    op.drop_column("time_limit_policies", "counts_from")
    op.drop_column("time_limit_policies", "unit")
    op.execute("ALTER TABLE time_limit_policies RENAME COLUMN days TO working_days")
