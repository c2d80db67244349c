"""An appeal's title, description and answer: a template of its matter and kind of ask,
filled in.

Templates use `str.format` fields filled here: {site} a construction site, {company} an
employer, {builder} a construction firm, {property} a property management firm,
{amount} yuan, {months}, {n} people, {estate} a residential estate, {road},
{community}, {school}, {hospital}.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from db.demo.places.regions import ROADS
from db.demo.texts import city, civil, housing, labour
from db.demo.texts.kinds import Templates, group
from db.models import Category, Matter

if TYPE_CHECKING:
    from db.demo.world import Site, World

ESTATES = [
    "金碧花园",
    "东城雅苑",
    "龙田花园",
    "聚龙苑",
    "怡心花园",
    "坪环新村",
    "汤坑新村",
    "秀新家园",
    "沙田新居",
    "竹坑小区",
    "六联新村",
    "翠景花园",
    "和平公寓",
    "金沙苑",
]
SCHOOLS = ["龙田实验学校", "坪山第二小学", "坑梓中学", "石井学校", "六联小学", "马峦幼儿园"]
HOSPITALS = ["坪山区人民医院", "坪山区中医院", "坑梓社康中心", "龙田社康中心"]
GENERIC_SITES = [
    "坪山中心区某在建楼盘工地",
    "碧岭片区城市更新项目工地",
    "龙田某厂房改造工地",
    "坑梓某安置房项目工地",
    "石井某道路改造工程",
    "坪环某学校扩建工地",
]

TEMPLATES: Templates = {
    **labour.TEMPLATES,
    **civil.TEMPLATES,
    **housing.TEMPLATES,
    **city.TEMPLATES,
}


def fill(
    rng: random.Random,
    world: World,
    matter: Matter,
    category: Category,
    community: str,
    site: Site | None,
    n: int,
) -> dict[str, str]:
    """Title, description and answer for an appeal, and what it is about (school, hospital)."""
    title, description, answer = rng.choice(TEMPLATES[matter][group(category)])
    builder = rng.choice(world.building_companies)
    if site is not None:
        builder = rng.choice(site.companies[1:] or site.companies)
        site_name = site.spec.short
    else:
        site_name = rng.choice(GENERIC_SITES)
    if n == 1:
        n = rng.randint(3, 40)
    months = rng.randint(1, 6)
    if matter is Matter.LABOUR_WAGES and "{n}" in title + description:
        amount = n * rng.randint(40, 300) * 100
    else:
        amount = rng.randint(30, 600) * 100
    fields = {
        "site": site_name,
        "company": rng.choice(world.companies),
        "builder": builder,
        "property": rng.choice(world.property_companies),
        "amount": str(amount),
        "months": str(months),
        "n": str(n),
        "estate": rng.choice(ESTATES),
        "road": rng.choice(ROADS),
        "community": community + "社区",
        "school": rng.choice(SCHOOLS),
        "hospital": rng.choice(HOSPITALS),
    }
    said = title + description
    return {
        "title": title.format_map(fields),
        "description": description.format_map(fields),
        "answer": answer.format_map(fields),
        "about": "school" if "{school}" in said else "hospital" if "{hospital}" in said else "",
    }
