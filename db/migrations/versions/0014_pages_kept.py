"""kept for the pages: 我经办的 (staff_appeals, staff_appeal_counts) and the leads by
matter (lead_assignments), by triggers

Revision ID: 0014_pages_kept
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
twice.

The 交办 picker's suggestions count, by matter, the appeals each organisation led in
the last year (`resolvers/workflow/dispatch.py: _usual_leads`): joined from
`assignments` and `petitions`, 100–280 ms per appeal page over the demo.
`lead_assignments` is a narrow copy of the LEAD assignments with their appeal's matter,
indexed by (matter, assigned_at, organisation_id), kept by triggers on every insert,
update and delete of an assignment and every change of an appeal's matter.
`tests/test_kept_for_pages.py` holds all of them to the tables they are kept from.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_pages_kept"
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
LEAD = (
    "INSERT INTO lead_assignments (assignment_id, petition_id, matter, organisation_id, "
    "assigned_at) SELECT NEW.id, NEW.petition_id, p.matter, NEW.organisation_id, "
    "NEW.assigned_at FROM petitions p WHERE p.id = NEW.petition_id AND NEW.role = 'LEAD'"
)
UNLEAD = "DELETE FROM lead_assignments WHERE assignment_id = OLD.id"
MATTER = "UPDATE lead_assignments SET matter = NEW.matter WHERE petition_id = NEW.id"

TRIGGERS = {
    # name: (table, event, condition, statements)
    "staff_appeals_event_insert": (
        "petition_events", "INSERT", "NEW.actor_user_id IS NOT NULL", [PAIR]),
    "staff_appeal_counts_insert": ("staff_appeals", "INSERT", None, [COUNT]),
    "lead_assignments_insert": ("assignments", "INSERT", "NEW.role = 'LEAD'", [LEAD]),
    "lead_assignments_update": ("assignments", "UPDATE", None, [UNLEAD, LEAD]),
    "lead_assignments_delete": ("assignments", "DELETE", "OLD.role = 'LEAD'", [UNLEAD]),
    "lead_assignments_matter": (
        "petitions", "UPDATE", "NEW.matter <> OLD.matter", [MATTER]),
}  # fmt: skip

BACKFILL = [
    "INSERT INTO staff_appeals (user_id, petition_id) SELECT DISTINCT actor_user_id, "
    "petition_id FROM petition_events WHERE actor_user_id IS NOT NULL",
    "INSERT INTO staff_appeal_counts (user_id, appeals) SELECT user_id, count(*) "
    "FROM staff_appeals GROUP BY user_id",
    "INSERT INTO lead_assignments (assignment_id, petition_id, matter, organisation_id, "
    "assigned_at) SELECT a.id, a.petition_id, p.matter, a.organisation_id, a.assigned_at "
    "FROM assignments a JOIN petitions p ON p.id = a.petition_id WHERE a.role = 'LEAD'",
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
    op.create_table(
        "lead_assignments",
        sa.Column("assignment_id", BIG_ID, nullable=False),
        sa.Column("petition_id", BIG_ID, nullable=False),
        sa.Column("matter", sa.String(40), nullable=False),
        sa.Column("organisation_id", BIG_ID, nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("assignment_id", name=op.f("pk_lead_assignments")),
    )
    op.create_index(
        "ix_lead_assignments_matter_assigned_at",
        "lead_assignments",
        ["matter", "assigned_at", "organisation_id"],
    )
    op.create_index("ix_lead_assignments_petition_id", "lead_assignments", ["petition_id"])
    for statement in BACKFILL:
        op.execute(statement)
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, (table, event, condition, statements) in TRIGGERS.items():
        when = f" WHEN ({condition})" if condition else ""
        body = "".join(s + ";\n" for s in statements)
        if postgresql:
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$\nBEGIN\n{body}"
                "RETURN NULL;\nEND\n$$ LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} "
                f"EXECUTE FUNCTION {name}()"
            )
        else:
            op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table}{when} BEGIN\n{body}END")
    if postgresql:
        op.execute("ANALYZE staff_appeals")
        op.execute("ANALYZE lead_assignments")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, (table, _, _, _) in TRIGGERS.items():
        op.execute(f"DROP TRIGGER {name}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION {name}()")
    op.drop_table("lead_assignments")
    op.drop_table("staff_appeal_counts")
    op.drop_table("staff_appeals")
