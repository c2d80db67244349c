"""The seed's construction projects and about 200 employers with valid credit codes.

Company names are invented; any likeness to a real company is a coincidence.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from stdnum.cn import uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714
ENTERPRISE_COUNT = 200
MAIN, SUB = "MAIN_CONTRACTOR", "SUBCONTRACTOR"


@dataclass(frozen=True)
class ProjectSpec:
    code: str
    name: str
    kind: str
    site: str  # the station's organisation code
    # (name, industry, registration division, role)
    enterprises: tuple[tuple[str, str, str, str], ...]


BUILD = "建筑业"
PROJECTS: list[ProjectSpec] = [
    ProjectSpec(
        "PRJ-DAPENG-LINE",
        "深惠城际大鹏支线（坪山段）",
        "INTERCITY_RAIL",
        "PS-SITE-DAPENG-LINE",
        (
            ("深圳鹏城城际铁路建设工程有限公司", BUILD, "440300", MAIN),
            ("深圳市宏建建筑劳务有限公司", BUILD, "440300", SUB),
            ("惠州市永鑫建筑劳务有限公司", BUILD, "441300", SUB),
            ("深圳市鑫盾隧道工程有限公司", BUILD, "440300", SUB),
        ),
    ),
    ProjectSpec(
        "PRJ-SZTU",
        "深圳技术大学建设项目",
        "CAMPUS",
        "PS-SITE-SZTU",
        (
            ("深圳市东部建工集团有限公司", BUILD, "440300", MAIN),
            ("深圳市恒达建筑劳务有限公司", BUILD, "440300", SUB),
            ("深圳市华坪装饰工程有限公司", BUILD, "440300", SUB),
            ("广东粤兴机电安装工程有限公司", BUILD, "440000", SUB),
            ("湖南湘楚建筑劳务有限公司", BUILD, "430000", SUB),
        ),
    ),
    ProjectSpec(
        "PRJ-METRO14",
        "深圳地铁14号线（坪山段）",
        "METRO",
        "PS-SITE-METRO14",
        (
            ("深圳市东部轨道工程有限公司", BUILD, "440300", MAIN),
            ("深圳市盾安隧道劳务有限公司", BUILD, "440300", SUB),
            ("深圳市鹏发机械设备租赁有限公司", "租赁和商务服务业", "440300", SUB),
        ),
    ),
    ProjectSpec(
        "PRJ-METRO16",
        "深圳地铁16号线（坪山段）",
        "METRO",
        "PS-SITE-METRO16",
        (
            ("深圳市龙坪轨道建设有限公司", BUILD, "440300", MAIN),
            ("深圳市兴业建筑劳务有限公司", BUILD, "440300", SUB),
            ("江西赣粤建筑劳务有限公司", BUILD, "360000", SUB),
            ("深圳市安捷钢结构工程有限公司", BUILD, "440300", SUB),
        ),
    ),
]

BRAND_CHARS = "鹏坪华宏鑫恒聚龙金盛达兴嘉润富祥锦瑞泰安佳东海博创新源德信力丰裕通"
# (what the name says, industry, weight)
INDUSTRIES: list[tuple[str, str, int]] = [
    ("建筑劳务", BUILD, 16),
    ("建筑工程", BUILD, 8),
    ("装饰工程", BUILD, 6),
    ("电子科技", "制造业", 16),
    ("精密五金", "制造业", 6),
    ("新能源科技", "制造业", 8),
    ("生物医药", "制造业", 6),
    ("汽车零部件", "制造业", 5),
    ("塑胶制品", "制造业", 4),
    ("物业管理", "房地产业", 10),
    ("餐饮管理", "住宿和餐饮业", 8),
    ("物流", "交通运输、仓储和邮政业", 6),
    ("保安服务", "租赁和商务服务业", 4),
    ("家政服务", "居民服务、修理和其他服务业", 3),
    ("环保科技", "水利、环境和公共设施管理业", 3),
    ("人力资源", "租赁和商务服务业", 3),
]


def org_code(rng: random.Random, new_style: bool) -> str:
    """A 9-character organisation code with its GB 11714 check character."""
    if new_style:  # codes issued with the unified credit code since 2015 begin with MA
        body = "MA5" + "".join(rng.choice(USCC_ALPHABET) for _ in range(5))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def make_uscc(rng: random.Random, division: str = "440300") -> str:
    """A unified social credit code (GB 32100): 91 (enterprise) + division + org code + check."""
    first17 = "91" + division + org_code(rng, new_style=rng.random() < 0.7)
    return uscc.validate(first17 + uscc.calc_check_digit(first17))


def enterprises(rng: random.Random, count: int = ENTERPRISE_COUNT) -> list[tuple[str, str, str]]:
    """(uscc, name, industry) for the projects' firms first, then invented ones."""
    seen_codes: set[str] = set()
    seen_names: set[str] = set()
    result: list[tuple[str, str, str]] = []

    def add(name: str, industry: str, division: str) -> None:
        code = make_uscc(rng, division)
        while code in seen_codes:
            code = make_uscc(rng, division)
        seen_codes.add(code)
        seen_names.add(name)
        result.append((code, name, industry))

    for project in PROJECTS:
        for name, industry, division, _ in project.enterprises:
            add(name, industry, division)
    words = [w for w, _, _ in INDUSTRIES]
    weights = [n for _, _, n in INDUSTRIES]
    industry_of = {w: i for w, i, _ in INDUSTRIES}
    while len(result) < count:
        word = rng.choices(words, weights)[0]
        brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
        if brand[0] == brand[1]:
            continue
        name = f"深圳市{brand}{word}有限公司"
        if name in seen_names:
            continue
        add(name, industry_of[word], "440300")
    return result
