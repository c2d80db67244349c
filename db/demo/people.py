"""Invented people: Chinese names, valid resident ID numbers, mobile numbers, addresses."""

from __future__ import annotations

import random
from bisect import bisect
from functools import cache
from itertools import accumulate

from stdnum.cn import ric

# Hakka and Cantonese surnames weigh more in Pingshan; migrants bring the rest.
SURNAMES = (
    "陈李张黄王刘林杨吴何曾钟叶罗谢邓赖廖温丘彭周徐朱胡郭马梁宋郑蔡许唐韩冯邱袁江肖熊严汤潘龚"
)
_TOP = [12, 10, 9, 10, 7, 8, 5, 4, 4, 4, 5, 5, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2]
SURNAME_WEIGHTS = _TOP + [1] * (len(SURNAMES) - len(_TOP))
MALE = "伟强军勇杰涛明超华建国志辉斌鹏文俊浩宇海峰林东亮坚锋德平福生"
FEMALE = "芳娟敏静丽艳霞燕玲秀英梅兰红婷雪琳慧萍洁凤珍琴云霞丹琼小"

# (county division code, weight): where Pingshan's residents' ID numbers come from.
# A code counts only for birth years in which it existed (stdnum knows the ranges).
ID_DIVISIONS: list[tuple[str, int]] = [
    ("440307", 8),
    ("440301", 4),
    ("440306", 1),
    ("440321", 2),  # Shenzhen, 宝安县
    ("442521", 3),
    ("442526", 1),
    ("442528", 1),
    ("442529", 1),
    ("442523", 1),  # before 1988
    ("442424", 1),
    ("442425", 1),
    ("442331", 1),
    ("442327", 1),  # before 1983/1988
    ("441302", 2),
    ("441303", 1),
    ("441322", 2),
    ("441323", 2),  # Huizhou
    ("441424", 2),
    ("441481", 1),
    ("441622", 2),
    ("441624", 1),  # Meizhou, Heyuan
    ("445222", 2),
    ("441521", 2),  # Jieyang, Shanwei
    ("430121", 1),
    ("430124", 2),
    ("430321", 1),
    ("430524", 2),
    ("431021", 1),  # Hunan
    ("360121", 1),
    ("360731", 2),
    ("360732", 1),  # Jiangxi
    ("450922", 2),
    ("450923", 1),  # Guangxi
    ("510121", 1),
    ("510521", 1),
    ("511321", 2),
    ("511322", 1),  # Sichuan
    ("411323", 1),
    ("411324", 1),
    ("412721", 1),  # Henan
    ("421124", 1),
    ("421126", 1),
    ("422802", 1),  # Hubei
]
ALWAYS_VALID = "440300"
MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 "
    "159 166 176 177 178 180 181 182 183 185 186 187 188 189 191 198 199"
).split()


def _cumulative(weights: list[int]) -> list[int]:
    return list(accumulate(weights))


_SURNAME_CUM = _cumulative(SURNAME_WEIGHTS)


def pick(rng: random.Random, items: list | tuple | str, cumulative: list[int]):  # type: ignore[no-untyped-def, type-arg]
    """A weighted choice with precomputed cumulative weights (faster than rng.choices)."""
    return items[bisect(cumulative, rng.random() * cumulative[-1])]


def person_name(rng: random.Random, male: bool | None = None) -> str:
    if male is None:
        male = rng.random() < 0.55
    pool = MALE if male else FEMALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return pick(rng, SURNAMES, _SURNAME_CUM) + given


def _with_check(first17: str) -> str:
    # calc_check_digit expects the full number and ignores its last character
    return first17 + ric.calc_check_digit(first17 + "0")


@cache
def _valid(division: str, year: int) -> bool:
    return ric.is_valid(_with_check(f"{division}{year}0615" + "001"))


@cache
def _divisions_for(year: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    codes = [(c, w) for c, w in ID_DIVISIONS if _valid(c, year)] or [(ALWAYS_VALID, 1)]
    return tuple(c for c, _ in codes), tuple(accumulate(w for _, w in codes))


def resident_id(rng: random.Random, male: bool) -> str:
    """An 18-digit resident ID number (GB 11643) that `stdnum.cn.ric` accepts."""
    year = int(rng.triangular(1952, 2007, 1986))
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    codes, cumulative = _divisions_for(year)
    division = pick(rng, codes, list(cumulative))
    sequence = rng.randint(0, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    return _with_check(f"{division}{year}{month:02d}{day:02d}{sequence:03d}")


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
