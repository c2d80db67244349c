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
from resolvers.errors import BadUserInput, Forbidden
from schema import backlog as backlog_fields
from schema import care as care_fields
from schema import deadlines as policy_fields
from schema import directory as organisation_fields
from schema import stats as stats_fields
from schema.access import audit as audit_fields
from schema.access import me as me_fields
from schema.appeals import intake
from schema.appeals import queries as petition_fields
from schema.appeals.types import Petition
from schema.backlog import BacklogCase, BacklogMutation
from schema.care import CareMutation, CareSession, Screening
from schema.context import Context
from schema.cost import QueryCost
from schema.credit import fields as credit_fields
from schema.credit.fields import CreditMutation
from schema.credit.types import CreditRecord
from schema.directory import Enterprise, Organisation
from schema.dispatch import DispatchMutation
from schema.disputes import queries as dispute_fields
from schema.disputes.adjudication import ArbitrationCase, LitigationCase
from schema.disputes.mediation import MediationCase
from schema.disputes.mutations import DisputeMutation
from schema.disputes.parties import Project
from schema.enums import OrganisationKind
from schema.errors import CloseSession, classify
from schema.events import SharedEventResults, Subscription
from schema.hygiene import RefuseUnstorableText
from schema.limits import document_limits
from schema.workflow.mutation import WorkflowMutation

# Federation hygiene (README, "Joining the district's graph"): what partners use is tagged
# `partner` for contracts; the scopes the hub demands are declared with @requiresScopes so
# that a router can refuse early (the hub still refuses by itself); the hub's own
# administration is @inaccessible in the supergraph.
PARTNER = ["partner"]
READ = [["petitions:read"]]
CREDIT = [["credit:read"]]


@strawberry.type(description="Everything a caller may read, within its slice.")
class Query:
    me: me_fields.Me = strawberry.federation.field(
        resolver=me_fields.me, description="Who the caller is.", tags=PARTNER
    )
    petitions: petition_fields.PetitionConnection = strawberry.federation.field(
        resolver=petition_fields.petitions,
        description="The caller's appeals, newest received first unless `orderBy` says otherwise.",
        tags=PARTNER,
        requires_scopes=READ,
    )
    petition: Petition | None = strawberry.federation.field(
        resolver=petition_fields.petition,
        description="One appeal by id or number; null when absent or outside the caller's slice.",
        tags=PARTNER,
        requires_scopes=READ,
    )
    audit_log: audit_fields.AuditPage = strawberry.federation.field(
        resolver=audit_fields.audit_log,
        description="Reads of personal and psychological data, and the hall's corrections of "
        "petitioners' records, newest first (hall admins only).",
        inaccessible=True,
    )
    stats: stats_fields.Stats = strawberry.federation.field(
        resolver=stats_fields.resolve_stats,
        description="The figures leaders watch for a period, over the caller's slice only.",
        tags=PARTNER,
        requires_scopes=READ,
    )
    screenings: care_fields.ScreeningConnection = strawberry.federation.field(
        resolver=care_fields.screenings,
        description="Screenings, newest first: the psychological care centre's (psych:read); "
        "empty for everyone else.",
        tags=PARTNER,
    )
    care_sessions: care_fields.CareSessionConnection = strawberry.federation.field(
        resolver=care_fields.care_sessions,
        description="Care sessions and home visits, newest first: the care centre's only.",
        tags=PARTNER,
    )
    counselling_plans: list[care_fields.CounsellingPlan] = strawberry.federation.field(
        resolver=care_fields.counselling_plans,
        description="A person's counselling plans: the care centre's only.",
        tags=PARTNER,
    )
    crisis_records: list[care_fields.CrisisRecord] = strawberry.federation.field(
        resolver=care_fields.crisis_records,
        description="A person's crisis records: the care centre's only.",
        tags=PARTNER,
    )
    backlog_cases: backlog_fields.BacklogCaseConnection = strawberry.federation.field(
        resolver=backlog_fields.backlog_cases,
        description="Backlog cases (积案) whose appeals the caller sees, oldest first.",
        tags=PARTNER,
        requires_scopes=READ,
    )
    time_limit_policies: list[policy_fields.TimeLimitPolicy] = strawberry.federation.field(
        resolver=policy_fields.time_limit_policies,
        description="The time limits in working days, per category and step.",
        tags=PARTNER,
    )

    mediation_cases: dispute_fields.MediationCaseConnection = strawberry.federation.field(
        resolver=dispute_fields.mediation_cases,
        description="The caller's mediation cases (its own as mediator or referrer, and those "
        "whose judicial confirmation was asked of it), newest opened first.",
        tags=PARTNER,
        requires_scopes=READ,
    )
    mediation_case: MediationCase | None = strawberry.federation.field(
        resolver=dispute_fields.mediation_case,
        description="One mediation case; null when absent or outside the caller's slice.",
        tags=PARTNER,
        requires_scopes=READ,
    )
    arbitration_case: ArbitrationCase | None = strawberry.federation.field(
        resolver=dispute_fields.arbitration_case,
        description="One arbitration case; null when absent or its appeal outside the slice.",
        tags=PARTNER,
        requires_scopes=READ,
    )
    litigation_case: LitigationCase | None = strawberry.federation.field(
        resolver=dispute_fields.litigation_case,
        description="One lawsuit; null when absent or its appeal outside the slice.",
        tags=PARTNER,
        requires_scopes=READ,
    )
    projects: list[Project] = strawberry.federation.field(
        resolver=dispute_fields.projects,
        description="The construction projects (工程项目).",
        tags=PARTNER,
    )
    project: Project | None = strawberry.federation.field(
        resolver=dispute_fields.project, description="One project by its code.", tags=PARTNER
    )

    credit_records: credit_fields.CreditRecordConnection = strawberry.federation.field(
        resolver=credit_fields.credit_records,
        description="Credit records within the caller's slice (public ones for every partner; "
        "restricted ones and proposals for the credit centre and the recording organisation), "
        "newest recorded first.",
        tags=PARTNER,
        requires_scopes=CREDIT,
    )
    credit_record: CreditRecord | None = strawberry.federation.field(
        resolver=credit_fields.credit_record,
        description="One credit record; null when absent or outside the caller's slice.",
        tags=PARTNER,
        requires_scopes=CREDIT,
    )
    enterprises: credit_fields.EnterpriseConnection = strawberry.federation.field(
        resolver=credit_fields.enterprises,
        description="Enterprises (用人单位) by credit code, searchable by name or code; each "
        "with its credit profile.",
        tags=PARTNER,
    )

    @strawberry.federation.field(
        description="The organisations of the hub (the routing directory).", tags=PARTNER
    )
    async def organisations(
        self,
        info: strawberry.Info,
        kinds: Annotated[
            list[OrganisationKind] | None, strawberry.argument(description="Only these kinds.")
        ] = None,
    ) -> list[Organisation]:
        return await organisation_fields.organisations(info, kinds)

    @strawberry.federation.field(description="One organisation by its code.", tags=PARTNER)
    async def organisation(
        self,
        info: strawberry.Info,
        code: Annotated[str, strawberry.argument(description="e.g. `PS-LMC`.")],
    ) -> Organisation | None:
        return await organisation_fields.organisation(info, code)

    @strawberry.federation.field(
        description="An enterprise by its unified social credit code.", tags=PARTNER
    )
    async def enterprise(
        self,
        info: strawberry.Info,
        uscc: Annotated[str, strawberry.argument(description="18 characters (GB 32100).")],
    ) -> Enterprise | None:
        return await organisation_fields.enterprise(info, uscc)


@strawberry.federation.type(
    description="Every change of state; each writes its event in the same transaction.",
    tags=PARTNER,
)
class Mutation(
    WorkflowMutation,
    DispatchMutation,
    DisputeMutation,
    CareMutation,
    BacklogMutation,
    CreditMutation,
):
    submit_petition: Petition = strawberry.federation.mutation(
        resolver=intake.submit_petition,
        requires_scopes=[["petitions:write"]],
        description="Register an appeal received by the caller's organisation.",
    )
    set_time_limit_policy: policy_fields.TimeLimitPolicy = strawberry.federation.mutation(
        resolver=policy_fields.set_time_limit_policy,
        description="Create or change a time limit (the hall's administrators only); it "
        "applies to appeals registered from then on.",
        requires_scopes=[["admin"]],
        policy=[["hall"]],
    )


# Each entity's keys, in the order they are tried.
ENTITY_KEYS = {
    "Petition": ("id",),
    "Organisation": ("id", "code"),
    "Enterprise": ("uscc",),
    "MediationCase": ("id",),
    "ArbitrationCase": ("id",),
    "LitigationCase": ("id",),
    "Project": ("code",),
    "Screening": ("id",),
    "CareSession": ("id",),
    "BacklogCase": ("id",),
    "CreditRecord": ("id",),
}
# The chain's cases and backlog cases, like appeals, need the read scope (a project is
# directory data; screenings and sessions answer through the care policy).
READ_SCOPED = frozenset(
    {"Petition", "MediationCase", "ArbitrationCase", "LitigationCase", "BacklogCase"}
)
# Credit records need the credit scope, as `Query.creditRecords` does.
SCOPE_OF = {typename: "petitions:read" for typename in READ_SCOPED} | {
    "CreditRecord": "credit:read"
}


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
        caller = info.context.caller  # no caller, no entities
        results: list[Any] = []
        for index, representation in enumerate(representations):
            fields: dict[str, Any] = representation if isinstance(representation, dict) else {}
            typename = str(fields.get("__typename"))
            keys = ENTITY_KEYS.get(typename, ())
            key = next((k for k in keys if _key_value(fields.get(k))), None)
            if key is None:
                results.append(
                    BadUserInput(
                        "a representation needs __typename Petition, MediationCase, "
                        "ArbitrationCase, LitigationCase, Screening, CareSession, BacklogCase or "
                        "CreditRecord "
                        "with id, Organisation with id or code, Enterprise with uscc, or Project "
                        "with code",
                        field=f"representations.{index}",
                    )
                )
                continue
            scope = SCOPE_OF.get(typename)
            if scope is not None and scope not in caller.scopes:
                # as `Query.petition` does: a partner's reference is no way round the scope
                results.append(
                    Forbidden(
                        "this operation needs the {scope} scope", params={"scope": repr(scope)}
                    )
                )
                continue
            clean = {"__typename": typename, key: str(fields[key])}
            results.extend(super().entities_resolver(info, [FederationAny(clean)]))
        return results

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        # `classify` logs what is internal, with the request id; the rest is
        # the caller's own mistake and no cause for a traceback in the log.
        return None


def _key_value(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


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
        types=[
            Enterprise,
            Organisation,
            Petition,
            MediationCase,
            ArbitrationCase,
            LitigationCase,
            Project,
            Screening,
            CareSession,
            BacklogCase,
            CreditRecord,
        ],
        federation_version="2.7",
        execution_context_class=SharedEventResults,
        extensions=[
            CloseSession,
            RefuseUnstorableText,
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
