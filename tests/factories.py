"""Plain async helpers that build what tests need."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum.cn import ric

from db import models
from db.models import OrganisationKind as Kind
from db.models import RegionKind
from resolvers.access import tokens
from resolvers.access.caller import SCOPES

HALL = "PS-HALL"
LMC = "PS-LMC"
COURT = "PS-COURT"
PSY = "PS-PSY"
CREDIT = "PS-CREDIT"
STREET = "PS-ST-PINGSHAN"
WINDOW = "PS-CW-LIULIAN"
OTHER_STREET = "PS-ST-MALUAN"
OTHER_WINDOW = "PS-CW-MALUAN"
COMMUNITY = "PS-C-LIULIAN"
OTHER_COMMUNITY = "PS-C-MALUAN"


@dataclass
class World:
    organisations: dict[str, int]
    regions: dict[str, int]


async def build_world(session: AsyncSession) -> World:
    """Regions and organisations shared by every test (created once per database)."""
    existing = (await session.scalars(select(models.Organisation))).all()
    if existing:
        regions = (await session.scalars(select(models.Region))).all()
        return World({o.code: o.id for o in existing}, {r.code: r.id for r in regions})
    district = models.Region(
        code="PS", name="坪山区", name_pinyin="Pingshan", kind=RegionKind.DISTRICT
    )
    session.add(district)
    await session.flush()
    streets = {
        "PS-S-PINGSHAN": models.Region(
            code="PS-S-PINGSHAN",
            name="坪山街道",
            name_pinyin="Pingshan",
            kind=RegionKind.STREET,
            parent_id=district.id,
        ),
        "PS-S-MALUAN": models.Region(
            code="PS-S-MALUAN",
            name="马峦街道",
            name_pinyin="Maluan",
            kind=RegionKind.STREET,
            parent_id=district.id,
        ),
    }
    session.add_all(streets.values())
    await session.flush()
    communities = {
        COMMUNITY: models.Region(
            code=COMMUNITY,
            name="六联社区",
            name_pinyin="Liulian",
            kind=RegionKind.COMMUNITY,
            parent_id=streets["PS-S-PINGSHAN"].id,
        ),
        OTHER_COMMUNITY: models.Region(
            code=OTHER_COMMUNITY,
            name="马峦社区",
            name_pinyin="Maluan",
            kind=RegionKind.COMMUNITY,
            parent_id=streets["PS-S-MALUAN"].id,
        ),
    }
    session.add_all(communities.values())
    await session.flush()
    specs = [
        (HALL, "区群众诉求服务大厅", "District Appeals Hall", Kind.APPEALS_HALL, district),
        (
            LMC,
            "劳动争议调解委员会",
            "Labour Dispute Mediation Committee",
            Kind.LABOUR_MEDIATION_COMMITTEE,
            district,
        ),
        (COURT, "区人民法院诉讼服务站", "Court Service Station", Kind.COURT_STATION, district),
        (
            PSY,
            "区社会心理关爱服务中心",
            "Psychological Care Centre",
            Kind.PSYCH_CARE_CENTRE,
            district,
        ),
        (
            CREDIT,
            "区公共信用信息服务中心",
            "Public Credit Information Centre",
            Kind.CREDIT_CENTRE,
            district,
        ),
        (
            STREET,
            "坪山街道综合性群众诉求服务平台",
            "Pingshan Street Appeals Platform",
            Kind.STREET_PLATFORM,
            streets["PS-S-PINGSHAN"],
        ),
        (
            OTHER_STREET,
            "马峦街道综合性群众诉求服务平台",
            "Maluan Street Appeals Platform",
            Kind.STREET_PLATFORM,
            streets["PS-S-MALUAN"],
        ),
        (
            WINDOW,
            "六联社区群众诉求服务窗口",
            "Liulian Community Window",
            Kind.COMMUNITY_WINDOW,
            communities[COMMUNITY],
        ),
        (
            OTHER_WINDOW,
            "马峦社区群众诉求服务窗口",
            "Maluan Community Window",
            Kind.COMMUNITY_WINDOW,
            communities[OTHER_COMMUNITY],
        ),
    ]
    orgs = {
        code: models.Organisation(
            code=code, name=name, name_en=name_en, kind=kind, region_id=region.id
        )
        for code, name, name_en, kind, region in specs
    }
    session.add_all(orgs.values())
    await session.commit()
    all_regions = (
        {district.code: district.id}
        | {k: v.id for k, v in streets.items()}
        | {k: v.id for k, v in communities.items()}
    )
    return World({code: o.id for code, o in orgs.items()}, all_regions)


async def token(session: AsyncSession, org: str, scopes: tuple[str, ...] | None = None) -> str:
    issued = await tokens.create_token(
        session=session,
        caller=None,
        organisation_code=org,
        name="test",
        scopes=scopes if scopes is not None else tuple(s for s in SCOPES if s != "admin"),
    )
    return issued.token


async def revoke(session: AsyncSession, client: Any) -> None:
    """Revoke the token a test client sends, as an administrator would."""
    token = client.http.headers["Authorization"].removeprefix("Bearer ")
    await session.execute(
        update(models.ApiClient)
        .where(models.ApiClient.token_hash == tokens.hash_token(token))
        .values(revoked_at=models.utcnow())
    )
    await session.commit()


_serial = itertools.count(1)


def resident_id(birth: str = "19850312", region: str = "360502") -> str:
    """A valid resident ID number, different on every call (the region code must
    have existed in the birth year)."""
    first17 = f"{region}{birth}{next(_serial) % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


SUBMIT = """
mutation Submit($input: SubmitPetitionInput!) {
  submitPetition(input: $input) {
    id number title category status receivedAt dueAt deadlineProvisional repeatCount collective
    receivedBy { code }
  }
}
"""


def submission(**overrides: Any) -> dict[str, Any]:
    petitioner = {
        "name": "李某",
        "idNumber": resident_id(),
        "phone": "13800138000",
        "address": "坪山区六联社区",
    } | overrides.pop("petitioner", {})
    return {
        "title": "工地拖欠工资",
        "description": "某项目工地拖欠三个月工资共计人民币两万元。",
        "category": "COMPLAINT",
        "matter": "LABOUR_WAGES",
        "channel": "WALK_IN",
        "petitioner": petitioner,
    } | overrides


async def submit(client: Any, **overrides: Any) -> dict[str, Any]:
    """Register an appeal through GraphQL; returns `submitPetition`."""
    data = await client.data(SUBMIT, {"input": submission(**overrides)})
    return data["submitPetition"]
