"""What an operation costs: its answer's size estimated before it runs, and counted
while it runs.

**Before.** The cost is the number of values the answer would hold: every selected
field counts once for each time it appears in the answer, so a field under a list
counts once per item and nested lists multiply. A list's size is, in order:
its `first` argument (a literal or a variable); for `_entities`, the number of
`representations`; for a list directly under a field with `first` (a connection's
`edges`), that `first`; otherwise `list_size`, the documented guess for lists the
query does not size (`PETITION_HUB_QUERY_LIST_SIZE`). Introspection fields count
once each: their answer is bounded by the schema. An operation over
`PETITION_HUB_MAX_QUERY_COST` is refused, before anything runs, with
`QUERY_TOO_COMPLEX` and the computed `cost` and `limit` in `extensions`.

**While.** The estimate guesses; the answer itself is counted as it is built. Past
`PETITION_HUB_MAX_ANSWER_VALUES` resolved values the operation stops and answers
`QUERY_TOO_COMPLEX` alone. Together the two bound the work one request can make
the event loop do, so other requests (and `/healthz`) keep being served.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
)
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from resolvers.errors import HubError
from schema.limits import QUERY_TOO_COMPLEX


class QueryTooComplex(HubError):
    """An operation too large to answer (the API's own: no page builds one)."""

    code = QUERY_TOO_COMPLEX


def _value(node: ValueNode, variables: dict[str, Any]) -> Any:
    if isinstance(node, VariableNode):
        return variables.get(node.name.value)
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, ListValueNode):
        return node.values
    return None


def _count(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


class _Estimate:
    """One operation's estimate; each fragment is costed once (costs are linear in the
    number of times a selection appears, so a fragment spread a thousand times is
    multiplied, not walked a thousand times)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        list_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.list_size = list_size
        self.memo: dict[tuple[str, int | None], int] = {}

    def selection_set(self, node: SelectionSetNode | None, parent: Any, page: int | None) -> int:
        """The cost of one value of type `parent` answering `node`."""
        if node is None:
            return 0
        total = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                kind = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, kind, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, page)
        return total

    def fragment(self, name: str, page: int | None) -> int:
        key = (name, page)
        if key not in self.memo:
            self.memo[key] = 0  # a cycle (refused by validation) costs nothing more
            definition = self.fragments.get(name)
            if definition is not None:
                kind = self.schema.get_type(definition.type_condition.name.value)
                self.memo[key] = self.selection_set(definition.selection_set, kind, page)
        return self.memo[key]

    def field(self, node: FieldNode, parent: Any, page: int | None) -> int:
        name = node.name.value
        fields = getattr(parent, "fields", None)
        if name.startswith("__") or not fields or name not in fields:
            return 1
        definition = fields[name]
        arguments = {a.name.value: _value(a.value, self.variables) for a in node.arguments or ()}
        first = _count(arguments.get("first"))
        size = 1
        kind = definition.type
        outer = True
        while isinstance(kind, GraphQLNonNull | GraphQLList):
            if isinstance(kind, GraphQLList):
                size *= self.list_length(name, arguments, first, page) if outer else self.list_size
                outer = False
            kind = kind.of_type
        # A field sized by `first` that is not itself a list (a connection) sizes the
        # lists right under it (its `edges`).
        child_page = first if outer else None
        children = self.selection_set(node.selection_set, get_named_type(kind), child_page)
        return size * (1 + children)

    def list_length(
        self, name: str, arguments: dict[str, Any], first: int | None, page: int | None
    ) -> int:
        if first is not None:
            return first
        representations = arguments.get("representations")
        if name == "_entities" and isinstance(representations, list | tuple):
            return len(representations)
        if page is not None:
            return page
        return self.list_size


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    *,
    list_size: int,
) -> int:
    """The number of values the operation's answer would hold (see the module's doc)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0  # execution reports the missing operation
    given = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in given and definition.default_value is not None:
            given[name] = _value(definition.default_value, {})
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    root = schema.get_root_type(operation.operation)
    return _Estimate(schema, fragments, given, list_size).selection_set(
        operation.selection_set, root, None
    )


class QueryCost(SchemaExtension):
    """Refuses an operation whose estimated cost is over the limit, caps the values its
    answer may hold."""

    def __init__(self, *, max_cost: int, max_values: int, list_size: int) -> None:
        self.max_cost = max_cost
        self.max_values = max_values
        self.list_size = list_size
        self.values = 0
        self.counting = False

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            cost = estimate_cost(
                context.schema._schema,
                document,
                context.operation_name,
                context.variables,
                list_size=self.list_size,
            )
            if cost > self.max_cost:
                raise QueryTooComplex(
                    "the answer would hold about {cost} values; at most {limit} are allowed "
                    "(ask for smaller pages, or fewer nested lists)",
                    params={"cost": cost, "limit": self.max_cost},
                    cost=cost,
                    limit=self.max_cost,
                )
        # A subscription's events are each costed as above; the count is per answer.
        operation = get_operation_ast(document, context.operation_name) if document else None
        self.counting = not (
            isinstance(operation, OperationDefinitionNode)
            and operation.operation is OperationType.SUBSCRIPTION
        )
        yield
        result = context.result
        if self.values > self.max_values and isinstance(result, GraphQLExecutionResult):
            result.data = None
            result.errors = [self.stop]

    @cached_property
    def stop(self) -> GraphQLError:
        """The one error that ends an answer grown too large. It is raised by every
        field resolved after the limit, already located (`path` set), so graphql-core
        neither wraps nor locates it again, and each list stops at its first item."""
        return GraphQLError(
            f"the answer grew beyond {self.max_values} values; ask for less",
            path=[],
            extensions={"code": QUERY_TOO_COMPLEX, "limit": self.max_values},
        )

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any
    ) -> Any:
        if self.counting:
            self.values += 1
            if self.values > self.max_values:
                raise self.stop.with_traceback(None)
        return _next(root, info, *args, **kwargs)
