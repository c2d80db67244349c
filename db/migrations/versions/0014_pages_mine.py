"""我经办的 kept: the appeals each staff member wrote an event on, and how many, by triggers

Revision ID: 0014_pages_mine
Revises: 0013_worklist_views
Create Date: 2026-11-30

The worklist counts its 我经办的 tab on every view. Counted from `petition_events`, the
hall's dispatcher's count read every event they ever wrote (92,000 index entries over
the 100,000-appeal demo: 60–140 ms of the database, in parallel workers, per page).
`staff_appeals` holds each (staff member, appeal) pair once, inserted by a trigger on
`petition_events` in the same transaction as the event (events are immutable: never
updated or deleted); a trigger on `staff_appeals` keeps `staff_appeal_counts`, which
the hall (whose slice is the whole district) reads as one row. A concurrent writer of
the same pair waits on the primary key and then inserts nothing, so no pair is counted
twice. `tests/test_worklist_mine_counts.py` holds them to the events.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_pages_mine"
down_revision: str | None = "0013_worklist_views"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAIR = (
    "INSERT INTO staff_appeals (user_id, petition_id) "
    "VALUES (NEW.actor_user_id, NEW.petition_id) ON CONFLICT DO NOTHING"
)
COUNT = (
    "INSERT INTO staff_appeal_counts (user_id, appeals) VALUES (NEW.user_id, 1) "
    "ON CONFLICT (user_id) DO UPDATE SET appeals = staff_appeal_counts.appeals + 1"
)
TRIGGERS = {
    # name: (table, condition, statement)
    "staff_appeals_event_insert": ("petition_events", "NEW.actor_user_id IS NOT NULL", PAIR),
    "staff_appeal_counts_insert": ("staff_appeals", None, COUNT),
}

BACKFILL = [
    "INSERT INTO staff_appeals (user_id, petition_id) SELECT DISTINCT actor_user_id, "
    "petition_id FROM petition_events WHERE actor_user_id IS NOT NULL",
    "INSERT INTO staff_appeal_counts (user_id, appeals) SELECT user_id, count(*) "
    "FROM staff_appeals GROUP BY user_id",
]

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "staff_appeals",
        sa.Column("user_id", BIG_ID, nullable=False),
        sa.Column("petition_id", BIG_ID, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "petition_id", name=op.f("pk_staff_appeals")),
    )
    op.create_table(
        "staff_appeal_counts",
        sa.Column("user_id", BIG_ID, nullable=False),
        sa.Column("appeals", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_staff_appeal_counts")),
    )
    for statement in BACKFILL:
        op.execute(statement)
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, (table, condition, statement) in TRIGGERS.items():
        when = f" WHEN ({condition})" if condition else ""
        if postgresql:
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$\nBEGIN\n{statement};\n"
                "RETURN NULL;\nEND\n$$ LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER INSERT ON {table} FOR EACH ROW{when} "
                f"EXECUTE FUNCTION {name}()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {name} AFTER INSERT ON {table}{when} BEGIN\n{statement};\nEND"
            )
    if postgresql:
        op.execute("ANALYZE staff_appeals")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, (table, _, _) in TRIGGERS.items():
        op.execute(f"DROP TRIGGER {name}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION {name}()")
    op.drop_table("staff_appeal_counts")
    op.drop_table("staff_appeals")
