"""`Query.auditLog`: who read what, for the hall's administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self, cast

import strawberry
from strawberry.scalars import JSON

from db import models
from resolvers.access import audit
from resolvers.pagination import page_size
from schema.common import Info, local
from schema.directory import Organisation, load_organisation


# The audit log is the hub's own administration: served by the hub, hidden from the
# district's supergraph (@inaccessible).
@strawberry.federation.type(
    description="One audit entry: a read of personal or psychological data, or the hall's "
    "correction of a petitioner's record.",
    inaccessible=True,
)
class AuditEntry:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    at: datetime = strawberry.field(description="When.")
    action: str = strawberry.field(
        description="What: READ_PERSONAL_DATA, READ_PSYCH_DATA or UPDATE_PETITIONER."
    )
    path: str = strawberry.field(description="Through which door: graphql, page, export, …")
    object_kind: str = strawberry.field(description="What kind of object was read.")
    object_ids: list[strawberry.ID] = strawberry.field(description="Which objects.")
    user_id: strawberry.ID | None = strawberry.field(description="The staff member, if any.")
    client_id: strawberry.ID | None = strawberry.field(description="The API client, if any.")
    detail: JSON = strawberry.field(description="Context, e.g. the request id.")
    organisation_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.AuditEntry, info: Info) -> Self:
        def ident(value: int | None) -> strawberry.ID | None:
            return strawberry.ID(str(value)) if value is not None else None

        return cls(
            id=strawberry.ID(str(row.id)),
            at=local(info, row.at),
            action=row.action,
            path=row.path,
            object_kind=row.object_kind,
            object_ids=[strawberry.ID(str(i)) for i in row.object_ids],
            user_id=ident(row.user_id),
            client_id=ident(row.client_id),
            detail=cast(JSON, row.detail),
            organisation_id=row.organisation_id,
        )

    @strawberry.field(description="The organisation the reader acted for.")
    async def organisation(self, info: Info) -> Organisation:
        return await load_organisation(info, self.organisation_id)


@strawberry.federation.type(description="A page of audit entries, newest first.", inaccessible=True)
class AuditPage:
    entries: list[AuditEntry] = strawberry.field(description="The entries.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")
    has_next_page: bool = strawberry.field(description="Whether more follow.")


async def audit_log(
    info: Info,
    first: Annotated[int | None, strawberry.argument(description="Page size.")] = None,
    after: Annotated[str | None, strawberry.argument(description="Continue after.")] = None,
) -> AuditPage:
    size = page_size(first, info.context.services.settings.max_page_size)
    page = await info.context.call(audit.list_audit, first=size, after=after)
    return AuditPage(
        entries=[AuditEntry.from_row(r, info) for r in page.rows],
        end_cursor=page.cursors[-1] if page.cursors else None,
        has_next_page=page.has_next_page,
    )
