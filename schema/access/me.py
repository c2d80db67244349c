"""`Query.me`: who the caller is."""

from __future__ import annotations

import strawberry

from schema.common import Info
from schema.directory import Organisation, load_organisation
from schema.enums import Role


@strawberry.type(description="The caller: a staff member or an organisation's integration.")
class Me:
    name: str = strawberry.field(description="The person's or the integration's name.")
    roles: list[Role] = strawberry.field(description="Roles within the organisation (staff).")
    scopes: list[str] = strawberry.field(description="What the token or session may do.")
    is_staff: bool = strawberry.field(description="A person signed in, not a token.")
    organisation_id: strawberry.Private[int]

    @strawberry.field(description="The organisation the caller acts for.")
    async def organisation(self, info: Info) -> Organisation:
        return await load_organisation(info, self.organisation_id)


def me(info: Info) -> Me:
    caller = info.context.caller
    return Me(
        name=caller.name,
        roles=sorted(caller.roles, key=lambda r: r.name),
        scopes=sorted(caller.scopes),
        is_staff=caller.user_id is not None,
        organisation_id=caller.organisation_id,
    )
