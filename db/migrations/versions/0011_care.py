"""care: screenings, risk flags, care sessions, counselling plans, crisis records, and
backlog cases (信访积案) with their leader, reviews and supervision; the care events

Revision ID: 0011_care
Revises: 0010_sessions
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models.base import JsonData

revision: str = "0011_care"
down_revision: str | None = "0010_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)
IMMUTABLE_MESSAGE = "petition_events are immutable"
OLD_EVENT_KINDS = (
    "SUBMITTED", "ACCEPTED", "CLASSIFIED", "ASSIGNED", "ASSIGNMENT_ACCEPTED",
    "ASSIGNMENT_RETURNED", "ASSIGNMENT_COMPLETED", "NOTE_ADDED", "SUSPENDED", "RESUMED",
    "EXTENSION_REQUESTED", "EXTENSION_APPROVED", "EXTENSION_REJECTED", "ANSWERED",
    "FEEDBACK_RECORDED", "CLOSED", "REOPENED", "BACKLOG_MARKED", "BACKLOG_CLEARED",
    "ESCALATED", "DEADLINE_APPROACHING", "OVERDUE", "REPEAT_LINKED", "DEADLINE_RECOMPUTED",
    "PETITIONER_UPDATED", "PARTIES_NAMED", "MEDIATION_OPENED", "MEDIATION_SESSION",
    "TIER_ESCALATED", "MEDIATION_CONCLUDED", "PAYMENT_RECORDED", "INSTALMENT_MISSED",
    "CONFIRMATION_ASKED", "CONFIRMATION_DECIDED", "ARBITRATION_OPENED", "HEARING_SCHEDULED",
    "AWARD_MADE", "AWARD_PAID", "LITIGATION_OPENED", "JUDGMENT_GIVEN",
)  # fmt: skip  (as 0009_disputes leaves them)
NEW_EVENT_KINDS = (
    *OLD_EVENT_KINDS, "RISK_FLAGGED", "SCREENED", "RISK_ALERT", "CRISIS", "BACKLOG_REVIEWED",
    "BACKLOG_SUPERVISED",
)


def _enum(values: Sequence[str], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True,
                   length=max(len(v) for v in values) + 8)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def _person_record(table: str, *columns: sa.Column | sa.UniqueConstraint,
                   fks: Sequence[tuple[str, str]] = ()) -> None:
    op.create_table(
        table,
        sa.Column("id", BIG_ID, nullable=False),
        *columns,
        *(_fk(table, column, target) for column, target in fks),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )


def upgrade() -> None:
    _person_record(
        "screenings",
        sa.Column("petitioner_id", BIG_ID, nullable=False),
        sa.Column("petition_id", BIG_ID, nullable=False),
        sa.Column("instrument", sa.String(64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("risk_level", _enum(("LOW", "MEDIUM", "HIGH", "CRISIS"), "risk_level"),
                  nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("organisation_id", BIG_ID, nullable=False),
        sa.Column("screened_by_id", BIG_ID, nullable=True),
        sa.Column("screened_at", TIME, nullable=False),
        fks=[("petitioner_id", "petitioners"), ("petition_id", "petitions"),
             ("organisation_id", "organisations"), ("screened_by_id", "staff_users")],
    )
    op.create_index("ix_screenings_petitioner_id", "screenings", ["petitioner_id"])
    _person_record(
        "risk_flags",
        sa.Column("petition_id", BIG_ID, nullable=False),
        sa.Column("kind", _enum(("SELF_HARM_THREAT", "BLOCKING_OFFICES", "EXTREME_WORDS",
                                 "OTHER"), "risk_flag_kind"), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("organisation_id", BIG_ID, nullable=False),
        sa.Column("flagged_by_id", BIG_ID, nullable=True),
        sa.Column("flagged_at", TIME, nullable=False),
        fks=[("petition_id", "petitions"), ("organisation_id", "organisations"),
             ("flagged_by_id", "staff_users")],
    )
    op.create_index("ix_risk_flags_petition_id", "risk_flags", ["petition_id"])
    _person_record(
        "care_sessions",
        sa.Column("petitioner_id", BIG_ID, nullable=False),
        sa.Column("kind", _enum(("ON_SITE", "HOME_VISIT", "HOTLINE"), "care_session_kind"),
                  nullable=False),
        sa.Column("refused", sa.Boolean(), nullable=False),
        sa.Column("counsellor", sa.String(64), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("participants", JsonData, nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.Column("organisation_id", BIG_ID, nullable=False),
        sa.Column("held_at", TIME, nullable=False),
        fks=[("petitioner_id", "petitioners"), ("organisation_id", "organisations")],
    )
    op.create_index("ix_care_sessions_petitioner_id_held_at", "care_sessions",
                    ["petitioner_id", "held_at"])
    _person_record(
        "counselling_plans",
        sa.Column("petitioner_id", BIG_ID, nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("review_dates", JsonData, nullable=False),
        sa.Column("organisation_id", BIG_ID, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        fks=[("petitioner_id", "petitioners"), ("organisation_id", "organisations")],
    )
    op.create_index("ix_counselling_plans_petitioner_id", "counselling_plans", ["petitioner_id"])
    _person_record(
        "crisis_records",
        sa.Column("petitioner_id", BIG_ID, nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("organisation_id", BIG_ID, nullable=False),
        sa.Column("recorded_at", TIME, nullable=False),
        fks=[("petitioner_id", "petitioners"), ("organisation_id", "organisations")],
    )
    op.create_index("ix_crisis_records_petitioner_id", "crisis_records", ["petitioner_id"])
    _person_record(
        "backlog_cases",
        sa.Column("petition_id", BIG_ID, nullable=False),
        sa.Column("leader_id", BIG_ID, nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("review_every_days", sa.Integer(), nullable=False),
        sa.Column("opened_at", TIME, nullable=False),
        sa.Column("next_review_due", sa.Date(), nullable=False),
        sa.Column("reviews", JsonData, nullable=False),
        sa.Column("supervision", sa.Text(), nullable=True),
        sa.Column("supervision_due", sa.Date(), nullable=True),
        sa.Column("closed_at", TIME, nullable=True),
        sa.Column("assessment", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("petition_id", name=op.f("uq_backlog_cases_petition_id")),
        fks=[("petition_id", "petitions"), ("leader_id", "staff_users")],
    )
    op.create_index("ix_backlog_cases_leader_id", "backlog_cases", ["leader_id"])
    _widen_event_kinds(NEW_EVENT_KINDS, OLD_EVENT_KINDS)


def _widen_event_kinds(new: Sequence[str], old: Sequence[str]) -> None:
    """Let `petition_events.kind` hold `new` (a non-native enum is a CHECK constraint);
    as in 0003_calendar."""
    if op.get_bind().dialect.name == "sqlite":
        # Batch mode copies the table, and the copy loses the triggers that keep the
        # timeline immutable, so they come back.
        op.execute("DROP TRIGGER IF EXISTS petition_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS petition_events_no_delete")
        with op.batch_alter_table("petition_events", recreate="always") as batch_op:
            batch_op.alter_column(
                "kind",
                existing_type=sa.Enum(*old, name="event_kind", native_enum=False,
                                      create_constraint=True, length=28),
                type_=sa.Enum(*new, name="event_kind", native_enum=False,
                              create_constraint=True, length=28),
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
    # The timeline is immutable: its care events stay, and so does the wider CHECK.
    for table in ("backlog_cases", "crisis_records", "counselling_plans", "care_sessions",
                  "risk_flags", "screenings"):
        op.drop_table(table)
