"""workflow: suspension, extension, feedback and escalation details on the appeal

Revision ID: 0002_workflow
Revises: 0001
Create Date: 2026-11-26

Plain ADD COLUMNs (no table rebuild: `petitions` is referenced by the immutable
timeline). SQLite cannot add constraints to an existing table, so there the
CHECKs and the foreign key are left to PostgreSQL; the application writes only
valid values either way.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_workflow"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = (
    "RECEIVED", "ACCEPTED", "ASSIGNED", "IN_PROGRESS", "ANSWERED", "FEEDBACK", "CLOSED",
    "RETURNED", "SUSPENDED", "EXTENDED", "REOPENED", "ESCALATED",
)
ESCALATIONS = ("MEDIATION", "ARBITRATION", "LITIGATION")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    columns: list[sa.Column] = [  # type: ignore[type-arg]
        sa.Column("suspended_from", sa.String(length=19), nullable=True),
        sa.Column("suspended_days_left", sa.Integer(), nullable=True),
        sa.Column("paused_working_days", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("extension_requested_days", sa.Integer(), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("feedback_comment", sa.Text(), nullable=True),
        sa.Column("escalated_to", sa.String(length=19), nullable=True),
        sa.Column("escalated_to_id", BigId, nullable=True),
    ]
    for column in columns:
        op.add_column("petitions", column)
    if op.get_bind().dialect.name == "sqlite":
        return
    listed = ", ".join(f"'{s}'" for s in STATUSES)
    # Named as the metadata's convention names them: ck_petitions_<name>.
    op.create_check_constraint("suspended_from", "petitions", f"suspended_from IN ({listed})")
    listed = ", ".join(f"'{s}'" for s in ESCALATIONS)
    op.create_check_constraint("escalation", "petitions", f"escalated_to IN ({listed})")
    op.create_foreign_key(
        op.f("fk_petitions_escalated_to_id_organisations"),
        "petitions",
        "organisations",
        ["escalated_to_id"],
        ["id"],
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_petitions_escalated_to_id_organisations"), "petitions")
        op.drop_constraint(op.f("ck_petitions_escalation"), "petitions")
        op.drop_constraint(op.f("ck_petitions_suspended_from"), "petitions")
    for name in (
        "escalated_to_id", "escalated_to", "feedback_comment", "extension_reason",
        "extension_requested_days", "paused_working_days", "suspended_days_left",
        "suspended_from",
    ):
        op.drop_column("petitions", name)
