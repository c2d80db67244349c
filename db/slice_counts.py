"""The tables kept by triggers, and how a bulk load keeps them.

`slice_counts` (migration `0007_slice_counts`): how many appeals each organisation's
slice holds. `staff_appeals`, `staff_appeal_counts` and `lead_assignments` (migration
`0014_pages_kept`): what each staff member acted on, and the lead assignments by matter.
`RECOUNT` and `REBUILD` compute them all afresh; a bulk load switches the row triggers
off while it writes and rebuilds once (`bulk_load`): a trigger per row would update the
same few rows (an organisation's count, a staff member's) a hundred thousand times in
one transaction, and PostgreSQL's work per update grows with the versions of the row
that transaction left.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# The same query as migration 0007_slice_counts' backfill (a migration keeps its own copy:
# its text must not change when this module does).
RECOUNT = """
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
# The same statements as migration 0014_pages_kept's backfill.
REBUILD = [
    "INSERT INTO staff_appeals (user_id, petition_id) SELECT DISTINCT actor_user_id, "
    "petition_id FROM petition_events WHERE actor_user_id IS NOT NULL",
    "INSERT INTO staff_appeal_counts (user_id, appeals) SELECT user_id, count(*) "
    "FROM staff_appeals GROUP BY user_id",
    "INSERT INTO lead_assignments (assignment_id, petition_id, matter, organisation_id, "
    "assigned_at) SELECT a.id, a.petition_id, p.matter, a.organisation_id, a.assigned_at "
    "FROM assignments a JOIN petitions p ON p.id = a.petition_id WHERE a.role = 'LEAD'",
]
KEPT = ["slice_counts", "staff_appeals", "staff_appeal_counts", "lead_assignments"]
# The row triggers a load of new appeals, assignments and events fires (the updates'
# triggers stay on: what they keep is rebuilt after the load all the same).
INSERT_TRIGGERS = [
    ("petitions", "slice_counts_petition_insert"),
    ("assignments", "slice_counts_assignment_insert"),
    ("assignments", "lead_assignments_insert"),
    ("petition_events", "staff_appeals_event_insert"),
    ("staff_appeals", "staff_appeal_counts_insert"),
]
# PostgreSQL, in the load's transaction: before the rows, and after them.
BEFORE_LOAD = [f"ALTER TABLE {t} DISABLE TRIGGER {n}" for t, n in INSERT_TRIGGERS]
AFTER_LOAD = [
    *(f"DELETE FROM {table}" for table in KEPT),
    RECOUNT,
    *REBUILD,
    *(f"ALTER TABLE {t} ENABLE TRIGGER {n}" for t, n in INSERT_TRIGGERS),
]


@contextlib.asynccontextmanager
async def bulk_load(session: AsyncSession) -> AsyncIterator[None]:
    """Inside the session's transaction: on PostgreSQL, the insert triggers off while the
    block writes, then every count recomputed and the triggers on again (all or nothing
    with the load). SQLite updates a row in place: its triggers stay on."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    for statement in BEFORE_LOAD if postgresql else []:
        await session.execute(text(statement))
    yield
    for statement in AFTER_LOAD if postgresql else []:
        await session.execute(text(statement))
