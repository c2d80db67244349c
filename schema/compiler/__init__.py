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
from datetime import datetime, timedelta
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
from sqlalchemy import func, literal_column
from sqlalchemy.engine import Dialect as SQLDialect
from sqlalchemy.exc import SQLAlchemyError
from strawberry.extensions import AddValidationRules

from db.config import Settings
from db.models import utcnow
from resolvers.access.caller import Caller
from resolvers.access.tokens import token_lookup
from resolvers.services import Services
from resolvers.validation import unstorable
from schema.compiler.compile import CannotCompile, Compiler
from schema.compiler.dialect import Dialect, fixed_offset
from schema.compiler.driver import DriverStatement, driver_statement
from schema.context import Context
from schema.cost import estimate_cost
from schema.hygiene import _FindUnstorable, _in_value
from schema.limits import document_limits

log = logging.getLogger("petition_hub.compiled")
STATEMENTS_KEPT = 1024
_UNCOMPILABLE = object()


@dataclass(frozen=True)
class Plan:
    """A request the compiled path may answer, as far as it is known without the caller."""

    query: str
    operation_name: str | None
    given: bytes  # the variables as sent, keys sorted (part of the statement's key)
    document: DocumentNode
    operation: OperationDefinitionNode
    variables: VariableValues
    name: str | None  # the operation's own name


def slice_of(caller: Caller) -> tuple[Any, ...]:
    """What a compiled statement depends on of its caller: the slice and the scopes."""
    return (caller.organisation_id, caller.organisation_kind, caller.region_id, caller.scopes)


@dataclass(frozen=True)
class Guarded:
    """A compiled statement inside the token's lookup: as SQLAlchemy's statement (its
    `answer` the JSON text), and on PostgreSQL as the driver's own
    (`driver.DriverStatement`, its `answer` the text's UTF-8 bytes)."""

    statement: Any
    driver: DriverStatement | None


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
        # Checked requests by query, operation and variables (`plan`), and the statements
        # with the token's lookup around them (`guarded`).
        self._plans: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._guarded: OrderedDict[tuple[Any, ...], Guarded] = OrderedDict()

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

    def plan(
        self, query: str | None, variables: dict[str, Any] | None, operation_name: str | None
    ) -> Plan | None:
        """What a request asks, checked as far as it can be without the caller: parsed and
        validated (cached by text), the door's limits and cost within bounds, variables
        coerced. None: the request goes to strawberry (which refuses what must be
        refused). Plans are kept by query, operation and variables."""
        if not self.enabled or not query or unstorable(query) is not None:
            return None  # the resolvers refuse text no database stores, naming the field
        if variables is not None and not isinstance(variables, dict):
            return None
        if variables and _in_value(variables, "variables") is not None:
            return None
        try:
            given = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
        except (orjson.JSONEncodeError, TypeError):
            return None
        key = (query, operation_name, given)
        found = self._plans.get(key)
        if found is not None:
            self._plans.move_to_end(key)
            return None if found is _UNCOMPILABLE else found
        plan = self._plan(query, variables, operation_name, given)
        self._plans[key] = _UNCOMPILABLE if plan is None else plan
        if len(self._plans) > STATEMENTS_KEPT:
            self._plans.popitem(last=False)
        return plan

    def _plan(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        given: bytes,
    ) -> Plan | None:
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
        name = operation.name.value if operation.name else None
        return Plan(query, operation_name, given, document, operation, coerced, name)

    def statement(
        self, plan: Plan, caller: Caller, services: Services, dialect_name: str, now: datetime
    ) -> Any | None:
        """The statement answering `plan` for `caller`'s slice (kept per query, variables
        and slice), or None when the resolvers must answer."""
        key = (plan.query, plan.operation_name, plan.given, *slice_of(caller))
        statement = self._statements.get(key)
        if statement is None:
            statement = self._build(services, now, caller, plan, dialect_name, key)
        else:
            self._statements.move_to_end(key)
        return None if statement is _UNCOMPILABLE else statement

    def guarded(
        self, plan: Plan, caller: Caller, services: Services, dialect: SQLDialect
    ) -> Guarded | None:
        """The statement for `plan` as a column of the token's own lookup (`tokens.
        token_lookup`): ONE statement checks the token and reads the answer, for a
        caller already known from that token; on PostgreSQL also as the driver runs it
        (`driver.py`). None when the resolvers must answer (or the statement holds the
        time, and so is not kept)."""
        key = (plan.query, plan.operation_name, plan.given, *slice_of(caller))
        found = self._guarded.get(key)
        if found is not None:
            self._guarded.move_to_end(key)
            return found
        statement = self.statement(plan, caller, services, dialect.name, utcnow())
        if statement is None or key not in self._statements:
            return None
        answer = statement.scalar_subquery()
        lookup = token_lookup(answer.label("answer"))
        driver = None
        if dialect.name == "postgresql":
            # The answer as the bytes of its UTF-8 text: the driver hands them over as
            # they are, where text would be decoded only to be encoded again (~60 µs of
            # Python for the list's 20 KB of mostly Chinese JSON).
            as_bytes = func.convert_to(answer, literal_column("'UTF8'"))
            driver = driver_statement(token_lookup(as_bytes.label("answer")), dialect)
        found = self._guarded[key] = Guarded(lookup, driver)
        if len(self._guarded) > STATEMENTS_KEPT:
            self._guarded.popitem(last=False)
        return found

    async def answer(
        self,
        context: Context,
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> Answer | None:
        """The answer's `data` as JSON, or None for the resolvers."""
        caller = context.maybe_caller
        if caller is None:
            return None
        plan = self.plan(query, variables, operation_name)
        if plan is None:
            return None
        async with context.database() as session:
            statement = self.statement(
                plan, caller, context.services, session.get_bind().dialect.name, context.now
            )
            if statement is None:
                return None
            try:
                text = (await session.execute(statement)).scalar_one()
            except SQLAlchemyError:
                log.exception("compiled read failed; answering with the resolvers")
                await session.rollback()
                return None
        self.answered += 1
        return Answer(text.encode(), plan.name)

    def _build(
        self,
        services: Services,
        now: datetime,
        caller: Caller,
        plan: Plan,
        dialect_name: str,
        key: tuple[Any, ...],
    ) -> Any:
        offset = fixed_offset(services.tz)
        document, operation = plan.document, plan.operation
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        compiler = Compiler(
            schema=self.schema,
            fragments=fragments,
            variables=plan.variables,
            caller=caller,
            services=services,
            dialect=Dialect(dialect_name, offset or timedelta()),
            now=now,
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
