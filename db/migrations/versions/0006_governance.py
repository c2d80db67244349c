"""governance: community profiles (基层治理数据库) and the leaders' figure targets

Revision ID: 0006_governance
Revises: 0005_days
Create Date: 2026-11-29
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0006_governance"
down_revision: str | None = "0005_days"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "community_profiles",
        sa.Column("community_id", BIG_ID, nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("housing_units", sa.Integer(), nullable=False),
        sa.Column("public_facilities", sa.Integer(), nullable=False),
        sa.Column("public_services", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["regions.id"],
                                name=op.f("fk_community_profiles_community_id_regions")),
        sa.PrimaryKeyConstraint("community_id", name=op.f("pk_community_profiles")),
    )
    op.create_table(
        "figure_targets",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Numeric(6, 4), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_figure_targets")),
    )
    # The seed's own figures as the starting targets (99% completed, 99% resolved).
    targets = sa.table("figure_targets", sa.column("key", sa.String), sa.column("value"),
                       sa.column("updated_at", sa.DateTime(timezone=True)))
    now = datetime.now(UTC)
    op.execute(targets.insert().values([
        {"key": "completion_rate", "value": 0.99, "updated_at": now},
        {"key": "on_time_rate", "value": 0.95, "updated_at": now},
        {"key": "resolution_rate", "value": 0.99, "updated_at": now},
        {"key": "satisfaction_rate", "value": 0.95, "updated_at": now},
    ]))


def downgrade() -> None:
    op.drop_table("figure_targets")
    op.drop_table("community_profiles")
