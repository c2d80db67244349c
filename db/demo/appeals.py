"""A year of appeals: who brings what, where, through which channel, and what then happens.

Pure generation (`records` makes the rows, with explicit ids). Appeals are
generated in order of receipt, so repeats (same petitioner, same matter within twelve
months) and level-skipping are found exactly as intake finds them.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable
from datetime import datetime, time, timedelta
from itertools import accumulate

from db.demo import people
from db.demo.handling import plan_life
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
from db.demo.places.organisations import HALL_CODE
from db.demo.places.regions import ROADS
from db.demo.records import Records
from db.demo.routing import Plan
from db.demo.texts.wording import fill
from db.demo.world import Output, Person, World
from db.models import (
    Category,
    Channel,
    Level,
    Matter,
    SiteKind,
)


class Generator(Records):
    def __init__(
        self,
        world: World,
        rng: random.Random,
        count: int,
        *,
        first_ids: dict[str, int],
        sequences: dict[str, int],
    ) -> None:
        super().__init__(world, first_ids=first_ids, sequences=sequences)
        self.rng, self.count = rng, count
        self.times = receipt_times(rng, count, world.tz)
        self.person_of: list[Person] = []
        self.matter_of: list[Matter] = []
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
        wording = fill(rng, w, matter, category, community.name, project_site, people_count)

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
