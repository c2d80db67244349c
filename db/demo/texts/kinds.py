"""The kinds of ask a template is written for, and which kind fits a category."""

from __future__ import annotations

from db.models import Category, Matter

ASK, SUGGEST, COMPLAIN = "ask", "suggest", "complain"

T = tuple[str, str, str]  # title, description, answer
Templates = dict[Matter, dict[str, list[T]]]


def group(category: Category) -> str:
    """Which templates fit a category: asking, suggesting, or complaining and the like."""
    if category is Category.CONSULTATION:
        return ASK
    if category is Category.SUGGESTION:
        return SUGGEST
    return COMPLAIN
