"""A validated query → one SQL statement that returns the answer's `data` as JSON text.

`compile_operation` walks the selection against `mapping.TYPES` and gives up (returns
None) at the first thing it cannot express exactly as the resolvers answer it: a
directive, a field outside the map, arguments the resolvers would refuse, a caller
without the `petitions:read` scope. The slice is `resolvers.access.petition_filter` and
the narrowing `resolvers.petitions.scoped_petitions` / `keyset_page`, the very
expressions the resolvers run, so both paths see the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from graphql.execution.values import VariableValues, get_argument_values
from sqlalchemy import ColumnElement, Select, Text, cast, func, literal, select

from db import models
from resolvers.access.caller import Caller
from resolvers.access.policy import petition_scope
from resolvers.appeals import reading as petition_resolvers
from resolvers.appeals.repeats import sees_every_repeat
from resolvers.errors import HubError
from resolvers.pagination import page_size
from resolvers.services import Services
from schema.compiler.dialect import MAX_PAIRS, Dialect
from schema.compiler.mapping import TYPES, Mapped, ToMany, ToOne, snake

ROOT_FIELDS = frozenset({"petitions", "petition", "__typename"})


# Stored values that a partner sees only in part: the repeat count and level-skipping
# flag, and the events' data (a REPEAT_LINKED event names the earlier appeal).
SLICED_BY_REPEATS = frozenset(
    {("Petition", "repeatCount"), ("Petition", "levelSkipping"), ("PetitionEvent", "data")}
)


class CannotCompile(Exception):
    """The query needs the resolvers."""


@dataclass
class Compiler:
    """Builds the statement for one operation of one caller."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: VariableValues
    caller: Caller
    services: Services
    dialect: Dialect
    now: datetime
    pages: int = 0
    # Whether the statement holds `now` (overdue, due soon): such a statement is built
    # afresh for each request instead of being reused.
    uses_now: bool = False

    def fields(self, selection_set: SelectionSetNode | None, type_name: str) -> list[FieldNode]:
        """The fields of a selection set with fragments on the same type inlined; a
        response key asked twice is left to the resolvers (they merge it)."""
        found: list[FieldNode] = []

        def walk(node: SelectionSetNode, seen: frozenset[str]) -> None:
            for selection in node.selections:
                if selection.directives:
                    raise CannotCompile("directive")
                if isinstance(selection, FieldNode):
                    found.append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    if condition is not None and condition.name.value != type_name:
                        raise CannotCompile("fragment on another type")
                    walk(selection.selection_set, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if fragment is None or name in seen or fragment.directives:
                        raise CannotCompile("fragment")
                    if fragment.type_condition.name.value != type_name:
                        raise CannotCompile("fragment on another type")
                    walk(fragment.selection_set, seen | {name})

        if selection_set is None:
            raise CannotCompile("no selection")
        walk(selection_set, frozenset())
        keys = [response_key(f) for f in found]
        if len(set(keys)) != len(keys) or len(keys) > MAX_PAIRS:
            raise CannotCompile("repeated response key or too many fields")
        return found

    def arguments(self, parent: GraphQLObjectType, node: FieldNode) -> dict[str, Any]:
        definition: GraphQLField = parent.fields[node.name.value]
        return get_argument_values(definition, node, self.variables)

    # -- the root ------------------------------------------------------------------

    def operation(self, operation: OperationDefinitionNode) -> Select:  # type: ignore[type-arg]
        if operation.operation is not OperationType.QUERY or operation.directives:
            raise CannotCompile("not a query")
        if "petitions:read" not in self.caller.scopes:
            raise CannotCompile("the resolvers refuse it")
        query_type = self.schema.query_type
        assert query_type is not None
        pairs: list[tuple[str, Any]] = []
        for node in self.fields(operation.selection_set, query_type.name):
            name = node.name.value
            if name not in ROOT_FIELDS:
                raise CannotCompile(name)
            if name == "__typename":
                pairs.append((response_key(node), literal(query_type.name)))
            elif name == "petition":
                pairs.append((response_key(node), self.one_petition(query_type, node)))
            else:
                pairs.append((response_key(node), self.petition_page(query_type, node)))
        # As text: the driver would otherwise decode the JSON only for it to be encoded again.
        return select(cast(self.dialect.obj(pairs), Text))

    def one_petition(self, parent: GraphQLObjectType, node: FieldNode) -> Any:
        args = self.arguments(parent, node)
        ident, number = args.get("id"), args.get("number")
        if (ident is None) == (number is None):
            raise CannotCompile("the resolvers refuse it")
        p = models.Petition.__table__
        statement = petition_scope(select(p), self.caller)
        if ident is not None:
            try:
                value = int(str(ident))
            except ValueError:
                return literal(None)
            if not 0 < value < 2**63:
                return literal(None)
            statement = statement.where(p.c.id == value)
        else:
            statement = statement.where(p.c.number == number)
        row = statement.subquery("one")
        body = self.object("Petition", row, node)
        return self.dialect.nested(select(body).select_from(row).scalar_subquery())

    def petition_page(self, parent: GraphQLObjectType, node: FieldNode) -> Any:
        args = self.arguments(parent, node)
        d = self.dialect
        try:
            where = _filter(args.get("filter"))
            self.uses_now |= where.overdue is not None or where.due_soon is not None
            first = page_size(args.get("first"), self.services.settings.max_page_size)
            order = petition_resolvers.PetitionOrder(args["orderBy"].value)
            after = args.get("after")
            scoped = petition_resolvers.scoped_petitions(
                self.caller, where, self.now, self.services
            )
            page_query = petition_resolvers.keyset_page(scoped, order, after, first)
        except HubError:
            raise CannotCompile("the resolvers refuse it") from None
        p = models.Petition.__table__
        key_name = "due_at" if order.by_due else "received_at"
        sort = (
            [p.c[key_name].desc(), p.c.id.desc()]
            if order.descending
            else [p.c[key_name].asc(), p.c.id.asc()]
        )
        self.pages += 1
        page = page_query.add_columns(func.row_number().over(order_by=sort).label("rn")).cte(
            f"page_{self.pages}"
        )

        def cursor(source: Any) -> Any:
            key = d.utc_time(source.c[key_name])
            return d.b64url(
                literal(order.value + "|").concat(key).concat("|").concat(d.ident(source.c.id))
            )

        connection_type = self.schema.get_type("PetitionConnection")
        assert isinstance(connection_type, GraphQLObjectType)
        pairs: list[tuple[str, Any]] = []
        for field in self.fields(node.selection_set, "PetitionConnection"):
            name, key = field.name.value, response_key(field)
            if name == "__typename":
                pairs.append((key, literal("PetitionConnection")))
            elif name == "totalCount":
                pairs.append(
                    (
                        key,
                        petition_resolvers.count_expression(
                            self.caller, where, self.now, self.services
                        ),
                    )
                )
            elif name == "pageInfo":
                pairs.append((key, self.page_info(field, page, cursor, first)))
            elif name == "edges":
                pairs.append((key, self.edges(field, page, cursor, first)))
            else:
                raise CannotCompile(name)
        return d.obj(pairs)

    def page_info(
        self, node: FieldNode, page: Any, cursor: Callable[[Any], Any], first: int
    ) -> Any:
        d = self.dialect
        pairs: list[tuple[str, Any]] = []
        for field in self.fields(node.selection_set, "PageInfo"):
            name, key = field.name.value, response_key(field)
            if name == "__typename":
                pairs.append((key, literal("PageInfo")))
            elif name == "hasNextPage":
                more = select(func.count()).select_from(page).where(page.c.rn > first)
                pairs.append((key, d.boolean(more.scalar_subquery() > 0)))
            elif name == "endCursor":
                last = select(func.max(page.c.rn)).where(page.c.rn <= first).scalar_subquery()
                pairs.append((key, select(cursor(page)).where(page.c.rn == last).scalar_subquery()))
            else:
                raise CannotCompile(name)
        return d.nested(select(d.obj(pairs)).scalar_subquery())

    def edges(self, node: FieldNode, page: Any, cursor: Callable[[Any], Any], first: int) -> Any:
        d = self.dialect
        rows = select(page).where(page.c.rn <= first).order_by(page.c.rn).subquery("edge")
        pairs: list[tuple[str, Any]] = []
        for field in self.fields(node.selection_set, "PetitionEdge"):
            name, key = field.name.value, response_key(field)
            if name == "__typename":
                pairs.append((key, literal("PetitionEdge")))
            elif name == "cursor":
                pairs.append((key, cursor(rows)))
            elif name == "node":
                pairs.append((key, self.object("Petition", rows, field)))
            else:
                raise CannotCompile(name)
        aggregate = select(d.array(d.obj(pairs), [rows.c.rn])).select_from(rows)
        return d.nested(aggregate.scalar_subquery())

    # -- objects -------------------------------------------------------------------

    def object(self, type_name: str, row: Any, node: FieldNode) -> ColumnElement[Any]:
        """The JSON object for `node`'s selection on one row of `type_name`."""
        mapped = TYPES[type_name]
        graphql_type = self.schema.get_type(type_name)
        assert isinstance(graphql_type, GraphQLObjectType)
        pairs: list[tuple[str, Any]] = []
        for field in self.fields(node.selection_set, type_name):
            pairs.append((response_key(field), self.value(mapped, graphql_type, row, field)))
        return self.dialect.obj(pairs)

    def value(self, mapped: Mapped, parent: GraphQLObjectType, row: Any, node: FieldNode) -> Any:
        d = self.dialect
        name = node.name.value
        if (parent.name, name) in SLICED_BY_REPEATS and not sees_every_repeat(self.caller):
            # Repeats are shown only as far as the caller's slice holds the earlier
            # appeals (resolvers/appeals/repeats.py): the resolvers answer those fields.
            raise CannotCompile(f"{parent.name}.{name} is sliced by repeats")
        if name == "__typename":
            return literal(parent.name)
        if name in mapped.cursors:
            return d.b64url(d.ident(row.c[mapped.cursors[name]]))
        if name in mapped.scalars:
            column = mapped.column(row, name)
            kind = named_type(parent.fields[name].type)
            if kind == "ID":
                return d.ident(column)
            if kind == "Boolean":
                return d.boolean(column)
            if kind == "DateTime":
                return d.local_time(column)
            if kind == "JSON":
                return d.json_column(column)
            return column
        relation = mapped.relations.get(name)
        if isinstance(relation, ToOne):
            target = TYPES[relation.target]
            other = target.table.alias()
            body = self.object(relation.target, other, node)
            found = select(body).where(other.c.id == row.c[relation.foreign_key])
            return d.nested(found.scalar_subquery())
        if isinstance(relation, ToMany):
            return self.many(relation, parent, row, node)
        raise CannotCompile(f"{parent.name}.{name}")

    def many(self, relation: ToMany, parent: GraphQLObjectType, row: Any, node: FieldNode) -> Any:
        d = self.dialect
        target = TYPES[relation.target]
        args = self.arguments(parent, node)
        child = target.table.alias()
        inner = select(child).where(child.c[relation.foreign_key] == row.c.id)
        if relation.kinds_argument and args.get(relation.kinds_argument):
            inner = inner.where(child.c.kind.in_([k.name for k in args[relation.kinds_argument]]))
        inner = inner.order_by(*[child.c[c] for c in relation.order])
        limit = args.get(relation.limit_argument) if relation.limit_argument else None
        if limit is not None:
            inner = inner.limit(max(limit, 0))
        rows = inner.correlate_except(child).subquery()
        item = self.object(relation.target, rows, node)
        aggregate = select(d.array(item, [rows.c[c] for c in relation.order])).select_from(rows)
        return d.nested(aggregate.scalar_subquery())


def response_key(node: FieldNode) -> str:
    return node.alias.value if node.alias else node.name.value


def named_type(graphql_type: Any) -> str:
    while isinstance(graphql_type, GraphQLNonNull | GraphQLList):
        graphql_type = graphql_type.of_type
    return str(graphql_type.name)


def _filter(given: dict[str, Any] | None) -> petition_resolvers.PetitionFilter:
    from schema.appeals.queries import PetitionFilter  # the door's own input, and its checks

    values = {snake(k): v for k, v in (given or {}).items()}
    return PetitionFilter(**values).to_domain()
