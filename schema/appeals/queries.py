"""`Query.petitions` and `Query.petition`: the caller's appeals, as a Relay connection."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import strawberry

from db import models
from resolvers.access import policy
from resolvers.appeals import reading as petition_resolvers
from resolvers.errors import BadUserInput
from resolvers.pagination import page_size
from schema.appeals.types import Petition
from schema.common import Info, PageInfo, parse_id
from schema.enums import Category, Channel, Level, Matter, PetitionStatus


@strawberry.input(description="Narrows a list of appeals; every given condition must hold.")
class PetitionFilter:
    status: list[PetitionStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    category: list[Category] | None = strawberry.field(
        default=None, description="Any of these categories."
    )
    matter: list[Matter] | None = strawberry.field(
        default=None, description="Any of these matters."
    )
    level: list[Level] | None = strawberry.field(
        default=None, description="Received at any of these levels."
    )
    channel: list[Channel] | None = strawberry.field(
        default=None, description="Reached the hub by any of these channels."
    )
    level_skipping: bool | None = strawberry.field(
        default=None,
        description="Level-skipping appeals (越级访: an earlier one was still open at a lower level), or not.",
    )
    organisation: str | None = strawberry.field(
        default=None, description="Received by or ever assigned to the organisation with this code."
    )
    community: str | None = strawberry.field(
        default=None, description="Concerning this community (code)."
    )
    street: str | None = strawberry.field(
        default=None, description="Concerning a community of this street (code)."
    )
    received_from: datetime | None = strawberry.field(
        default=None, description="Received at or after."
    )
    received_to: datetime | None = strawberry.field(default=None, description="Received before.")
    overdue: bool | None = strawberry.field(
        default=None, description="Past the deadline and still awaiting an answer (or not)."
    )
    collective: bool | None = strawberry.field(
        default=None, description="Collective appeals (or not)."
    )
    backlog: bool | None = strawberry.field(default=None, description="Backlog cases (or not).")
    repeat: bool | None = strawberry.field(default=None, description="Repeat appeals (or not).")
    text: str | None = strawberry.field(
        default=None, description="Words that title or description must contain (Chinese works)."
    )
    due_soon: bool | None = strawberry.field(
        default=None,
        description="Awaiting an answer, clock running, due within one working day and not yet "
        "past (or not): the worklist's 即将到期.",
    )

    def to_domain(self) -> petition_resolvers.PetitionFilter:
        for name in ("received_from", "received_to"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise BadUserInput(
                    "{field} needs a time zone offset",
                    field=f"filter.{name}",
                    params={"field": name},
                )
        return petition_resolvers.PetitionFilter(
            statuses=self.status,
            categories=self.category,
            matters=self.matter,
            levels=self.level,
            channels=self.channel,
            level_skipping=self.level_skipping,
            organisation=self.organisation,
            community=self.community,
            street=self.street,
            received_from=self.received_from,
            received_to=self.received_to,
            overdue=self.overdue,
            collective=self.collective,
            backlog=self.backlog,
            repeat=self.repeat,
            text=self.text,
            due_soon=self.due_soon,
        )


@strawberry.enum(description="How a list of appeals is sorted; ties go by id the same way.")
class PetitionOrder(enum.Enum):
    RECEIVED_DESC = strawberry.enum_value("received-desc", description="Newest received first.")
    RECEIVED_ASC = strawberry.enum_value("received-asc", description="Oldest received first.")
    DUE_ASC = strawberry.enum_value("due-asc", description="Soonest deadline first.")
    DUE_DESC = strawberry.enum_value("due-desc", description="Latest deadline first.")


@strawberry.type(description="An appeal in a page, with its cursor.")
class PetitionEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this appeal.")
    node: Petition = strawberry.field(description="The appeal.")


@strawberry.type(description="A page of appeals, in the order asked for.")
class PetitionConnection:
    edges: list[PetitionEdge] = strawberry.field(description="The appeals of this page.")
    page_info: PageInfo = strawberry.field(description="Whether more follow.")
    where: strawberry.Private[petition_resolvers.PetitionFilter]

    @strawberry.field(description="How many appeals match, on every page together.")
    async def total_count(self, info: Info) -> int:
        return await info.context.call(
            petition_resolvers.count_petitions,
            services=info.context.services,
            where=self.where,
            now=info.context.now,
        )


async def petitions(
    info: Info,
    filter: Annotated[PetitionFilter | None, strawberry.argument(description="Conditions.")] = None,
    first: Annotated[int | None, strawberry.argument(description="Page size (default 20).")] = None,
    after: Annotated[
        str | None,
        strawberry.argument(description="Continue after this cursor (from the same orderBy)."),
    ] = None,
    order_by: Annotated[
        PetitionOrder,
        strawberry.argument(description="The order (default newest received first)."),
    ] = PetitionOrder.RECEIVED_DESC,
) -> PetitionConnection:
    caller = info.context.caller
    policy.require_reading_appeals(caller)
    where = (filter or PetitionFilter()).to_domain()
    size = page_size(first, info.context.services.settings.max_page_size)
    page = await info.context.call(
        petition_resolvers.list_petitions,
        services=info.context.services,
        where=where,
        order=petition_resolvers.PetitionOrder(order_by.value),
        first=size,
        after=after,
        now=info.context.now,
    )
    edges = [
        PetitionEdge(cursor=c, node=Petition.from_row(r, info))
        for r, c in zip(page.rows, page.cursors, strict=True)
    ]
    return PetitionConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page, end_cursor=page.cursors[-1] if page.cursors else None
        ),
        where=where,
    )


async def petition(
    info: Info,
    id: Annotated[strawberry.ID | None, strawberry.argument(description="The appeal's id.")] = None,
    number: Annotated[str | None, strawberry.argument(description="Or its number.")] = None,
) -> Petition | None:
    caller = info.context.caller
    policy.require_reading_appeals(caller)
    if (id is None) == (number is None):
        raise BadUserInput("give exactly one of id and number", field="id")
    row: models.Petition | None
    if id is not None:
        ident = parse_id(id)
        row = await info.context.loaders.petition.load(ident) if ident else None
    else:
        row = await info.context.call(petition_resolvers.get_petition, number=number)
    return Petition.from_row(row, info) if row else None
