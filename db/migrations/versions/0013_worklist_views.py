"""worklist views: an index for 我经办的 (the appeals a staff member wrote an event on)

Revision ID: 0013_worklist_views
Revises: 0012_credit
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_worklist_views"
down_revision: str | None = "0012_credit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_petition_events_actor_user_id_petition_id",
        "petition_events",
        ["actor_user_id", "petition_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_petition_events_actor_user_id_petition_id", table_name="petition_events")
