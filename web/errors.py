"""The domain's error messages in the page's language.

A `HubError` carries a message id (`template`, English with `{named}` holes) and its
`params`. The GraphQL API answers the English, filled in. A page looks the template
up in the pages' catalogue for its language (`web/translations/<locale>/…/messages.po`,
the same catalogue its own texts come from) and fills the translation with the same
parameters, each first put into that language when it is a word of the domain: a
status, an action, a standing, roles, a field name. A template without a translation
gets a sentence for its error code followed by the English; `tests/test_error_text.py`
checks that none is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from babel.support import NullTranslations
from jinja2 import pass_context

from db.models import (
    ArbitrationStatus,
    ConfirmationStatus,
    DeadlineStart,
    Escalation,
    LitigationStatus,
    MediationStatus,
    PetitionStatus,
    PolicyStage,
    Role,
)
from resolvers.errors import HubError
from web.i18n import DEFAULT, compile_catalogues

# A template in no catalogue: a sentence per code, then the English detail.
FALLBACK: dict[str, str] = {
    "BAD_USER_INPUT": "输入有误：",
    "UNAUTHENTICATED": "未通过身份认证：",
    "FORBIDDEN": "无权执行此操作：",
    "NOT_FOUND": "未找到：",
    "CONFLICT": "数据已被他人更改：",
    "RATE_LIMITED": "操作过于频繁：",
}
GENERIC = "出错了："


@cache
def catalogue(language: str) -> NullTranslations:
    """The pages' compiled catalogue for `language` (compiled once per process)."""
    catalogues = compile_catalogues()
    return catalogues.get(language, catalogues[DEFAULT])


def _standings_from(parts: list[str], words: NullTranslations) -> str:
    """Standings joined by ' or ' (one standing's own text holds ' or ' too): the longest
    run of parts the catalogue knows, then the rest."""
    for end in range(len(parts), 0, -1):
        joined = " or ".join(parts[:end])
        if words.gettext(joined) != joined:
            rest = parts[end:]
            return words.gettext(joined) + ("、" + _standings_from(rest, words) if rest else "")
    return " or ".join(parts)


# A dispute case's status by its name (the first kind that has it).
CASE_STATES: dict[str, str] = {}
for _kind in (MediationStatus, ConfirmationStatus, ArbitrationStatus, LitigationStatus):
    for _member in _kind:
        CASE_STATES.setdefault(_member.name, _member.value)

# How a parameter is put into Chinese, by its name; any other stays as raised.
CONVERTERS: dict[str, Callable[[str, NullTranslations], str]] = {
    "status": lambda name, _: PetitionStatus[name].value,
    "roles": lambda names, _: "、".join(Role[name].value for name in names.split(", ")),
    "escalation": lambda name, _: Escalation[name.upper()].value,
    "standing": lambda value, words: _standings_from(value.split(" or "), words),
    "action": lambda value, words: words.gettext(value),
    "field": lambda value, words: words.gettext(value),
    "kind": lambda value, words: words.gettext(value),
    "stage": lambda name, _: PolicyStage[name].value,
    "start": lambda name, _: DeadlineStart[name].value,
    # the 访调心裁 chain: who may take a case's step, and where a case stands
    "who": lambda value, words: words.gettext(value),
    "state": lambda name, _: CASE_STATES[name.upper()],
}


def _convert(name: str, value: Any, words: NullTranslations) -> Any:
    convert = CONVERTERS.get(name)
    if convert is None:
        return value
    try:
        return convert(str(value), words)
    except (KeyError, ValueError):
        return value  # an unknown value stays as the resolver wrote it


def translated(template: str, language: str) -> str | None:
    """The template's translation for `language`, or None when the catalogue lacks it."""
    found = catalogue(language).gettext(template)
    return found if found != template else None


def error_text(error: HubError, language: str = DEFAULT) -> str:
    """The error's message for a page in `language`."""
    if language == "en":
        return error.message
    words = catalogue(language)
    template = translated(error.template, language)
    if template is None:
        return FALLBACK.get(error.code, GENERIC) + error.message
    return template.format(**{k: _convert(k, v, words) for k, v in error.params.items()})


@pass_context
def template_error_text(context: Any, error: HubError | None) -> str:
    """`error_text` in templates, in the language the page renders in."""
    if error is None:
        return ""
    return error_text(error, context.get("language", DEFAULT))
