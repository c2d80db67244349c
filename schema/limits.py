"""Limits on a document's depth and aliases, answered with `QUERY_TOO_COMPLEX`."""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import AddValidationRules

CODE = {"code": "QUERY_TOO_COMPLEX"}


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str],
) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue  # introspection is bounded by the schema itself
            deepest = max(deepest, 1 + _depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                continue  # cycles and unknown fragments are other rules' errors
            deepest = max(deepest, _depth(fragments[name].selection_set, fragments, seen | {name}))
    return deepest


def _aliases(node: Any) -> int:
    count = 0
    selection_set = getattr(node, "selection_set", None)
    if isinstance(node, FieldNode) and node.alias is not None:
        count += 1
    if selection_set is not None:
        count += sum(_aliases(s) for s in selection_set.selections)
    return count


def complexity_rules(max_depth: int, max_aliases: int) -> list[type[ValidationRule]]:
    class LimitDepthAndAliases(ValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> None:
            fragments = {
                d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
            }
            aliases = sum(_aliases(d) for d in node.definitions)
            if aliases > max_aliases:
                self.report_error(
                    GraphQLError(
                        f"the document has {aliases} aliases; at most {max_aliases} are allowed",
                        extensions=CODE,
                    )
                )
            for definition in node.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    depth = _depth(definition.selection_set, fragments, frozenset())
                    if depth > max_depth:
                        self.report_error(
                            GraphQLError(
                                f"the operation is {depth} levels deep; at most {max_depth} are "
                                "allowed",
                                nodes=[definition],
                                extensions=CODE,
                            )
                        )

    LimitDepthAndAliases.__init__ = ValidationRule.__init__  # type: ignore[method-assign]
    _ = ValidationContext
    return [LimitDepthAndAliases]


def complexity_limits(max_depth: int, max_aliases: int) -> AddValidationRules:
    return AddValidationRules(complexity_rules(max_depth, max_aliases))  # type: ignore[arg-type]
