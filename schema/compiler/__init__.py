"""The compiled read path (PERFORMANCE.md): a query whose every field maps to a column or
a relation is answered by ONE SQL statement that builds the JSON in the database, with
the resolvers' own access policy; anything else goes to the resolvers, which stay the
reference. `tests/test_compiled_reads.py` holds the two paths to the same answers.
"""

from __future__ import annotations

import functools
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
    visit,
)
from graphql.execution.values import VariableValues, get_variable_values
from sqlalchemy.exc import SQLAlchemyError
from strawberry.extensions import AddValidationRules

from db.config import Settings
from resolvers.access.caller import Caller
from resolvers.validation import unstorable
from schema.compiler.compile import CannotCompile, Compiler
from schema.compiler.dialect import Dialect, fixed_offset
from schema.context import Context
from schema.cost import estimate_cost
from schema.hygiene import _FindUnstorable, _in_value
from schema.limits import document_limits

log = logging.getLogger("petition_hub.compiled")
STATEMENTS_KEPT = 1024
_UNCOMPILABLE = object()


@dataclass(frozen=True)
class Answer:
    """A compiled answer: `data` as the database wrote it, and the operation's name."""

    data: bytes
    operation: str | None


class CompiledReads:
    """Answers the queries it can compile; `None` hands a request to the resolvers."""

    def __init__(self, schema: GraphQLSchema, settings: Settings, *, enabled: bool = True) -> None:
        self.schema = schema
        self.settings = settings
        self.max_tokens = settings.max_tokens
        # The door's own limits (schema/limits.py, schema/cost.py): a document they would
        # refuse goes to strawberry, which refuses it with the right error.
        limits = [
            factory()
            for factory in document_limits(
                max_depth=settings.max_query_depth,
                max_aliases=settings.max_aliases,
                max_tokens=settings.max_tokens,
            )
        ]
        self.rules = [
            *specified_rules,
            *(
                rule
                for extension in limits
                if isinstance(extension, AddValidationRules)
                for rule in extension.validation_rules
            ),
        ]
        self.enabled = enabled
        self.answered = 0  # how many requests the compiled path answered (for tests)
        self._document = functools.lru_cache(maxsize=512)(self._parse_and_validate)
        # Built statements by query, variables and the caller's slice: building and
        # compiling one costs ~10 ms of Python, running it well under one. A statement
        # is SQLAlchemy's, so its SQL text is also cached by the engine. `_UNCOMPILABLE`
        # remembers what goes to the resolvers.
        self._statements: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    def _parse_and_validate(self, query: str) -> DocumentNode | None:
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError:
            return None
        finder = _FindUnstorable()  # a string literal may spell U+0000 as an escape
        visit(document, finder)
        if finder.found or validate(self.schema, document, self.rules):
            return None
        return document

    async def answer(
        self,
        context: Context,
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> Answer | None:
        """The answer's `data` as JSON, or None for the resolvers."""
        caller = context.maybe_caller
        if not self.enabled or caller is None or not query or unstorable(query) is not None:
            return None  # the resolvers refuse text no database stores, naming the field
        if variables and _in_value(variables, "variables") is not None:
            return None
        document = self._document(query)
        if document is None:
            return None
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            return None
        coerced = get_variable_values(
            self.schema, operation.variable_definitions or (), variables or {}
        )
        if isinstance(coerced, list):
            return None
        cost = estimate_cost(
            self.schema,
            document,
            operation_name,
            variables,
            list_size=self.settings.query_list_size,
        )
        if cost > min(self.settings.max_query_cost, self.settings.max_answer_values):
            return None
        try:
            given = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            return None
        key = (
            query,
            operation_name,
            given,
            caller.organisation_id,
            caller.organisation_kind,
            caller.region_id,
            caller.scopes,
        )
        async with context.database() as session:
            statement = self._statements.get(key)
            if statement is None:
                statement = self._build(
                    context,
                    caller,
                    document,
                    operation,
                    coerced,
                    session.get_bind().dialect.name,
                    key,
                )
            else:
                self._statements.move_to_end(key)
            if statement is _UNCOMPILABLE:
                return None
            try:
                text = (await session.execute(statement)).scalar_one()
            except SQLAlchemyError:
                log.exception("compiled read failed; answering with the resolvers")
                await session.rollback()
                return None
        self.answered += 1
        name = operation.name.value if operation.name else None
        return Answer(text.encode(), name)

    def _build(
        self,
        context: Context,
        caller: Caller,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
        dialect_name: str,
        key: tuple[Any, ...],
    ) -> Any:
        offset = fixed_offset(context.services.tz)
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        compiler = Compiler(
            schema=self.schema,
            fragments=fragments,
            variables=variables,
            caller=caller,
            services=context.services,
            dialect=Dialect(dialect_name, offset or timedelta()),
            now=context.now,
        )
        try:
            if offset is None:
                raise CannotCompile("a time zone with summer time")
            statement: Any = compiler.operation(operation)
        except CannotCompile:
            statement = _UNCOMPILABLE
        if not compiler.uses_now:
            self._statements[key] = statement
            if len(self._statements) > STATEMENTS_KEPT:
                self._statements.popitem(last=False)
        return statement
