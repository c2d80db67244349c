"""The schema object: queries, mutations, subscriptions, federation v2, limits, caches."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Sequence
from typing import Annotated, Any

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.federation.schema import FederationAny
from strawberry.types import ExecutionResult

from db.config import Settings
from resolvers.errors import BadUserInput
from schema import deadlines as policy_fields
from schema import directory as organisation_fields
from schema import stats as stats_fields
from schema.access import audit as audit_fields
from schema.access import me as me_fields
from schema.appeals import intake
from schema.appeals import queries as petition_fields
from schema.appeals.types import Petition
from schema.context import Context
from schema.cost import QueryCost
from schema.directory import Enterprise, Organisation
from schema.enums import OrganisationKind
from schema.errors import CloseSession, classify
from schema.events import Subscription
from schema.hygiene import RefuseNulCharacters
from schema.limits import document_limits
from schema.workflow import WorkflowMutation


@strawberry.type(description="Everything a caller may read, within its slice.")
class Query:
    me: me_fields.Me = strawberry.field(resolver=me_fields.me, description="Who the caller is.")
    petitions: petition_fields.PetitionConnection = strawberry.field(
        resolver=petition_fields.petitions,
        description="The caller's appeals, newest received first.",
    )
    petition: Petition | None = strawberry.field(
        resolver=petition_fields.petition,
        description="One appeal by id or number; null when absent or outside the caller's slice.",
    )
    audit_log: audit_fields.AuditPage = strawberry.field(
        resolver=audit_fields.audit_log,
        description="Reads of personal and psychological data, newest first (hall admins only).",
    )
    stats: stats_fields.Stats = strawberry.field(
        resolver=stats_fields.resolve_stats,
        description="The figures leaders watch for a period, over the caller's slice only.",
    )
    time_limit_policies: list[policy_fields.TimeLimitPolicy] = strawberry.field(
        resolver=policy_fields.time_limit_policies,
        description="The time limits in working days, per category and step.",
    )

    @strawberry.field(description="The organisations of the hub (the routing directory).")
    async def organisations(
        self,
        info: strawberry.Info,
        kinds: Annotated[
            list[OrganisationKind] | None, strawberry.argument(description="Only these kinds.")
        ] = None,
    ) -> list[Organisation]:
        return await organisation_fields.organisations(info, kinds)

    @strawberry.field(description="One organisation by its code.")
    async def organisation(
        self,
        info: strawberry.Info,
        code: Annotated[str, strawberry.argument(description="e.g. `PS-LMC`.")],
    ) -> Organisation | None:
        return await organisation_fields.organisation(info, code)

    @strawberry.field(description="An enterprise by its unified social credit code.")
    async def enterprise(
        self,
        info: strawberry.Info,
        uscc: Annotated[str, strawberry.argument(description="18 characters (GB 32100).")],
    ) -> Enterprise | None:
        return await organisation_fields.enterprise(info, uscc)


@strawberry.type(
    description="Every change of state; each writes its event in the same transaction."
)
class Mutation(WorkflowMutation):
    submit_petition: Petition = strawberry.mutation(
        resolver=intake.submit_petition,
        description="Register an appeal received by the caller's organisation.",
    )
    set_time_limit_policy: policy_fields.TimeLimitPolicy = strawberry.mutation(
        resolver=policy_fields.set_time_limit_policy,
        description="Create or change a time limit (the hall's administrators only); it "
        "applies to appeals registered from then on.",
    )


ENTITY_KEYS = {"Petition": "id", "Organisation": "id", "Enterprise": "uscc"}


class HubSchema(strawberry.federation.Schema):
    """The federation schema, with every error given its `extensions.code`."""

    async def execute(self, query: str | None, *args: Any, **kwargs: Any) -> ExecutionResult:
        result = await super().execute(query, *args, **kwargs)
        if result.errors:
            context = kwargs.get("context_value")
            request_id = getattr(context, "request_id", "")
            result.errors = [classify(e, request_id) for e in result.errors]
        return result

    async def stream(  # type: ignore[override]
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> AsyncGenerator[Any, None]:
        """Operations over a WebSocket (subscriptions above all), classified like
        `execute`, each with a context of its own."""
        if isinstance(context_value, Context):
            context_value = context_value.fork()
        results = await super().stream(query, variable_values, context_value, *args, **kwargs)
        return _classified(results, getattr(context_value, "request_id", ""))

    def entities_resolver(  # type: ignore[override]
        self, info: strawberry.Info, representations: list[FederationAny]
    ) -> list[FederationAny]:
        """Federation's `_entities`, refusing malformed representations one by one."""
        info.context.caller  # noqa: B018 - no caller, no entities
        results: list[Any] = []
        for index, given in enumerate(representations):
            representation: Any = given
            key = (
                ENTITY_KEYS.get(str(representation.get("__typename")))
                if isinstance(representation, dict)
                else None
            )
            value = representation.get(key) if key else None
            if key is None or not isinstance(value, str | int) or isinstance(value, bool):
                results.append(
                    BadUserInput(
                        "a representation needs __typename Petition or Organisation with id, "
                        "or Enterprise with uscc",
                        field=f"representations.{index}",
                    )
                )
                continue
            clean = {"__typename": representation["__typename"], key: str(value)}
            results.extend(super().entities_resolver(info, [FederationAny(clean)]))
        return results

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        # `classify` logs what is internal, with the request id; the rest is
        # the caller's own mistake and no cause for a traceback in the log.
        return None


async def _classified(
    results: AsyncGenerator[Any, None], request_id: str
) -> AsyncGenerator[Any, None]:
    async with contextlib.aclosing(results):
        async for result in results:
            if isinstance(result, ExecutionResult) and result.errors:
                result.errors = [classify(e, request_id) for e in result.errors]
            yield result


def build_schema(settings: Settings, *, observers: Sequence[Any] = ()) -> HubSchema:
    """The GraphQL schema with the configured limits; `observers` are extensions the
    door adds to watch operations (metrics, tracing)."""
    return HubSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Enterprise, Organisation, Petition],
        federation_version="2.7",
        extensions=[
            CloseSession,
            RefuseNulCharacters,
            lambda: ParserCache(maxsize=512),
            lambda: ValidationCache(maxsize=512),
            *document_limits(
                max_depth=settings.max_query_depth,
                max_aliases=settings.max_aliases,
                max_tokens=settings.max_tokens,
            ),
            lambda: QueryCost(
                max_cost=settings.max_query_cost,
                max_values=settings.max_answer_values,
                list_size=settings.query_list_size,
            ),
            *observers,
        ],
    )
