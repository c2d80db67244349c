"""The pages' languages: Chinese by default, English through a Babel catalogue.

The pages' own texts are written in Chinese, so their message ids are Chinese and
`en/LC_MESSAGES/messages.po` translates them. The domain's error messages are message
ids in English (the API's language), so `zh/LC_MESSAGES/messages.po` translates those
(`web/errors.py`). One catalogue per language serves both; each is compiled in memory
when the app starts, so no `.mo` file is kept in git.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment
from starlette.requests import HTTPConnection

CATALOGUES = Path(__file__).parent / "translations"
DEFAULT = "zh"
LANGUAGES = {"zh": "中文", "en": "English"}
HTML_LANG = {"zh": "zh-CN", "en": "en"}
# How a language joins the items of a list ("受理、交办" / "accept, assign").
LIST_SEPARATORS = {"zh": "、", "en": ", "}
_current: ContextVar[NullTranslations | None] = ContextVar("translations", default=None)
_language: ContextVar[str] = ContextVar("language", default=DEFAULT)
_CHINESE = NullTranslations()


def compile_catalogues(directory: Path = CATALOGUES) -> dict[str, NullTranslations]:
    """Every locale's `.po`, compiled to `.mo` in memory."""
    found: dict[str, NullTranslations] = {DEFAULT: NullTranslations()}
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        locale = po.parent.parent.name
        with po.open("rb") as source:
            catalogue = read_po(source, locale=locale)
        compiled = io.BytesIO()
        write_mo(compiled, catalogue)
        compiled.seek(0)
        found[locale] = Translations(compiled)
    return found


def choose_language(connection: HTTPConnection) -> str:
    """`?lang=` (remembered in the session), else the session's choice, else Chinese."""
    asked = connection.query_params.get("lang")
    if asked in LANGUAGES:
        connection.session["lang"] = asked
        return asked
    chosen = connection.session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT


def named(thing: Any) -> str:
    """An organisation's or a region's name in the page's language (the `named` filter,
    used by every template that shows one): in English its `name_en` (an organisation)
    or `name_pinyin` (a region), where it has one; else the Chinese name."""
    if thing is None:
        return ""
    if _language.get() != DEFAULT:
        english = getattr(thing, "name_en", None) or getattr(thing, "name_pinyin", None)
        if english:
            return str(english)
    return str(thing.name)


def listed(items: Iterable[Any]) -> str:
    """Items joined with the page language's list separator (the `listed` filter)."""
    return LIST_SEPARATORS.get(_language.get(), ", ").join(str(i) for i in items)


class Translator:
    """Installs gettext into a jinja2 environment; `activate` picks this request's catalogue."""

    def __init__(self, env: Environment) -> None:
        self.catalogues = compile_catalogues()
        env.add_extension("jinja2.ext.i18n")
        env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=self.gettext, ngettext=self.ngettext, pgettext=self.pgettext, newstyle=True
        )
        env.filters["named"] = named
        env.filters["listed"] = listed
        env.filters["translated"] = self.gettext  # a message id held in a variable

    def activate(self, language: str) -> None:
        _current.set(self.catalogues.get(language, self.catalogues[DEFAULT]))
        _language.set(language if language in self.catalogues else DEFAULT)

    @staticmethod
    def gettext(message: str) -> str:
        return (_current.get() or _CHINESE).gettext(message)

    @staticmethod
    def ngettext(singular: str, plural: str, n: int) -> str:
        return (_current.get() or _CHINESE).ngettext(singular, plural, n)

    @staticmethod
    def pgettext(context: str, message: str) -> str:
        """A message whose English depends on where it stands (`CONTEXTUAL`)."""
        return str((_current.get() or _CHINESE).pgettext(context, message))
