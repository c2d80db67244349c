"""Input no database can store: NUL characters, refused before anything runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import StringValueNode, visit
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

from resolvers.errors import BadUserInput

NUL = "\x00"


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_contains_nul(v) for v in value)
    return False


class _FindNul(Visitor):
    found = False

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if NUL in node.value:
            self.found = True


class RefuseNulCharacters(SchemaExtension):
    """PostgreSQL cannot store U+0000 in text; no field of the hub accepts it."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        finder = _FindNul()
        if context.graphql_document is not None:
            visit(context.graphql_document, finder)
        if finder.found or _contains_nul(context.variables or {}):
            raise BadUserInput("text may not contain NUL characters (U+0000)")
        yield
