"""slice_counts: how many appeals each organisation's slice holds, kept by triggers

Revision ID: 0007_slice_counts
Revises: 0006_governance
Create Date: 2026-11-29

`totalCount` of an unfiltered list reads one row here instead of counting up to the whole
district. The triggers keep the rows in the same transaction as every insert or delete of
an appeal or an assignment, whoever writes (the domain, the demo loader, plain SQL); they
restate `resolvers.access.policy.petition_filter` (the receiver, every organisation ever
assigned, the street platform over the community) and `tests/test_slice_counts.py` holds
them to `count(*)` under concurrent writes. Row 0 counts the whole district (the hall).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_slice_counts"
down_revision: str | None = "0006_governance"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPSERT = (
    "INSERT INTO slice_counts (organisation_id, appeals) {select} "
    "ON CONFLICT (organisation_id) DO UPDATE SET appeals = slice_counts.appeals + "
    "excluded.appeals"
)
STREETS_OVER = (
    "FROM organisations o JOIN regions c ON c.parent_id = o.region_id "
    "WHERE o.kind = 'STREET_PLATFORM' AND c.id = {row}.community_id"
)


def petition_statements(row: str, delta: int) -> list[str]:
    """An appeal enters (or leaves) the district's count, its receiver's and its street
    platform's (once, if the platform received it itself)."""
    return [
        UPSERT.format(select=f"SELECT 0, {delta} WHERE true"),
        UPSERT.format(select=f"SELECT {row}.received_by_id, {delta} WHERE true"),
        UPSERT.format(
            select=f"SELECT o.id, {delta} " + STREETS_OVER.format(row=row)
            + f" AND o.id <> {row}.received_by_id"
        ),
    ]


def assignment_statements(row: str, delta: int) -> list[str]:
    """An organisation enters a slice with its first assignment of an appeal it did not
    already see (as receiver or street platform); it leaves with the last one."""
    return [UPSERT.format(select=(
        f"SELECT {row}.organisation_id, {delta} FROM petitions p "
        f"WHERE p.id = {row}.petition_id AND p.received_by_id <> {row}.organisation_id "
        "AND NOT EXISTS (SELECT 1 FROM assignments a "
        f"  WHERE a.petition_id = {row}.petition_id "
        f"  AND a.organisation_id = {row}.organisation_id AND a.id <> {row}.id) "
        "AND NOT EXISTS (SELECT 1 FROM organisations o JOIN regions c "
        "  ON c.parent_id = o.region_id "
        f"  WHERE o.id = {row}.organisation_id AND o.kind = 'STREET_PLATFORM' "
        "  AND c.id = p.community_id)"
    ))]


TRIGGERS = {
    # name: (table, event, statements)
    "slice_counts_petition_insert": ("petitions", "INSERT", petition_statements("NEW", 1)),
    "slice_counts_petition_delete": ("petitions", "DELETE", petition_statements("OLD", -1)),
    "slice_counts_assignment_insert": (
        "assignments", "INSERT", assignment_statements("NEW", 1)),
    "slice_counts_assignment_delete": (
        "assignments", "DELETE", assignment_statements("OLD", -1)),
}

BACKFILL = """
INSERT INTO slice_counts (organisation_id, appeals)
SELECT 0, count(*) FROM petitions
UNION ALL
SELECT organisation_id, count(*) FROM (
  SELECT received_by_id AS organisation_id, id AS petition_id FROM petitions
  UNION
  SELECT organisation_id, petition_id FROM assignments
  UNION
  SELECT o.id, p.id FROM organisations o
    JOIN regions c ON c.parent_id = o.region_id
    JOIN petitions p ON p.community_id = c.id
   WHERE o.kind = 'STREET_PLATFORM'
) AS seen GROUP BY organisation_id
"""


def upgrade() -> None:
    op.create_table(
        "slice_counts",
        sa.Column("organisation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("appeals", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_slice_counts")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, (table, event, statements) in TRIGGERS.items():
        if postgresql:
            # A concurrent writer assigning the same appeal waits for this one, then sees
            # its assignment (each statement of a plpgsql function takes a new snapshot).
            lock = (
                f"PERFORM 1 FROM petitions WHERE id = {'NEW' if event == 'INSERT' else 'OLD'}"
                ".petition_id FOR UPDATE;\n" if table == "assignments" else ""
            )
            body = "".join(s + ";\n" for s in statements)
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$\nBEGIN\n{lock}{body}"
                "RETURN NULL;\nEND\n$$ LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        else:
            body = "".join(s + ";\n" for s in statements)
            op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN\n{body}END")
    op.execute(BACKFILL)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, (table, _, _) in TRIGGERS.items():
        op.execute(f"DROP TRIGGER {name}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION {name}()")
    op.drop_table("slice_counts")
