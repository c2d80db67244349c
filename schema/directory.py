"""Regions, organisations and enterprises as GraphQL types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from db import models
from resolvers.access.policy import require_reading_appeals
from resolvers.directory import enterprises as enterprise_resolvers
from resolvers.directory import organisations as organisation_resolvers
from schema.common import Info, loader, parse_id
from schema.enums import OrganisationKind, RegionKind, SiteKind

if TYPE_CHECKING:
    from schema.appeals.types import Petition
    from schema.credit.types import CreditRecord
    from schema.disputes.mediation import MediationCase
    from schema.disputes.parties import Project


# A value type partners may return too (a case's community).
@strawberry.federation.type(
    description="行政区划: a district, street, community or grid.", shareable=True
)
class Region:
    code: str = strawberry.field(description="The region's code, e.g. `PS-C-LIULIAN`.")
    name: str = strawberry.field(description="The Chinese name, e.g. 六联社区.")
    name_pinyin: str = strawberry.field(description="The name in pinyin.")
    kind: RegionKind = strawberry.field(description="District, street, community or grid.")
    population: int | None = strawberry.field(description="Residents, where known.")
    parent_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Region) -> Self:
        return cls(
            code=row.code,
            name=row.name,
            name_pinyin=row.name_pinyin,
            kind=row.kind,
            population=row.population,
            parent_id=row.parent_id,
        )

    @strawberry.field(description="The region this one belongs to.")
    async def parent(self, info: Info) -> Region | None:
        if self.parent_id is None:
            return None
        row = await info.context.loaders.region.load(self.parent_id)
        return Region.from_row(row) if row else None


# Partners know organisations by code (`PS-LMC`), the hub by id: both are keys.
@strawberry.federation.type(
    keys=["id", "code"], tags=["partner"], description="单位/平台: an organisation in the hub."
)
class Organisation:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    code: str = strawberry.field(description="The organisation's code, e.g. `PS-HALL`.")
    name: str = strawberry.field(description="The Chinese name.")
    name_en: str = strawberry.field(description="The English name.")
    kind: OrganisationKind = strawberry.field(description="What the organisation is.")
    site_kind: SiteKind | None = strawberry.field(description="For a site station: its site.")
    region_id: strawberry.Private[int]
    parent_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Organisation) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            code=row.code,
            name=row.name,
            name_en=row.name_en,
            kind=row.kind,
            site_kind=row.site_kind,
            region_id=row.region_id,
            parent_id=row.parent_id,
        )

    @strawberry.field(description="The region the organisation serves.")
    async def region(self, info: Info) -> Region:
        row = await info.context.loaders.region.load(self.region_id)
        assert row is not None  # a foreign key guarantees it
        return Region.from_row(row)

    @strawberry.field(description="The organisation above this one, if any.")
    async def parent(self, info: Info) -> Organisation | None:
        if self.parent_id is None:
            return None
        row = await info.context.loaders.organisation.load(self.parent_id)
        return Organisation.from_row(row) if row else None

    @classmethod
    async def resolve_reference(
        cls, info: Info, id: strawberry.ID | None = None, code: str | None = None
    ) -> Organisation | None:
        info.context.caller  # noqa: B018 - federation lookups need a caller too
        if code is not None:
            row = await info.context.loaders.organisation_by_code.load(code)
        else:
            ident = parse_id(id) if id is not None else None
            row = await info.context.loaders.organisation.load(ident) if ident else None
        return cls.from_row(row) if row else None


async def load_organisation(info: Info, ident: int) -> Organisation:
    row = await info.context.loaders.organisation.load(ident)
    assert row is not None  # a foreign key guarantees it
    return Organisation.from_row(row)


@strawberry.federation.type(
    keys=["uscc"], tags=["partner"], description="用人单位: an employer, by its credit code."
)
class Enterprise:
    uscc: str = strawberry.field(description="Unified social credit code (GB 32100).")
    name: str = strawberry.field(description="Registered name.")
    industry: str = strawberry.field(description="Industry.")
    row: strawberry.Private[models.Enterprise]

    @classmethod
    def from_row(cls, row: models.Enterprise) -> Self:
        return cls(uscc=row.uscc, name=row.name, industry=row.industry, row=row)

    @classmethod
    async def resolve_reference(cls, info: Info, uscc: str) -> Enterprise | None:
        row = await info.context.call(enterprise_resolvers.get_enterprise, uscc=uscc)
        return cls.from_row(row) if row else None

    @strawberry.field(description="Where it is registered (its street, for the figures).")
    async def region(self, info: Info) -> Region | None:
        ident = self.row.region_id
        row = await info.context.loaders.region.load(ident) if ident else None
        return Region.from_row(row) if row else None

    @strawberry.field(
        description="Its credit profile: the records the caller may read (public ones for "
        "every partner; restricted ones and proposals for the credit centre and the "
        "recording organisation), newest first. Needs `credit:read`."
    )
    async def credit_records(
        self, info: Info
    ) -> list[Annotated[CreditRecord, strawberry.lazy("schema.credit.types")]]:
        from schema.credit.types import records_of_enterprise

        return await records_of_enterprise(info, self.row.id)

    @strawberry.field(description="The construction projects it works on.")
    async def projects(
        self, info: Info
    ) -> list[Annotated[Project, strawberry.lazy("schema.disputes.parties")]]:
        from schema.disputes.parties import Project

        rows = await loader(info, enterprise_resolvers.projects_by_enterprise).load(self.row.id)
        return [Project.from_row(r) for r in rows]

    @strawberry.field(
        description="The open appeals (disputes) naming it as a party, within the caller's "
        "slice, newest first."
    )
    async def open_appeals(
        self, info: Info
    ) -> list[Annotated[Petition, strawberry.lazy("schema.appeals.types")]]:
        from schema.appeals.types import Petition

        require_reading_appeals(info.context.caller)
        batch = loader(info, enterprise_resolvers.open_appeals_by_enterprise, scoped=True)
        return [Petition.from_row(r, info) for r in await batch.load(self.row.id)]

    @strawberry.field(
        description="The mediations under way naming it as a party, within the caller's "
        "slice of mediation cases, newest first."
    )
    async def open_mediations(
        self, info: Info
    ) -> list[Annotated[MediationCase, strawberry.lazy("schema.disputes.mediation")]]:
        from schema.disputes.mediation import MediationCase

        require_reading_appeals(info.context.caller)
        batch = loader(info, enterprise_resolvers.open_mediations_by_enterprise, scoped=True)
        return [MediationCase.from_row(r, info) for r in await batch.load(self.row.id)]


async def organisations(
    info: Info, kinds: list[OrganisationKind] | None = None
) -> list[Organisation]:
    rows = await info.context.call(organisation_resolvers.list_organisations, kinds=kinds)
    return [Organisation.from_row(r) for r in rows]


async def organisation(info: Info, code: str) -> Organisation | None:
    row = await info.context.call(organisation_resolvers.get_organisation, code=code)
    return Organisation.from_row(row) if row else None


async def enterprise(info: Info, uscc: str) -> Enterprise | None:
    row = await info.context.call(enterprise_resolvers.get_enterprise, uscc=uscc)
    return Enterprise.from_row(row) if row else None
