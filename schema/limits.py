"""Limits on a document's depth, aliases and tokens (strawberry's own limiters), each
refusal answered with `QUERY_TOO_COMPLEX`. The cost of the answer is `schema/cost.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"


def expanded_size(document: DocumentNode) -> int:
    """How many selections the operations hold once every fragment spread is replaced
    by its fragment (each fragment is sized once, so this is linear in the document)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    sizes: dict[str, int] = {}

    def size(selection_set: SelectionSetNode | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in sizes:
                    sizes[name] = 0  # a cycle (refused by validation) adds nothing
                    fragment = fragments.get(name)
                    sizes[name] = size(fragment.selection_set) if fragment else 0
                total += sizes[name]
            else:
                total += 1 + size(getattr(selection, "selection_set", None))
        return total

    return sum(
        size(d.selection_set)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    )


def _limit_expansion(max_expanded: int) -> type[ValidationRule]:
    class LimitFragmentExpansion(ValidationRule):
        """Refuses a document whose fragments multiply it (`...A ...A` in A, `...B ...B`
        in B, …): strawberry's limiters walk every spread, which would take forever."""

        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            expanded = expanded_size(context.document)
            if expanded > max_expanded:
                context.report_error(
                    GraphQLError(
                        f"the document expands to {expanded} selections through its "
                        f"fragments; at most {max_expanded} are allowed",
                        extensions={"code": QUERY_TOO_COMPLEX},
                    )
                )

    return LimitFragmentExpansion


def _coded(rule: type[ASTValidationRule], max_expanded: int) -> type[ValidationRule]:
    """`rule`, its errors given `extensions.code` QUERY_TOO_COMPLEX, and not run on a
    document that `LimitFragmentExpansion` refuses.

    Strawberry's limiters do their work when constructed and report to the context
    they are given: they get one that codes each error and passes it on.
    """

    class Coded(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            if expanded_size(context.document) > max_expanded:
                return

            def report(error: GraphQLError) -> None:
                context.report_error(
                    GraphQLError(
                        error.message, nodes=error.nodes, extensions={"code": QUERY_TOO_COMPLEX}
                    )
                )

            rule(ValidationContext(context.schema, context.document, context._type_info, report))

    Coded.__name__ = Coded.__qualname__ = f"Coded{rule.__name__}"
    return Coded


def document_limits(
    *, max_depth: int, max_aliases: int, max_tokens: int
) -> list[Callable[[], SchemaExtension]]:
    """Schema extensions (factories) refusing documents beyond the limits."""
    rules = [
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    ]
    # A document of `max_tokens` tokens, its fragments spread a few times over.
    max_expanded = 10 * max_tokens
    coded: list[type[Any]] = [
        _limit_expansion(max_expanded),
        *(_coded(rule, max_expanded) for rule in rules),
    ]
    return [
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: AddValidationRules(coded),
    ]
