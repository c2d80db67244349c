"""The appeal as GraphQL: `Petition`, its assignments and timeline (its petitioner is in
`petitioner`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Self, cast

import strawberry
from strawberry.scalars import JSON

from db import models
from resolvers.access import policy
from resolvers.backlog import cases as backlog_cases
from resolvers.care import flags
from resolvers.deadlines.standing import on_acceptance_clock
from resolvers.disputes import reading as dispute_reading
from resolvers.pagination import encode_cursor
from schema.appeals.petitioner import PERSONAL_FIELDS, Petitioner
from schema.common import Info, loader, local, parse_id, selected
from schema.deadlines import PolicyStage
from schema.directory import Organisation, Region, load_organisation
from schema.disputes import parties as dispute_parties
from schema.disputes.chain import DisputeChain
from schema.enums import (
    AssignmentRole,
    AssignmentStatus,
    Category,
    Channel,
    DeadlineStart,
    Escalation,
    EventKind,
    Level,
    Matter,
    PetitionStatus,
    RiskLevel,
    Satisfaction,
    TimeUnit,
)

if TYPE_CHECKING:
    from schema.backlog import BacklogCase
    from schema.care.types import RiskFlag
    from schema.dispatch import DispatchSuggestion


@strawberry.type(description="交办/转办: an appeal given to an organisation as lead or assisting.")
class Assignment:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    role: AssignmentRole = strawberry.field(description="Lead (主办) or assisting (协办).")
    status: AssignmentStatus = strawberry.field(description="Where the assignment stands.")
    assigned_at: datetime = strawberry.field(description="When it was assigned.")
    due_at: datetime = strawberry.field(description="Its own deadline, in working days.")
    deadline_provisional: bool = strawberry.field(
        description="True while the deadline rests on a year whose official schedule is not loaded."
    )
    accepted_at: datetime | None = strawberry.field(description="When the assignee accepted it.")
    returned_at: datetime | None = strawberry.field(description="When the assignee returned it.")
    return_reason: str | None = strawberry.field(description="Why it was returned.")
    completed_at: datetime | None = strawberry.field(description="When the assignee completed it.")
    organisation_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Assignment, info: Info) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            role=row.role,
            status=row.status,
            assigned_at=local(info, row.assigned_at),
            due_at=local(info, row.due_at),
            deadline_provisional=row.deadline_provisional,
            accepted_at=local(info, row.accepted_at),
            returned_at=local(info, row.returned_at),
            return_reason=row.return_reason,
            completed_at=local(info, row.completed_at),
            organisation_id=row.organisation_id,
        )

    @strawberry.field(description="The organisation it was assigned to.")
    async def organisation(self, info: Info) -> Organisation:
        return await load_organisation(info, self.organisation_id)


@strawberry.type(description="One immutable entry of an appeal's timeline.")
class PetitionEvent:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    cursor: str = strawberry.field(description="Resume the event stream after this event.")
    kind: EventKind = strawberry.field(description="What happened.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    data: JSON = strawberry.field(description="Details of the change, by kind.")
    organisation_id: strawberry.Private[int | None]
    petition_id: strawberry.Private[int]
    # For the event stream: results rendered of this event for its slice's subscribers
    # (`schema.events.SharedEventResults`).
    shared_results: strawberry.Private[dict[Any, Any] | None] = None

    @classmethod
    def from_row(cls, row: models.PetitionEvent, info: Info) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            cursor=encode_cursor(row.id),
            kind=row.kind,
            occurred_at=local(info, row.occurred_at),
            data=cast(JSON, row.data),
            organisation_id=row.organisation_id,
            petition_id=row.petition_id,
        )

    @strawberry.field(description="The organisation that acted.")
    async def organisation(self, info: Info) -> Organisation | None:
        if self.organisation_id is None:
            return None
        return await load_organisation(info, self.organisation_id)

    @strawberry.field(description="The appeal it happened to.")
    async def petition(self, info: Info) -> Petition | None:
        return await Petition.resolve_reference(info, strawberry.ID(str(self.petition_id)))


@strawberry.federation.type(
    keys=["id"], tags=["partner"], description="诉求/信访事项: an appeal, from intake to closure."
)
class Petition:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    number: str = strawberry.field(description="Human-readable number, e.g. `PS-2026-004211`.")
    title: str = strawberry.field(description="Short title.")
    description: str = strawberry.field(description="What the petitioner asks.")
    category: Category = strawberry.field(description="Category; decides the time limit.")
    matter: Matter = strawberry.field(description="What it is about.")
    channel: Channel = strawberry.field(description="How it reached the hub.")
    level: Level = strawberry.field(description="The level at which it was received.")
    status: PetitionStatus = strawberry.field(description="Where it stands.")
    received_at: datetime = strawberry.field(description="When it was received.")
    due_at: datetime = strawberry.field(
        description="The running deadline (24:00 local of its last day): before a formal "
        "petition is accepted, its acceptance decision's (`acceptanceDueAt`); after, the "
        "handling deadline, counted in `timeLimitUnit` from the day of `timeLimitCountsFrom` "
        "(that day not counted)."
    )
    deadline_clock: PolicyStage = strawberry.field(  # type: ignore[valid-type]
        description="Which deadline `dueAt` is: ACCEPTANCE (the decision whether to accept) "
        "or HANDLING."
    )
    acceptance_due_at: datetime | None = strawberry.field(
        description="When the decision whether to accept it is due (受理告知), for a category "
        "with an acceptance time limit (a formal 信访事项: 15 日 from receipt)."
    )
    accepted_at: datetime | None = strawberry.field(description="When it was accepted (受理).")
    deadline_provisional: bool = strawberry.field(
        description="True while the deadline rests on a year whose official schedule is not loaded."
    )
    time_limit_days: int = strawberry.field(
        description="Its handling time limit, in `timeLimitUnit`s."
    )
    time_limit_unit: TimeUnit = strawberry.field(
        description="What its time limit counts: WORKING_DAYS (工作日) or CALENDAR_DAYS (日)."
    )
    time_limit_counts_from: DeadlineStart = strawberry.field(
        description="The event its handling time limit counts from."
    )
    people_count: int = strawberry.field(description="How many people brought it.")
    collective: bool = strawberry.field(description="集体访: five or more people.")
    backlog: bool = strawberry.field(description="积案: a long-running case with a named owner.")
    backlog_owner: str | None = strawberry.field(description="Who owns the backlog case.")
    answered_at: datetime | None = strawberry.field(description="When it was answered.")
    closed_at: datetime | None = strawberry.field(description="When it was closed.")
    resolved: bool | None = strawberry.field(description="化解: whether the matter was settled.")
    satisfaction: Satisfaction | None = strawberry.field(description="The petitioner's feedback.")
    feedback_comment: str | None = strawberry.field(
        description="What the petitioner said when asked for feedback."
    )
    answer: str | None = strawberry.field(description="答复: the answer given to the petitioner.")
    suspended_at: datetime | None = strawberry.field(
        description="When it was suspended (挂起), while its clock is paused."
    )
    extension_days: int = strawberry.field(
        description="Days added by approved extensions (延期), in the unit of the category's "
        "EXTENSION policy (a formal 信访事项: 日; otherwise working days)."
    )
    extension_requested_days: int | None = strawberry.field(
        description="Days of an extension request awaiting a decision."
    )
    escalated_to: Escalation | None = strawberry.field(
        description="Where it was escalated: mediation, arbitration or litigation."
    )
    version: int = strawberry.field(description="Grows with every change (optimistic concurrency).")
    row: strawberry.Private[models.Petition]

    @classmethod
    def from_row(cls, row: models.Petition, info: Info) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            number=row.number,
            title=row.title,
            description=row.description,
            category=row.category,
            matter=row.matter,
            channel=row.channel,
            level=row.level,
            status=row.status,
            received_at=local(info, row.received_at),
            due_at=local(info, row.due_at),
            deadline_provisional=row.deadline_provisional,
            deadline_clock=(
                models.PolicyStage.ACCEPTANCE
                if on_acceptance_clock(row)
                else models.PolicyStage.HANDLING
            ),
            acceptance_due_at=local(info, row.acceptance_due_at),
            accepted_at=local(info, row.accepted_at),
            time_limit_days=row.time_limit_days,
            time_limit_unit=row.time_limit_unit,
            time_limit_counts_from=row.time_limit_from,
            people_count=row.people_count,
            collective=row.collective,
            backlog=row.backlog,
            backlog_owner=row.backlog_owner,
            answered_at=local(info, row.answered_at),
            closed_at=local(info, row.closed_at),
            resolved=row.resolved,
            satisfaction=row.satisfaction,
            feedback_comment=row.feedback_comment,
            answer=row.answer,
            suspended_at=local(info, row.suspended_at),
            extension_days=row.extension_days,
            extension_requested_days=row.extension_requested_days,
            escalated_to=row.escalated_to,
            version=row.version,
            row=row,
        )

    @strawberry.field(description="The organisation that received it.")
    async def received_by(self, info: Info) -> Organisation:
        return await load_organisation(info, self.row.received_by_id)

    @strawberry.field(description="The community it concerns.")
    async def community(self, info: Info) -> Region | None:
        if self.row.community_id is None:
            return None
        row = await info.context.loaders.region.load(self.row.community_id)
        return Region.from_row(row) if row else None

    @strawberry.field(
        description="Who brought it; personal data masked outside the handling slice."
    )
    async def petitioner(self, info: Info) -> Petitioner | None:
        if self.row.petitioner_id is None:
            return None
        person = await info.context.loaders.petitioner.load(self.row.petitioner_id)
        if person is None:
            return None
        unmasked = await info.context.loaders.personal_data_visible.load(self.row.id)
        shown = {PERSONAL_FIELDS[name] for name in selected(info, frozenset(PERSONAL_FIELDS))}
        return Petitioner.from_disclosed(
            info.context.disclosures.show(self.row, person, unmasked=unmasked, shown=shown)
        )

    @strawberry.field(
        description="重复访: how many earlier appeals the petitioner made on the same matter "
        "in the twelve months before, counting only those in the caller's slice (the hall "
        "sees them all)."
    )
    async def repeat_count(self, info: Info) -> int:
        if not self.row.repeat_count:
            return 0
        return (await info.context.loaders.repeats.load(self.row.id)).count

    @strawberry.field(
        description="越级访: brought over the head of a lower level that still had the same "
        "matter open — as far as the caller's slice holds that earlier appeal."
    )
    async def level_skipping(self, info: Info) -> bool:
        if not self.row.level_skipping:
            return False
        return (await info.context.loaders.repeats.load(self.row.id)).level_skipping

    @strawberry.field(description="Its assignments, oldest first.")
    async def assignments(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="At most this many.")] = None,
    ) -> list[Assignment]:
        rows = await info.context.loaders.assignments.load(self.row.id)
        if first is not None:
            rows = rows[: max(first, 0)]
        return [Assignment.from_row(r, info) for r in rows]

    @strawberry.field(description="The timeline: every change, in order.")
    async def events(
        self,
        info: Info,
        kinds: Annotated[
            list[EventKind] | None, strawberry.argument(description="Only these kinds.")
        ] = None,
    ) -> list[PetitionEvent]:
        rows = await info.context.loaders.events.load(self.row.id)
        wanted = set(kinds or [])
        return [PetitionEvent.from_row(r, info) for r in rows if not wanted or r.kind in wanted]

    @strawberry.field(description="The enterprises it is about (employer, contractors).")
    async def parties(self, info: Info) -> list[dispute_parties.Party]:
        rows = await loader(info, dispute_reading.parties_by_petition).load(self.row.id)
        return dispute_parties.parties(rows)

    @strawberry.field(description="The construction project it concerns, if named.")
    async def project(self, info: Info) -> dispute_parties.Project | None:
        return await dispute_parties.load_project(info, self.row.project_id)

    @strawberry.field(
        description="访调心裁: the dispute's mediations, arbitration and lawsuit, oldest first, "
        "as far as the caller's slice reaches (a mediation: its mediator, the referring "
        "organisation, the court station once confirmation is asked)."
    )
    async def dispute_chain(self, info: Info) -> DisputeChain:
        info.context.caller.require_scope("petitions:read")
        chain = await loader(info, dispute_reading.chains_by_petition, scoped=True).load(
            self.row.id
        )
        return DisputeChain.from_chain(chain, info)

    @strawberry.field(
        description="The newest earlier appeal this one repeats, among those in the caller's slice."
    )
    async def repeat_of(self, info: Info) -> Petition | None:
        if self.row.repeat_of_id is None:
            return None
        view = await info.context.loaders.repeats.load(self.row.id)
        if view.repeat_of_id is None:
            return None
        return await Petition.resolve_reference(info, strawberry.ID(str(view.repeat_of_id)))

    @strawberry.field(
        description="The petitioner's psychological risk level, for those who "
        "see the appeal (never a score or a note); null when never screened."
    )
    async def risk_level(self, info: Info) -> RiskLevel | None:
        view = await info.context.loaders.risk.load(self.row.id)
        return view.level if view else None

    @strawberry.field(
        description="Prompt to screen: repeated or collective appeals, or a risk "
        "flag, and the person has not been screened."
    )
    async def screening_suggested(self, info: Info) -> bool:
        view = await info.context.loaders.risk.load(self.row.id)
        return bool(view and view.screening_suggested)

    @strawberry.field(description="Risks handlers recorded on it, oldest first.")
    async def risk_flags(
        self, info: Info
    ) -> list[Annotated[RiskFlag, strawberry.lazy("schema.care.types")]]:
        from schema.care.types import RiskFlag as RiskFlagType

        rows = await info.context.call(flags.risk_flags, petition_id=self.row.id)
        return [
            RiskFlagType(kind=r.kind, note=r.note, flagged_at=local(info, r.flagged_at), row=r)
            for r in rows
        ]

    @strawberry.field(
        description="分办建议: whom to give it to, best first, by matter and place, each with "
        "its reason; empty unless the caller may assign it (the hall, the street platform "
        "over its community)."
    )
    async def dispatch_suggestions(
        self, info: Info
    ) -> list[Annotated[DispatchSuggestion, strawberry.lazy("schema.dispatch")]]:
        from schema.dispatch import dispatch_suggestions

        return await dispatch_suggestions(info, self.row)  # type: ignore[return-value]

    @strawberry.field(description="Its backlog case (积案), if it has one.")
    async def backlog_case(
        self, info: Info
    ) -> Annotated[BacklogCase, strawberry.lazy("schema.backlog")] | None:
        from schema.backlog import wrap

        row = await info.context.call(backlog_cases.backlog_case_of, petition_id=self.row.id)
        return (await wrap(info, [row]))[0] if row else None

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Petition | None:
        policy.require_reading_appeals(info.context.caller)
        ident = parse_id(id)
        if ident is None:
            return None
        row = await info.context.loaders.petition.load(ident)
        return cls.from_row(row, info) if row else None
