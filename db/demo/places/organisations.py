"""The organisations of the petition supermarket and their users: the hall and its
partners with the codes of CONTRACT.md, the functional bureaus, one platform per street,
one window per community, and a station (and mediation room) per site."""

from __future__ import annotations

from dataclasses import dataclass, field

from db.demo.places.regions import DISTRICT_CODE, STREETS, community_code, street_code, street_of
from db.demo.places.sites import SITES
from db.models import OrganisationKind as K
from db.models import Role, SiteKind

HALL_CODE = "PS-HALL"


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


def street_platform_code(pinyin: str) -> str:
    return f"PS-ST-{pinyin.upper()}"


def community_window_code(pinyin: str) -> str:
    return f"PS-CW-{pinyin.upper()}"


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
