"""Administrative writes check who is asking in the domain, whichever door asks."""

from __future__ import annotations

import uuid

import pytest

from db.models import Role
from resolvers.access import tokens
from resolvers.errors import BadUserInput
from tests import factories


async def _lmc_admin(session):
    user = await tokens.create_user(
        session=session,
        caller=None,
        organisation_code=factories.LMC,
        username=f"lmc-admin-{uuid.uuid4().hex[:8]}",
        password="a long password",
        roles=[Role.ADMIN],
    )
    organisation = await tokens.organisation_by_code(session, factories.LMC)
    return tokens.staff_caller(user, organisation)


async def test_an_organisations_admin_creates_users_and_tokens_only_for_its_own(session, world):
    admin = await _lmc_admin(session)

    with pytest.raises(BadUserInput) as refused:
        await tokens.create_user(
            session=session,
            caller=admin,
            organisation_code=factories.COURT,
            username=f"x-{uuid.uuid4().hex[:8]}",
            password="a long password",
            roles=[Role.HANDLER],
        )
    assert refused.value.extensions["field"] == "organisation"
    with pytest.raises(BadUserInput) as refused:
        await tokens.create_token(
            session=session, caller=admin, organisation_code=factories.COURT, name="stolen"
        )
    assert refused.value.extensions["field"] == "organisation"

    issued = await tokens.create_token(
        session=session, caller=admin, organisation_code=factories.LMC, name="own"
    )
    assert issued.token


async def test_a_user_needs_a_role(session, world):
    with pytest.raises(BadUserInput) as refused:
        await tokens.create_user(
            session=session,
            caller=None,
            organisation_code=factories.LMC,
            username=f"y-{uuid.uuid4().hex[:8]}",
            password="a long password",
            roles=[],
        )
    assert refused.value.extensions["field"] == "roles"


def test_only_the_halls_administrators_and_the_operator_set_the_districts_rules():
    from db.models import OrganisationKind
    from resolvers.access.caller import Caller
    from resolvers.admin.staff import sets_district_rules

    def caller(kind: OrganisationKind, scopes: set[str]) -> Caller:
        return Caller(
            organisation_id=1,
            organisation_code="X",
            organisation_kind=kind,
            region_id=1,
            scopes=frozenset(scopes),
        )

    hall, lmc = OrganisationKind.APPEALS_HALL, OrganisationKind.LABOUR_MEDIATION_COMMITTEE
    assert sets_district_rules(caller(hall, {"admin"}))
    assert sets_district_rules(None)  # the operator's command line
    assert not sets_district_rules(caller(hall, {"petitions:read"}))
    assert not sets_district_rules(caller(lmc, {"admin"}))
