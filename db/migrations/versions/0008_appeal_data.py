"""appeal data: contact details per appeal, request fingerprints, repeat links

Revision ID: 0008_appeal_data
Revises: 0007_slice_counts
Create Date: 2026-11-29

- `petitions.petitioner_name/phone/address`: the contact details given with each
  appeal, backfilled from the petitioner's record as it stands.
- `petitions.client_request_fingerprint`: what a retry must match (NULL for old rows).
- `petition_repeats`: each appeal's earlier appeals on the same matter, backfilled
  from the appeals as they are (same person, same matter, the twelve months before).
- `PETITIONER_UPDATED`, the event of the hall's correction of a petitioner's record.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0008_appeal_data"
down_revision: str | None = "0007_slice_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OLD_EVENT_KINDS = (
    "SUBMITTED", "ACCEPTED", "CLASSIFIED", "ASSIGNED", "ASSIGNMENT_ACCEPTED",
    "ASSIGNMENT_RETURNED", "ASSIGNMENT_COMPLETED", "NOTE_ADDED", "SUSPENDED", "RESUMED",
    "EXTENSION_REQUESTED", "EXTENSION_APPROVED", "EXTENSION_REJECTED", "ANSWERED",
    "FEEDBACK_RECORDED", "CLOSED", "REOPENED", "BACKLOG_MARKED", "BACKLOG_CLEARED",
    "ESCALATED", "DEADLINE_APPROACHING", "OVERDUE", "REPEAT_LINKED", "DEADLINE_RECOMPUTED",
)  # fmt: skip
NEW_EVENT_KINDS = (*OLD_EVENT_KINDS, "PETITIONER_UPDATED")
IMMUTABLE_MESSAGE = "petition_events are immutable"
REPEAT_WINDOW = timedelta(days=365)
LEVEL_RANK = {"COMMUNITY": 0, "STREET": 1, "DISTRICT": 2, "CITY": 3}


def _enum(values: Sequence[str], name: str, length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def upgrade() -> None:
    with op.batch_alter_table("petitions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("petitioner_name", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("petitioner_phone", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column(
                "petitioner_address", sa.String(length=200), nullable=False, server_default=""
            )
        )
        batch_op.add_column(
            sa.Column("client_request_fingerprint", sa.String(length=64), nullable=True)
        )
    op.execute(
        "UPDATE petitions SET "
        "petitioner_name = COALESCE((SELECT name FROM petitioners "
        "WHERE petitioners.id = petitions.petitioner_id), ''), "
        "petitioner_phone = (SELECT phone FROM petitioners "
        "WHERE petitioners.id = petitions.petitioner_id), "
        "petitioner_address = COALESCE((SELECT address FROM petitioners "
        "WHERE petitioners.id = petitions.petitioner_id), '') "
        "WHERE petitioner_id IS NOT NULL"
    )

    repeats = op.create_table(
        "petition_repeats",
        sa.Column("petition_id", BIG_ID, nullable=False),
        sa.Column("earlier_id", BIG_ID, nullable=False),
        sa.Column("skipped_over", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["earlier_id"], ["petitions.id"], name=op.f("fk_petition_repeats_earlier_id_petitions")
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.id"],
            name=op.f("fk_petition_repeats_petition_id_petitions"),
        ),
        sa.PrimaryKeyConstraint("petition_id", "earlier_id", name=op.f("pk_petition_repeats")),
    )
    with op.batch_alter_table("petition_repeats", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_petition_repeats_earlier_id"), ["earlier_id"], unique=False
        )
    _backfill_repeats(repeats)
    _widen_event_kinds(NEW_EVENT_KINDS, OLD_EVENT_KINDS)
    if op.get_bind().dialect.name == "postgresql":
        # Without statistics the planner scans the new table for every page of appeals
        # (36 ms instead of 1 ms for a street platform's 50 over the demo) until autovacuum.
        op.execute("ANALYZE petition_repeats")


def _backfill_repeats(repeats: sa.Table) -> None:
    """Link every appeal marked as a repeat to its earlier appeals, as intake does."""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT p.id, pp.id_hash, p.matter, p.received_at, p.level, p.closed_at, "
            "p.repeat_count FROM petitions p JOIN petitioners pp ON pp.id = p.petitioner_id "
            "WHERE pp.id_hash IS NOT NULL ORDER BY p.id"
        ).columns(
            received_at=sa.DateTime(timezone=True), closed_at=sa.DateTime(timezone=True)
        )
    ).all()
    groups: dict[tuple[str, str], list[sa.Row]] = defaultdict(list)  # type: ignore[type-arg]
    links: list[dict[str, object]] = []
    for row in rows:
        group = groups[(row.id_hash, row.matter)]
        if row.repeat_count:
            for earlier in group:
                if row.received_at - REPEAT_WINDOW <= earlier.received_at <= row.received_at:
                    still_open = earlier.closed_at is None or earlier.closed_at > row.received_at
                    links.append({
                        "petition_id": row.id, "earlier_id": earlier.id,
                        "skipped_over": still_open
                        and LEVEL_RANK[row.level] > LEVEL_RANK[earlier.level],
                    })  # fmt: skip
        group.append(row)
    for start in range(0, len(links), 5000):
        op.bulk_insert(repeats, links[start : start + 5000])


def _widen_event_kinds(new: Sequence[str], old: Sequence[str]) -> None:
    """Let `petition_events.kind` hold `new` (a non-native enum is a CHECK constraint)."""
    if op.get_bind().dialect.name == "sqlite":
        # As in 0003: batch mode copies the table and loses the immutability triggers.
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
    with op.batch_alter_table("petition_repeats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_repeats_earlier_id"))
    op.drop_table("petition_repeats")
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): batch mode would copy `petitions`,
    # which other tables reference.
    for name in (
        "client_request_fingerprint", "petitioner_address", "petitioner_phone", "petitioner_name"
    ):
        op.drop_column("petitions", name)
