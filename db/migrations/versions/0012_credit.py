"""credit: credit records on enterprises with their own history; a judgment's payment;
the timeline's credit events

Revision ID: 0012_credit
Revises: 0011_care
Create Date: 2026-11-30

`litigation_cases` gains `judgment_paid_at` by a plain ADD COLUMN (a judgment left
unpaid raises a dishonest-list proposal, a paid one lets the centre repair it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models.base import JsonData

revision: str = "0012_credit"
down_revision: str | None = "0011_care"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)
IMMUTABLE_MESSAGE = "petition_events are immutable"
OLD_EVENT_KINDS = (
    "SUBMITTED",
    "ACCEPTED",
    "CLASSIFIED",
    "ASSIGNED",
    "ASSIGNMENT_ACCEPTED",
    "ASSIGNMENT_RETURNED",
    "ASSIGNMENT_COMPLETED",
    "NOTE_ADDED",
    "SUSPENDED",
    "RESUMED",
    "EXTENSION_REQUESTED",
    "EXTENSION_APPROVED",
    "EXTENSION_REJECTED",
    "ANSWERED",
    "FEEDBACK_RECORDED",
    "CLOSED",
    "REOPENED",
    "BACKLOG_MARKED",
    "BACKLOG_CLEARED",
    "ESCALATED",
    "DEADLINE_APPROACHING",
    "OVERDUE",
    "REPEAT_LINKED",
    "DEADLINE_RECOMPUTED",
    "PETITIONER_UPDATED",
    "PARTIES_NAMED",
    "MEDIATION_OPENED",
    "MEDIATION_SESSION",
    "TIER_ESCALATED",
    "MEDIATION_CONCLUDED",
    "PAYMENT_RECORDED",
    "INSTALMENT_MISSED",
    "CONFIRMATION_ASKED",
    "CONFIRMATION_DECIDED",
    "ARBITRATION_OPENED",
    "HEARING_SCHEDULED",
    "AWARD_MADE",
    "AWARD_PAID",
    "LITIGATION_OPENED",
    "JUDGMENT_GIVEN",
    "RISK_FLAGGED",
    "SCREENED",
    "RISK_ALERT",
    "CRISIS",
    "BACKLOG_REVIEWED",
    "BACKLOG_SUPERVISED",
)  # fmt: skip  (as 0011_care leaves them)
NEW_EVENT_KINDS = (*OLD_EVENT_KINDS, "JUDGMENT_PAID", "CREDIT_RECORDED", "CREDIT_REPAIRED")
CREDIT_EVENT_KINDS = ("CREDIT_PROPOSED", "CREDIT_CONFIRMED", "CREDIT_REJECTED",
                      "CREDIT_RECORDED", "CREDIT_REPAIRED")  # fmt: skip


def _enum(values: Sequence[str], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True,
                   length=max(len(v) for v in values) + 8)  # fmt: skip


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"))  # fmt: skip


def upgrade() -> None:
    op.add_column("litigation_cases", sa.Column("judgment_paid_at", TIME, nullable=True))
    references = [
        ("enterprise_id", "enterprises"), ("petition_id", "petitions"),
        ("mediation_case_id", "mediation_cases"), ("instalment_id", "instalments"),
        ("arbitration_case_id", "arbitration_cases"), ("litigation_case_id", "litigation_cases"),
        ("repairs_id", "credit_records"), ("organisation_id", "organisations"),
        ("recorded_by_id", "staff_users"), ("decided_by_id", "staff_users"),
    ]  # fmt: skip
    op.create_table(
        "credit_records",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("enterprise_id", BIG_ID, nullable=False),
        sa.Column("kind", _enum(("COMMITMENT", "WARNING", "WAGE_ARREARS", "DISHONEST",
                                 "COMMENDATION", "REPAIR"), "credit_kind"), nullable=False),
        sa.Column("stage", _enum(("BEFORE", "DURING", "AFTER"), "dispute_stage"), nullable=False),
        sa.Column("status", _enum(("PROPOSED", "CONFIRMED", "REJECTED", "REPAIRED"),
                                  "credit_status"), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("petition_id", BIG_ID, nullable=True),
        sa.Column("mediation_case_id", BIG_ID, nullable=True),
        sa.Column("instalment_id", BIG_ID, nullable=True),
        sa.Column("arbitration_case_id", BIG_ID, nullable=True),
        sa.Column("litigation_case_id", BIG_ID, nullable=True),
        sa.Column("repairs_id", BIG_ID, nullable=True),
        sa.Column("source_key", sa.String(48), nullable=True),
        sa.Column("organisation_id", BIG_ID, nullable=False),
        sa.Column("recorded_by_id", BIG_ID, nullable=True),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_until", sa.Date(), nullable=True),
        sa.Column("decided_at", TIME, nullable=True),
        sa.Column("decided_by_id", BIG_ID, nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        *(_fk("credit_records", column, target) for column, target in references),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_records")),
        sa.UniqueConstraint("source_key", name=op.f("uq_credit_records_source_key")),
    )  # fmt: skip
    op.create_index("ix_credit_records_enterprise_id_recorded_at", "credit_records",
                    ["enterprise_id", "recorded_at"])  # fmt: skip
    for column in ("status", "petition_id", "repairs_id", "organisation_id"):
        op.create_index(f"ix_credit_records_{column}", "credit_records", [column])
    op.create_table(
        "credit_events",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("record_id", BIG_ID, nullable=False),
        sa.Column("kind", _enum(CREDIT_EVENT_KINDS, "credit_event_kind"), nullable=False),
        sa.Column("occurred_at", TIME, nullable=False),
        sa.Column("actor_user_id", BIG_ID, nullable=True),
        sa.Column("actor_client_id", BIG_ID, nullable=True),
        sa.Column("organisation_id", BIG_ID, nullable=True),
        sa.Column("data", JsonData, nullable=False),
        _fk("credit_events", "record_id", "credit_records"),
        _fk("credit_events", "actor_user_id", "staff_users"),
        _fk("credit_events", "actor_client_id", "api_clients"),
        _fk("credit_events", "organisation_id", "organisations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_events")),
    )
    op.create_index("ix_credit_events_record_id_id", "credit_events", ["record_id", "id"])
    _widen_event_kinds(NEW_EVENT_KINDS, OLD_EVENT_KINDS)


def _widen_event_kinds(new: Sequence[str], old: Sequence[str]) -> None:
    """Let `petition_events.kind` hold `new` (a non-native enum is a CHECK constraint);
    as in 0011_care."""
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
            )  # fmt: skip
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
    # The timeline is immutable: its credit events stay, and so does the wider CHECK.
    op.drop_table("credit_events")
    op.drop_table("credit_records")
    with op.batch_alter_table("litigation_cases") as batch_op:
        batch_op.drop_column("judgment_paid_at")
