"""The rows of the demo that do not depend on the appeals, with explicit ids: regions,
organisations and their staff users, enterprises, projects and the firms on them; and
the lookups the appeal generator needs (organisation ids, acting users, communities,
sites, companies)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher

from db.demo import firms, people
from db.demo.places.organisations import organisations
from db.demo.places.regions import STREETS, community_code, regions
from db.demo.places.sites import SITES
from db.demo.world import Community, Site

DEMO_PASSWORD = "pingshan-demo"


class Static:
    """The rows that do not depend on the appeals, and lookups the generator needs."""

    def __init__(self) -> None:
        self.regions: list[dict[str, Any]] = []
        self.organisations: list[dict[str, Any]] = []
        self.users: list[dict[str, Any]] = []
        self.enterprises: list[dict[str, Any]] = []
        self.projects: list[dict[str, Any]] = []
        self.project_enterprises: list[dict[str, Any]] = []
        self.org_ids: dict[str, int] = {}
        self.actors: dict[str, int] = {}
        self.communities: list[Community] = []
        self.sites: list[Site] = []
        self.companies: list[str] = []
        self.building_companies: list[str] = []
        self.property_companies: list[str] = []


def static_rows(rng: random.Random, first: dict[str, int], created: datetime) -> Static:
    s = Static()
    region_ids: dict[str, int] = {}
    for offset, region in enumerate(regions()):
        region_ids[region.code] = first["regions"] + offset
        s.regions.append(
            {
                "id": region_ids[region.code],
                "code": region.code,
                "name": region.name,
                "name_pinyin": region.pinyin,
                "kind": region.kind,
                "parent_id": region_ids[region.parent] if region.parent else None,
                "population": region.population,
                "households": region.households,
            }
        )
    for street, street_pinyin, communities in STREETS:
        for name, pinyin, population, _ in communities:
            s.communities.append(
                Community(
                    region_id=region_ids[community_code(pinyin)],
                    name=name,
                    pinyin=pinyin,
                    street_pinyin=street_pinyin,
                    street=street,
                    population=population,
                )
            )

    password_hash = PasswordHasher().hash(DEMO_PASSWORD)
    user_id = first["staff_users"]
    for offset, org in enumerate(organisations()):
        org_id = first["organisations"] + offset
        s.org_ids[org.code] = org_id
        s.organisations.append(
            {
                "id": org_id,
                "code": org.code,
                "name": org.name,
                "name_en": org.name_en,
                "kind": org.kind,
                "site_kind": org.site_kind,
                "region_id": region_ids[org.region],
                "parent_id": s.org_ids[org.parent] if org.parent else None,
                "address": org.address,
                "phone": "",
                "active": True,
                "created_at": created,
            }
        )
        for username, roles in org.users:
            s.actors.setdefault(org.code, user_id)
            s.users.append(
                {
                    "id": user_id,
                    "organisation_id": org_id,
                    "username": username,
                    "display_name": people.person_name(rng),
                    "password_hash": password_hash,
                    "roles": [r.name for r in roles],
                    "active": True,
                    "created_at": created,
                    "last_login_at": None,
                }
            )
            user_id += 1

    community_ids = [c.region_id for c in s.communities]
    firm_ids: dict[str, int] = {}
    for offset, (code, name, industry) in enumerate(firms.enterprises(rng)):
        firm_ids[name] = first["enterprises"] + offset
        s.enterprises.append(
            {
                "id": firm_ids[name],
                "uscc": code,
                "name": name,
                "industry": industry,
                "region_id": rng.choice(community_ids),
                "created_at": created,
            }
        )
        if offset >= sum(len(p.enterprises) for p in firms.PROJECTS):
            s.companies.append(name)
            if industry == firms.BUILD:
                s.building_companies.append(name)
            if name.endswith("物业管理有限公司"):
                s.property_companies.append(name)

    site_specs = {site.code: site for site in SITES}
    projects_by_site = {p.site: p for p in firms.PROJECTS}
    for offset, project in enumerate(firms.PROJECTS):
        spec = site_specs[project.site]
        project_id = first["projects"] + offset
        s.projects.append(
            {
                "id": project_id,
                "code": project.code,
                "name": project.name,
                "kind": project.kind,
                "region_id": region_ids[community_code(spec.community)],
                "station_id": s.org_ids[spec.code],
                "mediation_room_id": s.org_ids[spec.room[0]] if spec.room else None,
            }
        )
        for name, _, _, role in project.enterprises:
            s.project_enterprises.append(
                {"project_id": project_id, "enterprise_id": firm_ids[name], "role": role}
            )
    for spec in SITES:
        found = projects_by_site.get(spec.code)
        s.sites.append(
            Site(
                spec=spec,
                project_name=found.name if found else None,
                metro=bool(found and found.kind == "METRO"),
                room=spec.room[0] if spec.room else None,
                companies=tuple(e[0] for e in found.enterprises) if found else (),
            )
        )
    return s
