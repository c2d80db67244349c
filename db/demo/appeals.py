"""A year of appeals: who brings what, where, through which channel, and what then happens.

Pure generation: rows as dicts with explicit ids, ready for bulk inserts. Appeals are
generated in order of receipt, so repeats (same petitioner, same matter within twelve
months) and level-skipping are found exactly as intake finds them.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import accumulate
from typing import Any

from db.demo import people, texts
from db.demo.lifecycle import Life
from db.demo.mix import (
    AT_SITE,
    BACKLOG_MATTERS,
    CATEGORIES,
    CHANNELS,
    COLLECTIVE_MATTERS,
    LEVEL_RANK,
    LEVELS,
    MATTER_WEIGHTS,
    MATTERS,
    P_REPEAT,
    P_REUSE,
    REPEAT_WINDOW,
    SATISFACTION,
    SITES_FOR,
    UP,
    open_at,
    receipt_times,
    weighted,
)
from db.demo.places import HALL_CODE, ROADS
from db.demo.routing import Plan, plan_life
from db.demo.world import Community, Output, World
from db.models import (
    AssignmentStatus,
    Category,
    Channel,
    DeadlineStart,
    Level,
    Matter,
    SiteKind,
)


@dataclass
class Person:
    id: int
    community: Community
    contact: dict[str, Any] = field(default_factory=dict)  # name, phone, address


class Generator:
    def __init__(
        self,
        world: World,
        rng: random.Random,
        count: int,
        *,
        first_ids: dict[str, int],
        sequences: dict[str, int],
    ) -> None:
        self.w, self.rng, self.count = world, rng, count
        self.ids = dict(first_ids)
        self.out = Output(sequences=dict(sequences))
        self.times = receipt_times(rng, count, world.tz)
        self.person_of: list[Person] = []
        self.matter_of: list[Matter] = []
        self.level_of: list[Level] = []
        self.closed_of: list[datetime | None] = []
        self.number_of: list[str] = []
        self.by_person_matter: dict[tuple[int, Matter], list[int]] = {}
        self.community_cum = list(accumulate(c.population for c in world.communities))
        self.stuck, self.backlog, self.cleared = self._long_runners()

    def _long_runners(self) -> tuple[set[int], set[int], set[int]]:
        """Appeals that stay open for months (some made backlog cases) or close very late."""
        n = self.count
        stuck_n = max(2, round(n * 0.0024))
        backlog_n = min(stuck_n, max(1, round(n * 0.0012)))
        cleared_n = max(1, round(n * 0.0003))
        end = self.w.end - timedelta(days=40)
        pool = [i for i, t in enumerate(self.times) if t < end and t.month != 12]
        chosen = self.rng.sample(pool, min(len(pool), stuck_n + cleared_n))
        stuck = set(chosen[:stuck_n])
        ranked = sorted(stuck, key=lambda i: self.times[i])
        return stuck, set(ranked[:backlog_n]), set(chosen[stuck_n:])

    def _new_person(self, at: datetime) -> Person:
        rng = self.rng
        community = people.pick(rng, self.w.communities, self.community_cum)
        male = rng.random() < 0.55
        id_number = people.resident_id(rng, male)
        person = Person(self._next("petitioners"), community)
        road = rng.choice(ROADS)
        self.out.petitioners.append(
            {
                "id": person.id,
                "name": people.person_name(rng, male),
                "id_number": id_number,
                "id_hash": self.w.keyed_hash(id_number),
                "phone": people.mobile(rng),
                "address": f"深圳市坪山区{community.street}街道{community.name}社区"
                f"{road}{rng.randint(1, 300)}号",
                "community_id": community.region_id,
                "created_at": at,
            }
        )
        record = self.out.petitioners[-1]
        person.contact = {
            "petitioner_name": record["name"],
            "petitioner_phone": record["phone"],
            "petitioner_address": record["address"],
        }
        return person

    def _next(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def run(self, tick: Callable[[int], None] | None = None) -> Output:
        for index, at in enumerate(self.times):
            self._appeal(index, at)
            if tick and index % 500 == 499:
                tick(500)
        if tick:
            tick(self.count % 500)
        return self.out

    def _who_and_what(self, index: int, at: datetime) -> tuple[Person, Matter, bool]:
        rng = self.rng
        special = index in self.stuck or index in self.cleared
        r = rng.random()
        if index and r < P_REPEAT and not special:
            low = bisect_left(self.times, at - timedelta(days=150), 0, index)
            earlier = rng.randrange(low, index) if low < index else index - 1
            return self.person_of[earlier], self.matter_of[earlier], True
        matter = self._fresh_matter(at, special)
        if index and r < P_REPEAT + P_REUSE:
            # someone who came before, about something else this time
            person = self.person_of[rng.randrange(index)]
            for _ in range(4):
                if (person.id, matter) not in self.by_person_matter:
                    break
                matter = self._fresh_matter(at, special)
            return person, matter, False
        return self._new_person(at), matter, False

    def _fresh_matter(self, at: datetime, special: bool) -> Matter:
        rng = self.rng
        if special:
            return weighted(rng, BACKLOG_MATTERS)  # type: ignore[no-any-return]
        if at.month in (12, 1) or (at.month == 2 and at.day < 15):
            weights = list(MATTER_WEIGHTS)
            weights[0] *= 2  # wages before the Spring Festival
            return rng.choices(MATTERS, weights)[0]
        return rng.choices(MATTERS, MATTER_WEIGHTS)[0]

    def _appeal(self, index: int, at: datetime) -> None:
        rng, w = self.rng, self.w
        person, matter, repeat = self._who_and_what(index, at)
        collective = not repeat and rng.random() < 0.02
        if collective:
            matter = weighted(rng, COLLECTIVE_MATTERS)
        special = index in self.stuck or index in self.cleared
        category = weighted(rng, CATEGORIES)
        if collective or special:
            category = rng.choice((Category.COMPLAINT, Category.COMPLAINT, Category.PETITION))
        level = weighted(rng, LEVELS)
        if repeat and rng.random() < 0.06:
            level = UP[level]  # went higher the second time
        community = (
            person.community
            if rng.random() < 0.85
            else people.pick(rng, w.communities, self.community_cum)
        )
        site = None
        if level is Level.COMMUNITY and rng.random() < AT_SITE.get(matter, 0.03):
            kinds = SITES_FOR.get(matter, tuple(SiteKind))
            site = rng.choice([s for s in w.sites if s.spec.site_kind in kinds])
            community = next(c for c in w.communities if c.pinyin == site.spec.community)
        if site is not None:
            receiver = site.spec.code
        elif level is Level.COMMUNITY:
            receiver = f"PS-CW-{community.pinyin.upper()}"
        elif level is Level.STREET:
            receiver = f"PS-ST-{community.street_pinyin.upper()}"
        else:
            receiver = HALL_CODE
        off_hours = at.weekday() >= 5 or not time(8, 30) <= at.time() < time(18, 0)
        if site is not None:
            channel = Channel.SITE_STATION if rng.random() < 0.9 else Channel.WALK_IN
        else:
            channel = weighted(rng, CHANNELS[level])
        if off_hours and channel not in (Channel.HOTLINE, Channel.ONLINE):
            channel = rng.choice((Channel.HOTLINE, Channel.ONLINE))
        people_count = int(rng.triangular(5, 60, 8)) if collective else 1

        # the wording, and the project the appeal is about
        project_site = site if site is not None and site.project_name else None
        if (
            project_site is None
            and matter in (Matter.LABOUR_WAGES, Matter.CONSTRUCTION_NUISANCE)
            and rng.random() < 0.35
        ):
            project_site = rng.choice([s for s in w.sites if s.project_name])
        wording = texts.fill(rng, w, matter, category, community.name, project_site, people_count)

        # repeats, exactly as intake finds them
        key = (person.id, matter)
        earlier = [
            j for j in self.by_person_matter.get(key, ()) if self.times[j] >= at - REPEAT_WINDOW
        ]
        earlier.reverse()  # newest first
        skipping = any(
            LEVEL_RANK[level] > LEVEL_RANK[self.level_of[j]] and open_at(self.closed_of[j], at)
            for j in earlier
        )

        year = at.year
        name = f"PS-{year}"
        seq = self.out.sequences.get(name, 0) + 1
        self.out.sequences[name] = seq
        number = f"{name}-{seq:06d}"
        petition_id = self._next("petitions")
        # A formal petition's first deadline is its acceptance decision's.
        due_at, provisional = w.acceptance_due(at, category) or w.due(at, category)

        plan = Plan(
            rng=rng,
            world=w,
            at=at,
            category=category,
            matter=matter,
            level=level,
            channel=channel,
            receiver=receiver,
            community=community,
            site=project_site,
            collective=collective,
            repeat_of=self.number_of[earlier[0]] if earlier else None,
            repeat_count=len(earlier),
            wording=wording,
            satisfaction=weighted(rng, SATISFACTION),
            mode=(
                "backlog"
                if index in self.backlog
                else "stuck"
                if index in self.stuck
                else "cleared"
                if index in self.cleared
                else "normal"
            ),
            backlog_owner=people.person_name(rng),
        )
        life = plan_life(plan, due_at, provisional)
        self._emit(
            petition_id,
            number,
            plan,
            life,
            due_at,
            provisional,
            person,
            channel,
            people_count,
            skipping,
            earlier,
        )
        self.person_of.append(person)
        self.matter_of.append(matter)
        self.level_of.append(level)
        self.closed_of.append(life.closed_at)
        self.number_of.append(number)
        self.by_person_matter.setdefault(key, []).append(index)

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
