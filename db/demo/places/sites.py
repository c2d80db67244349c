"""The seed's site stations (construction sites, an estate, a park, a school, a
hospital) and the mediation rooms some of them have."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import SiteKind


@dataclass(frozen=True)
class SiteSpec:
    """A site station, optionally with its mediation room, and what it serves."""

    code: str
    name: str
    name_en: str
    site_kind: SiteKind
    community: str  # community pinyin
    short: str  # how appeals name the place
    room: tuple[str, str, str] | None = None  # (code, name, name_en)


SITES: list[SiteSpec] = [
    SiteSpec(
        "PS-SITE-DAPENG-LINE",
        "深惠城际大鹏支线项目群众诉求服务站",
        "Shenzhen-Huizhou Intercity Dapeng Branch Line Appeals Station",
        SiteKind.CONSTRUCTION_SITE,
        "Pinghuan",
        "深惠城际大鹏支线工地",
        (
            "PS-SITE-DAPENG-LINE-MR",
            "深惠城际大鹏支线工地调解室",
            "Dapeng Branch Line Site Mediation Room",
        ),
    ),
    SiteSpec(
        "PS-SITE-SZTU",
        "深圳技术大学项目群众诉求服务站",
        "Shenzhen Technology University Project Appeals Station (one station, two rooms)",
        SiteKind.CONSTRUCTION_SITE,
        "Tiantou",
        "深圳技术大学项目工地",
        (
            "PS-SITE-SZTU-MR",
            "深圳技术大学项目劳资纠纷调解室",
            "Shenzhen Technology University Project Labour Dispute Mediation Room",
        ),
    ),
    SiteSpec(
        "PS-SITE-METRO14",
        "地铁14号线坪山段工地群众诉求服务站",
        "Metro Line 14 Pingshan Section Site Appeals Station",
        SiteKind.CONSTRUCTION_SITE,
        "Shatian",
        "地铁14号线坪山段工地",
        (
            "PS-SITE-METRO14-MR",
            "地铁14号线坪山段工地调解室",
            "Metro Line 14 Pingshan Section Site Mediation Room",
        ),
    ),
    SiteSpec(
        "PS-SITE-METRO16",
        "地铁16号线坪山段工地群众诉求服务站",
        "Metro Line 16 Pingshan Section Site Appeals Station",
        SiteKind.CONSTRUCTION_SITE,
        "Longtian",
        "地铁16号线坪山段工地",
    ),
    SiteSpec(
        "PS-SITE-JINBI-ESTATE",
        "金碧花园小区群众诉求服务站",
        "Jinbi Garden Residential Estate Appeals Station",
        SiteKind.RESIDENTIAL_ESTATE,
        "Liuhe",
        "金碧花园小区",
    ),
    SiteSpec(
        "PS-SITE-BIOPARK",
        "坪山生物医药产业园群众诉求服务站",
        "Pingshan Biomedicine Industrial Park Appeals Station",
        SiteKind.ENTERPRISE_PARK,
        "Jinsha",
        "坪山生物医药产业园",
    ),
    SiteSpec(
        "PS-SITE-LONGTIAN-SCHOOL",
        "龙田实验学校群众诉求服务站",
        "Longtian Experimental School Appeals Station",
        SiteKind.SCHOOL,
        "Longtian",
        "龙田实验学校",
    ),
    SiteSpec(
        "PS-SITE-HOSPITAL",
        "坪山区人民医院群众诉求服务站",
        "Pingshan District People's Hospital Appeals Station",
        SiteKind.HOSPITAL,
        "Heping",
        "坪山区人民医院",
    ),
]

CONSTRUCTION_SITES = [s for s in SITES if s.site_kind is SiteKind.CONSTRUCTION_SITE]
