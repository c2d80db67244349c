"""The district, its six streets and 23 communities by their real names, and the roads
that appeals and addresses name. Populations are plausible round figures, not census data.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.models import RegionKind

DISTRICT_CODE = "PS"


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    pinyin: str
    kind: RegionKind
    parent: str | None
    population: int | None = None
    households: int | None = None


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


def street_of(community_pinyin: str) -> str:
    for _, street_pinyin, communities in STREETS:
        if any(c[1] == community_pinyin for c in communities):
            return street_pinyin
    raise KeyError(community_pinyin)
