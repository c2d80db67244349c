"""Input no database can store, refused before anything runs: NUL characters (which
PostgreSQL refuses) and unpaired surrogates (not UTF-8), in the document's string
literals and in the variables, as `BAD_USER_INPUT` naming the field.

The rule itself is `resolvers.validation.unstorable`; the pages apply it too
(`web/hygiene.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import ArgumentNode, ObjectFieldNode, StringValueNode, VariableNode, visit
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

from resolvers.validation import storable, unstorable


def _holder(ancestors: Any) -> str | None:
    """The name of the argument or input field a value is given for."""
    for node in reversed(ancestors or []):
        if isinstance(node, ArgumentNode | ObjectFieldNode):
            return node.name.value
    return None


class _FindUnstorable(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: tuple[str, str] | None = None  # (the text, its argument or field)
        self.bound: dict[str, str] = {}  # variable → the argument or field it is given for

    def enter_string_value(
        self, node: StringValueNode, _key: Any, parent: Any, _path: Any, ancestors: Any
    ) -> None:
        if unstorable(node.value) is not None and self.found is None:
            self.found = (node.value, _holder([*ancestors, parent]) or "query")

    def enter_variable(
        self, node: VariableNode, _key: Any, parent: Any, _path: Any, ancestors: Any
    ) -> None:
        holder = _holder([*ancestors, parent])
        if holder is not None:
            self.bound.setdefault(node.name.value, holder)


def _in_value(value: Any, field: str) -> tuple[str, str] | None:
    """(the text, its field) for the first unstorable string in a variable's value."""
    if isinstance(value, str):
        return (value, field) if unstorable(value) is not None else None
    if isinstance(value, dict):
        for key, item in value.items():
            bad_key = isinstance(key, str) and unstorable(key) is not None
            found = (key, field) if bad_key else _in_value(item, str(key))
            if found is not None:
                return found
    if isinstance(value, list | tuple):
        for item in value:
            found = _in_value(item, field)
            if found is not None:
                return found
    return None


class RefuseUnstorableText(SchemaExtension):
    """No field of the hub accepts text a database cannot store."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        finder = _FindUnstorable()
        if context.graphql_document is not None:
            visit(context.graphql_document, finder)
        if finder.found is not None:
            storable(*finder.found)  # refuses it, naming the field
        for name, value in (context.variables or {}).items():
            found = _in_value(value, finder.bound.get(name, name))
            if found is not None:
                storable(*found)
        yield
