"""Pingshan district's regions and the organisations of its petition supermarket.

Static data: the six streets and 23 communities by their real names, the hall and its
partners with the codes of CONTRACT.md, one platform per street, one window per
community, the seed's site stations and mediation rooms, and the functional bureaus.
Populations are plausible round figures, not census data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from db.models import OrganisationKind as K
from db.models import RegionKind, Role, SiteKind

DISTRICT_CODE = "PS"
HALL_CODE = "PS-HALL"


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    pinyin: str
    kind: RegionKind
    parent: str | None
    population: int | None = None
    households: int | None = None


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    name_en: str
    kind: K
    region: str
    parent: str | None = None
    site_kind: SiteKind | None = None
    address: str = ""
    # (username, roles); the first user is the one that acts for the organisation
    users: tuple[tuple[str, tuple[Role, ...]], ...] = field(default_factory=tuple)


# street name, pinyin, [(community name, pinyin, population, households)]
STREETS: list[tuple[str, str, list[tuple[str, str, int, int]]]] = [
    (
        "坪山",
        "Pingshan",
        [
            ("坪山", "Pingshan", 46_000, 16_800),
            ("和平", "Heping", 31_000, 11_200),
            ("六和", "Liuhe", 38_000, 13_900),
            ("六联", "Liulian", 42_000, 15_100),
        ],
    ),
    (
        "马峦",
        "Maluan",
        [
            ("马峦", "Maluan", 12_000, 4_100),
            ("江岭", "Jiangling", 26_000, 9_300),
            ("坪环", "Pinghuan", 33_000, 11_800),
            ("沙坣", "Shatang", 24_000, 8_600),
        ],
    ),
    (
        "碧岭",
        "Biling",
        [
            ("碧岭", "Biling", 17_000, 6_000),
            ("汤坑", "Tangkeng", 21_000, 7_400),
            ("沙湖", "Shahu", 20_000, 7_100),
        ],
    ),
    (
        "石井",
        "Shijing",
        [
            ("石井", "Shijing", 16_000, 5_700),
            ("田头", "Tiantou", 22_000, 7_900),
            ("田心", "Tianxin", 25_000, 8_800),
            ("金龟", "Jingui", 5_000, 1_800),
        ],
    ),
    (
        "坑梓",
        "Kengzi",
        [
            ("坑梓", "Kengzi", 30_000, 10_600),
            ("秀新", "Xiuxin", 27_000, 9_500),
            ("金沙", "Jinsha", 29_000, 10_300),
            ("沙田", "Shatian", 23_000, 8_100),
        ],
    ),
    (
        "龙田",
        "Longtian",
        [
            ("龙田", "Longtian", 28_000, 9_900),
            ("老坑", "Laokeng", 30_000, 10_700),
            ("南布", "Nanbu", 24_000, 8_500),
            ("竹坑", "Zhukeng", 36_000, 12_900),
        ],
    ),
]

ROADS = [
    "深汕路",
    "坪山大道",
    "东纵路",
    "金牛路",
    "龙兴南路",
    "丹梓大道",
    "锦龙大道",
    "宝梓南路",
    "兰景路",
    "聚龙山路",
    "比亚迪路",
    "坑梓人民西路",
    "翠景路",
    "汤坑路",
]


def street_code(pinyin: str) -> str:
    return f"PS-S-{pinyin.upper()}"


def community_code(pinyin: str) -> str:
    return f"PS-C-{pinyin.upper()}"


def street_platform_code(pinyin: str) -> str:
    return f"PS-ST-{pinyin.upper()}"


def community_window_code(pinyin: str) -> str:
    return f"PS-CW-{pinyin.upper()}"


def regions() -> list[RegionSpec]:
    """District, streets, communities: parents before children."""
    result = [
        RegionSpec(
            DISTRICT_CODE,
            "坪山区",
            "Pingshan Qu",
            RegionKind.DISTRICT,
            None,
            sum(c[2] for _, _, cs in STREETS for c in cs),
            sum(c[3] for _, _, cs in STREETS for c in cs),
        )
    ]
    for name, pinyin, communities in STREETS:
        result.append(
            RegionSpec(
                street_code(pinyin),
                f"{name}街道",
                f"{pinyin} Jiedao",
                RegionKind.STREET,
                DISTRICT_CODE,
                sum(c[2] for c in communities),
                sum(c[3] for c in communities),
            )
        )
    for _, street_pinyin, communities in STREETS:
        for name, pinyin, population, households in communities:
            result.append(
                RegionSpec(
                    community_code(pinyin),
                    f"{name}社区",
                    f"{pinyin} Shequ",
                    RegionKind.COMMUNITY,
                    street_code(street_pinyin),
                    population,
                    households,
                )
            )
    return result


def _district(
    code: str, name: str, name_en: str, kind: K, user: str, *roles: Role, parent: str | None = None
) -> OrgSpec:
    return OrgSpec(
        code,
        name,
        name_en,
        kind,
        DISTRICT_CODE,
        parent=parent,
        address="深圳市坪山区坪山街道",
        users=((user, roles),),
    )


H, M = Role.HANDLER, Role.MEDIATOR

PARTNERS: list[OrgSpec] = [
    OrgSpec(
        HALL_CODE,
        "坪山区群众诉求服务大厅",
        "Pingshan District Public Appeals Service Hall",
        K.APPEALS_HALL,
        DISTRICT_CODE,
        address="深圳市坪山区坪山街道",
        users=(
            ("hall.dispatcher", (Role.DISPATCHER, H)),
            ("hall.leader", (Role.LEADER,)),
            ("hall.admin", (Role.ADMIN,)),
        ),
    ),
    _district(
        "PS-GOV",
        "坪山区综治中心",
        "Pingshan District Comprehensive Governance Centre",
        K.GOVERNANCE_CENTRE,
        "gov.handler",
        H,
    ),
    _district(
        "PS-SGC",
        "坪山区社会治理综合服务中心",
        "Pingshan District Social Governance Service Centre",
        K.SOCIAL_GOVERNANCE_CENTRE,
        "sgc.handler",
        H,
    ),
    _district(
        "PS-COURT",
        "坪山区人民法院诉讼服务站",
        "Pingshan District People's Court Litigation Service Station",
        K.COURT_STATION,
        "court.clerk",
        H,
    ),
    _district(
        "PS-LMC",
        "坪山区劳动争议调解委员会",
        "Pingshan Labour Dispute Mediation Committee",
        K.LABOUR_MEDIATION_COMMITTEE,
        "lmc.handler",
        H,
        M,
    ),
    _district(
        "PS-ARB",
        "坪山区劳动人事争议仲裁院",
        "Pingshan Labour and Personnel Dispute Arbitration Court",
        K.LABOUR_ARBITRATION,
        "arb.handler",
        H,
    ),
    _district(
        "PS-APAN",
        "阿潘调解工作室",
        "A-Pan Mediation Studio",
        K.MEDIATION_STUDIO,
        "apan.mediator",
        M,
        H,
    ),
    _district(
        "PS-METRO",
        "市地铁集团项目工地劳资纠纷分级调解中心",
        "Shenzhen Metro Group Construction Sites Tiered Labour Dispute Mediation Centre",
        K.METRO_DISPUTE_CENTRE,
        "metro.mediator",
        M,
        H,
        # the district's regulator above the centre: the metro tiers' last one
        parent="PS-DEPT-HR",
    ),
    _district(
        "PS-NLB",
        "市诉源治理非诉纠纷试点基地",
        "Shenzhen Pilot Base for Non-litigation Dispute Resolution (Pingshan)",
        K.NON_LITIGATION_BASE,
        "nlb.mediator",
        M,
        H,
    ),
    _district(
        "PS-PSY",
        "坪山区社会心理关爱服务中心",
        "Pingshan Social Psychological Care Centre",
        K.PSYCH_CARE_CENTRE,
        "psy.counsellor",
        Role.COUNSELLOR,
    ),
    _district(
        "PS-CREDIT",
        "坪山区公共信用信息服务中心",
        "Pingshan Public Credit Information Service Centre",
        K.CREDIT_CENTRE,
        "credit.officer",
        Role.CREDIT_OFFICER,
    ),
]

DEPARTMENTS: list[OrgSpec] = [
    _district(
        "PS-DEPT-HR",
        "坪山区人力资源局",
        "Pingshan Human Resources Bureau",
        K.DEPARTMENT,
        "hr.handler",
        H,
    ),
    _district(
        "PS-DEPT-HOUSING",
        "坪山区住房和建设局",
        "Pingshan Housing and Construction Bureau",
        K.DEPARTMENT,
        "housing.handler",
        H,
    ),
    _district(
        "PS-DEPT-PLANNING",
        "市规划和自然资源局坪山管理局",
        "Planning and Natural Resources Bureau, Pingshan Office",
        K.DEPARTMENT,
        "planning.handler",
        H,
    ),
    _district(
        "PS-DEPT-ENV",
        "市生态环境局坪山管理局",
        "Ecology and Environment Bureau, Pingshan Office",
        K.DEPARTMENT,
        "env.handler",
        H,
    ),
    _district(
        "PS-DEPT-TRAFFIC",
        "市交通运输局坪山管理局",
        "Transport Bureau, Pingshan Office",
        K.DEPARTMENT,
        "traffic.handler",
        H,
    ),
    _district(
        "PS-DEPT-URBAN",
        "坪山区城市管理和综合执法局",
        "Pingshan Urban Management and Law Enforcement Bureau",
        K.DEPARTMENT,
        "urban.handler",
        H,
    ),
    _district(
        "PS-DEPT-EDU", "坪山区教育局", "Pingshan Education Bureau", K.DEPARTMENT, "edu.handler", H
    ),
    _district(
        "PS-DEPT-HEALTH",
        "坪山区卫生健康局",
        "Pingshan Health Bureau",
        K.DEPARTMENT,
        "health.handler",
        H,
    ),
]


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


def street_of(community_pinyin: str) -> str:
    for _, street_pinyin, communities in STREETS:
        if any(c[1] == community_pinyin for c in communities):
            return street_pinyin
    raise KeyError(community_pinyin)


def organisations() -> list[OrgSpec]:
    """Every demo organisation, parents before children."""
    result = [*PARTNERS[:1], *DEPARTMENTS, *PARTNERS[1:]]  # the metro centre's regulator first
    for name, pinyin, _ in STREETS:
        result.append(
            OrgSpec(
                street_platform_code(pinyin),
                f"{name}街道综合性群众诉求服务平台",
                f"{pinyin} Street Integrated Public Appeals Platform",
                K.STREET_PLATFORM,
                street_code(pinyin),
                parent=HALL_CODE,
                address=f"深圳市坪山区{name}街道办事处",
                users=((f"{pinyin.lower()}.dispatcher", (Role.DISPATCHER, H)),),
            )
        )
    for street_name, street_pinyin, communities in STREETS:
        for name, pinyin, _, _ in communities:
            result.append(
                OrgSpec(
                    community_window_code(pinyin),
                    f"{name}社区群众诉求服务窗口",
                    f"{pinyin} Community Public Appeals Window",
                    K.COMMUNITY_WINDOW,
                    community_code(pinyin),
                    parent=street_platform_code(street_pinyin),
                    address=f"深圳市坪山区{street_name}街道{name}社区党群服务中心",
                    users=((f"{pinyin.lower()}.window", (H,)),),
                )
            )
    for site in SITES:
        street = street_of(site.community)
        handle = site.code.removeprefix("PS-SITE-").lower()
        result.append(
            OrgSpec(
                site.code,
                site.name,
                site.name_en,
                K.SITE_STATION,
                community_code(site.community),
                parent=street_platform_code(street),
                site_kind=site.site_kind,
                address=site.short,
                users=((f"{handle}.station", (H,)),),
            )
        )
        if site.room:
            code, name, name_en = site.room
            result.append(
                OrgSpec(
                    code,
                    name,
                    name_en,
                    K.SITE_MEDIATION_ROOM,
                    community_code(site.community),
                    parent=site.code,
                    site_kind=site.site_kind,
                    address=site.short,
                    users=((f"{handle}.mediator", (M, H)),),
                )
            )
    return result
