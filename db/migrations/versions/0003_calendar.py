"""calendar, time-limit policies and deadline alerts as data

Revision ID: 0003_calendar
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003_calendar"
down_revision: str | None = "0002_workflow"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SOURCES = ("CHINESECALENDAR", "IMPORT")
STAGES = ("HANDLING", "ACCEPTANCE", "EXTENSION")
CATEGORIES = ("CONSULTATION", "SUGGESTION", "COMPLAINT", "REPORT", "ASSISTANCE", "PETITION")
OLD_EVENT_KINDS = (
    "SUBMITTED", "ACCEPTED", "CLASSIFIED", "ASSIGNED", "ASSIGNMENT_ACCEPTED",
    "ASSIGNMENT_RETURNED", "ASSIGNMENT_COMPLETED", "NOTE_ADDED", "SUSPENDED", "RESUMED",
    "EXTENSION_REQUESTED", "EXTENSION_APPROVED", "EXTENSION_REJECTED", "ANSWERED",
    "FEEDBACK_RECORDED", "CLOSED", "REOPENED", "BACKLOG_MARKED", "BACKLOG_CLEARED",
    "ESCALATED", "DEADLINE_APPROACHING", "OVERDUE", "REPEAT_LINKED",
)  # fmt: skip
NEW_EVENT_KINDS = (*OLD_EVENT_KINDS, "DEADLINE_RECOMPUTED")
IMMUTABLE_MESSAGE = "petition_events are immutable"

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# (code, category, stage, working days, description)
POLICIES = [
    ("CONSULTATION.HANDLING", "CONSULTATION", "HANDLING", 1, "咨询：1个工作日内答复"),
    ("SUGGESTION.HANDLING", "SUGGESTION", "HANDLING", 3, "建议：3个工作日内办理"),
    ("COMPLAINT.HANDLING", "COMPLAINT", "HANDLING", 7, "投诉：7个工作日内办理"),
    ("REPORT.HANDLING", "REPORT", "HANDLING", 7, "举报：7个工作日内办理"),
    ("ASSISTANCE.HANDLING", "ASSISTANCE", "HANDLING", 3, "求助：3个工作日内办理"),
    ("PETITION.HANDLING", "PETITION", "HANDLING", 60, "信访工作条例（2022）第三十二条：60日内办结"),
    ("PETITION.ACCEPTANCE", "PETITION", "ACCEPTANCE", 15, "信访工作条例（2022）：15日内决定是否受理并告知"),
    ("PETITION.EXTENSION", "PETITION", "EXTENSION", 30, "信访工作条例（2022）：延期不超过30日"),
]  # fmt: skip


def _enum(values: Sequence[str], name: str, length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def upgrade() -> None:
    calendar_days = op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("source", _enum(SOURCES, "calendar_source", 23), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )
    calendar_years = op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", _enum(SOURCES, "calendar_source", 23), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("official", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )
    policies = op.create_table(
        "time_limit_policies",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("category", _enum(CATEGORIES, "category", 20), nullable=True),
        sa.Column("stage", _enum(STAGES, "policy_stage", 18), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_limit_policies")),
        sa.UniqueConstraint("code", name=op.f("uq_time_limit_policies_code")),
    )
    op.create_table(
        "deadline_alerts",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("petition_id", BIG_ID, nullable=False),
        sa.Column("assignment_key", sa.BigInteger(), nullable=False),
        sa.Column("kind", _enum(NEW_EVENT_KINDS, "event_kind", 28), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.id"],
            name=op.f("fk_deadline_alerts_petition_id_petitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_alerts")),
        sa.UniqueConstraint(
            "petition_id", "assignment_key", "kind", name=op.f("uq_deadline_alerts_petition_id")
        ),
    )
    _widen_event_kinds(NEW_EVENT_KINDS, OLD_EVENT_KINDS)
    _seed_calendar(calendar_days, calendar_years)
    now = datetime.now(UTC)
    op.bulk_insert(
        policies,
        [
            {
                "code": code,
                "category": category,
                "stage": stage,
                "working_days": days,
                "description": description,
                "active": True,
                "updated_at": now,
            }
            for code, category, stage, days, description in POLICIES
        ],
    )


def _seed_calendar(calendar_days: sa.Table, calendar_years: sa.Table) -> None:
    from chinese_calendar import constants

    rows = [
        {"day": d, "working": False, "name": HOLIDAY_NAMES.get(n, n), "source": "CHINESECALENDAR"}
        for d, n in constants.holidays.items()
    ] + [
        {"day": d, "working": True, "name": HOLIDAY_NAMES.get(n, n) + "调休",
         "source": "CHINESECALENDAR"}
        for d, n in constants.workdays.items()
    ]  # fmt: skip
    op.bulk_insert(calendar_days, rows)
    first, last = min(constants.holidays).year, max(constants.holidays).year
    now = datetime.now(UTC)
    op.bulk_insert(
        calendar_years,
        [
            {"year": y, "source": "CHINESECALENDAR", "imported_at": now, "official": True}
            for y in range(first, last + 1)
        ],
    )


def _widen_event_kinds(new: Sequence[str], old: Sequence[str]) -> None:
    """Let `petition_events.kind` hold `new` (a non-native enum is a CHECK constraint)."""
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot alter a CHECK: batch mode copies the table, and the copy
        # loses the triggers that keep the timeline immutable, so they come back.
        op.execute("DROP TRIGGER IF EXISTS petition_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS petition_events_no_delete")
        with op.batch_alter_table("petition_events", recreate="always") as batch_op:
            batch_op.alter_column(
                "kind",
                existing_type=_enum(old, "event_kind", 28),
                type_=_enum(new, "event_kind", 28),
                existing_nullable=False,
            )
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER petition_events_no_{action.lower()} BEFORE {action} "
                f"ON petition_events BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END"
            )
    else:
        values = ", ".join(f"'{v}'" for v in new)
        op.execute("ALTER TABLE petition_events DROP CONSTRAINT ck_petition_events_event_kind")
        op.execute(
            "ALTER TABLE petition_events ADD CONSTRAINT ck_petition_events_event_kind "
            f"CHECK (kind IN ({values}))"
        )


def downgrade() -> None:
    _widen_event_kinds(OLD_EVENT_KINDS, NEW_EVENT_KINDS)
    op.drop_table("deadline_alerts")
    op.drop_table("time_limit_policies")
    op.drop_table("calendar_years")
    op.drop_table("calendar_days")
