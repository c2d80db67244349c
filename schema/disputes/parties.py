"""`Party` (an enterprise's part in a dispute) and `Project` (a construction project)."""

from __future__ import annotations

from typing import Any, Self

import strawberry

from db import models
from resolvers.disputes import reading
from schema.common import Info, loader
from schema.directory import Enterprise, Organisation, load_organisation
from schema.enums import _expose

_expose(models.PartyRole, "An enterprise's part in a dispute or a project.")
PartyRole = models.PartyRole


async def load_enterprise(info: Info, ident: int) -> Enterprise:
    row = await loader(info, reading.enterprises_by_id).load(ident)
    return Enterprise.from_row(row)


@strawberry.type(description="An enterprise's part in a dispute or project.")
class Party:
    role: PartyRole = strawberry.field(description="Employer, main contractor or subcontractor.")  # type: ignore[valid-type]
    enterprise_id: strawberry.Private[int]

    @strawberry.field(description="The enterprise.")
    async def enterprise(self, info: Info) -> Enterprise:
        return await load_enterprise(info, self.enterprise_id)


def parties(rows: list[Any]) -> list[Party]:
    return [Party(role=r.role, enterprise_id=r.enterprise_id) for r in rows]


@strawberry.federation.type(
    keys=["code"],
    tags=["partner"],
    description="工程项目: a construction project, its site's station and mediation room.",
)
class Project:
    code: str = strawberry.field(description="The project's code, e.g. `PRJ-METRO16`.")
    name: str = strawberry.field(description="Its name.")
    kind: str = strawberry.field(description="What it builds, e.g. METRO, INTERCITY_RAIL.")
    row: strawberry.Private[models.Project]

    @classmethod
    def from_row(cls, row: models.Project) -> Self:
        return cls(code=row.code, name=row.name, kind=row.kind, row=row)

    @classmethod
    async def resolve_reference(cls, info: Info, code: str) -> Project | None:
        row = await info.context.call(reading.get_project, code=str(code))
        return cls.from_row(row) if row else None

    @strawberry.field(description="The site's appeals station (群众诉求服务站).")
    async def station(self, info: Info) -> Organisation | None:
        ident = self.row.station_id
        return await load_organisation(info, ident) if ident else None

    @strawberry.field(description="The site's mediation room (工地调解室).")
    async def mediation_room(self, info: Info) -> Organisation | None:
        ident = self.row.mediation_room_id
        return await load_organisation(info, ident) if ident else None

    @strawberry.field(description="The main contractor and the subcontractors.")
    async def enterprises(self, info: Info) -> list[Party]:
        rows = await loader(info, reading.project_enterprises).load(self.row.id)
        return [Party(role=models.PartyRole[r.role], enterprise_id=r.enterprise_id) for r in rows]


async def load_project(info: Info, ident: int | None) -> Project | None:
    if ident is None:
        return None
    row = await loader(info, reading.projects_by_id).load(ident)
    return Project.from_row(row) if row else None
