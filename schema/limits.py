"""Limits on a document's depth, aliases and tokens (strawberry's own limiters), each
refusal answered with `QUERY_TOO_COMPLEX`. The cost of the answer is `schema/cost.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import ASTValidationRule, GraphQLError, ValidationContext, ValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"


def _coded(rule: type[ASTValidationRule]) -> type[ValidationRule]:
    """`rule`, its errors given `extensions.code` QUERY_TOO_COMPLEX.

    Strawberry's limiters do their work when constructed and report to the context
    they are given: they get one that codes each error and passes it on.
    """

    class Coded(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)

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
    coded: list[type[Any]] = [_coded(rule) for rule in rules]
    return [
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: AddValidationRules(coded),
    ]
