"""An appeal's planned life as rows with explicit ids, ready for bulk inserts: the
petition as it stands at the demo's end, its assignments, its events and its links to
the earlier appeals it repeats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.demo.lifecycle import Life
from db.demo.mix import LEVEL_RANK, open_at
from db.demo.routing import Plan
from db.demo.world import Output, Person, World
from db.models import AssignmentStatus, Channel, DeadlineStart, Level


class Records:
    """The rows made so far, the next id of each table, and what the repeats of later
    appeals need to know of the earlier ones (their level, when they closed)."""

    def __init__(
        self, world: World, *, first_ids: dict[str, int], sequences: dict[str, int]
    ) -> None:
        self.w = world
        self.ids = dict(first_ids)
        self.out = Output(sequences=dict(sequences))
        self.level_of: list[Level] = []
        self.closed_of: list[datetime | None] = []

    def _next(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _emit(
        self,
        petition_id: int,
        number: str,
        plan: Plan,
        life: Life,
        due_at: datetime,
        provisional: bool,
        person: Person,
        channel: Channel,
        people_count: int,
        skipping: bool,
        earlier: list[int],
    ) -> None:
        w, end = self.w, self.w.end
        kept = [s for s in life.steps if s.at <= end]
        status = None
        row: dict[str, Any] = {
            "id": petition_id,
            "number": number,
            "title": plan.wording["title"][:200],
            "description": plan.wording["description"]
            + (f"（本次{people_count}人集体反映）" if plan.collective else ""),
            "category": plan.category,
            "matter": plan.matter,
            "channel": channel,
            "level": plan.level,
            "received_at": plan.at,
            "received_by_id": w.org_ids[plan.receiver],
            "community_id": plan.community.region_id,
            "petitioner_id": person.id,
            **person.contact,
            "people_count": people_count,
            "collective": plan.collective,
            "repeat_of_id": self._petition_id_of(earlier[0]) if earlier else None,
            "repeat_count": len(earlier),
            "level_skipping": skipping,
            "backlog": False,
            "backlog_owner": None,
            "due_at": due_at,
            "deadline_provisional": provisional,
            **w.limits(plan.category),
            "acceptance_due_at": due_at if w.acceptance_due(plan.at, plan.category) else None,
            "accepted_at": None,
            "extension_unit": None,
            "handling_starts_at": plan.at
            if w.limits(plan.category)["time_limit_from"] is DeadlineStart.RECEIPT
            else None,
            "suspended_at": None,
            "suspended_from": None,
            "suspended_days_left": None,
            "extension_days": 0,
            "answered_at": None,
            "answer": None,
            "closed_at": None,
            "resolved": None,
            "satisfaction": None,
            "client_request_id": None,
            "version": len(kept),
            "created_at": plan.at,
            "updated_at": kept[-1].at,
        }
        self.out.repeats.extend(
            {
                "petition_id": petition_id,
                "earlier_id": self._petition_id_of(j),
                "skipped_over": LEVEL_RANK[plan.level] > LEVEL_RANK[self.level_of[j]]
                and open_at(self.closed_of[j], plan.at),
            }
            for j in earlier
        )
        assignment_ids: dict[int, int] = {}
        assignment_rows: dict[int, dict[str, Any]] = {}
        for step in kept:
            if step.status is not None:
                status = step.status
            if step.petition:
                row.update(step.petition)
            if step.assignment is not None and step.assignment not in assignment_ids:
                planned = life.assignments[step.assignment]
                aid = self._next("assignments")
                assignment_ids[step.assignment] = aid
                assignment_rows[step.assignment] = {
                    "id": aid,
                    "petition_id": petition_id,
                    "organisation_id": w.org_ids[planned.org],
                    "role": planned.role,
                    "status": AssignmentStatus.PENDING,
                    "assigned_at": planned.assigned_at,
                    "assigned_by_id": w.org_ids[planned.assigned_by],
                    "due_at": planned.due_at,
                    "deadline_provisional": planned.provisional,
                    "accepted_at": None,
                    "returned_at": None,
                    "return_reason": None,
                    "completed_at": None,
                    "instructions": planned.instructions,
                }
            if step.assignment_fields and step.assignment is not None:
                assignment_rows[step.assignment].update(step.assignment_fields)
            self.out.events.append(
                (
                    step.at,
                    petition_id,
                    len(self.out.events),
                    {
                        "petition_id": petition_id,
                        "assignment_id": assignment_ids.get(step.assignment)
                        if step.assignment is not None
                        else None,
                        "kind": step.kind,
                        "occurred_at": step.at,
                        "actor_user_id": w.actors.get(step.org),
                        "actor_client_id": None,
                        "organisation_id": w.org_ids[step.org],
                        "data": step.data,
                    },
                )
            )
        assert status is not None
        row["status"] = status
        self.out.petitions.append(row)
        self.out.assignments.extend(assignment_rows.values())

    def _petition_id_of(self, index: int) -> int:
        return int(self.out.petitions[index]["id"])
