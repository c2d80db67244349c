"""Regions, organisations and enterprises as GraphQL types."""

from __future__ import annotations

from typing import Self

import strawberry

from db import models
from resolvers.directory import enterprises as enterprise_resolvers
from resolvers.directory import organisations as organisation_resolvers
from schema.common import Info, parse_id
from schema.enums import OrganisationKind, RegionKind, SiteKind


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

    @classmethod
    def from_row(cls, row: models.Enterprise) -> Self:
        return cls(uscc=row.uscc, name=row.name, industry=row.industry)

    @classmethod
    async def resolve_reference(cls, info: Info, uscc: str) -> Enterprise | None:
        row = await info.context.call(enterprise_resolvers.get_enterprise, uscc=uscc)
        return cls.from_row(row) if row else None


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
