"""Who is calling: an organisation, and a person or an integration acting for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from db.models import OrganisationKind, Role
from resolvers.errors import Forbidden

SCOPES = {
    "petitions:read": "read the appeals in the organisation's slice",
    "petitions:write": "submit appeals and act on them",
    "events:subscribe": "follow the event stream",
    "credit:read": "read credit profiles",
    "credit:write": "propose and record credit records",
    "psych:read": "read psychological care data",
    "admin": "manage organisations, users and tokens",
}
DEFAULT_TOKEN_SCOPES = ("petitions:read", "petitions:write", "events:subscribe")
# Staff act through their roles; their sessions carry every scope but admin,
# which follows the ADMIN role.
STAFF_SCOPES = frozenset(SCOPES) - {"admin"}


@dataclass(frozen=True)
class Caller:
    """The caller every resolver receives."""

    organisation_id: int
    organisation_code: str
    organisation_kind: OrganisationKind
    region_id: int
    roles: frozenset[Role] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    client_id: int | None = None
    name: str = ""

    @property
    def is_hall(self) -> bool:
        return self.organisation_kind is OrganisationKind.APPEALS_HALL

    def require_scope(self, scope: str) -> None:
        """Refuse unless the token or session carries `scope`."""
        if scope not in self.scopes:
            raise Forbidden("this operation needs the {scope} scope", params={"scope": repr(scope)})
