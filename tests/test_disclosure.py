"""One disclosure rule on every door: an audit entry for each request that *shows*
personal data unmasked, none for masked reads or for reads that show no personal field."""

from __future__ import annotations

import uuid

from db import models
from resolvers.access.disclosure import disclose, shows_personal_data
from tests import factories
from tests.factories import submit

LOG = "{ auditLog(first: 100) { entries { action path objectKind objectIds } } }"
PETITIONER = "query($id: ID!) { petition(id: $id) { petitioner { %s } } }"


def _person(id_number: str | None = "440310199001011234", phone: str | None = "13812345678"):
    """An appeal as given (name, phone, address) and the person's record (ID number)."""
    record = models.Petitioner(
        name="记录姓名", id_number=id_number, phone="13999999999", address="记录地址"
    )
    appeal = models.Petition(
        id=1, petitioner_name="李某", petitioner_phone=phone, petitioner_address="坪山"
    )
    return appeal, record


def test_the_rule_discloses_only_what_the_slice_may_see():
    appeal, record = _person()
    shown = disclose(appeal, record, unmasked=True)
    assert (shown.name, shown.id_number, shown.phone, shown.address) == (
        "李某",
        "440310199001011234",
        "13812345678",
        "坪山",
    )  # as given with the appeal
    masked = disclose(appeal, record, unmasked=False)
    assert (masked.id_number, masked.phone, masked.masked) == (
        "4403**********1234",
        "138****5678",
        True,
    )


def test_only_showing_a_value_unmasked_is_a_disclosure():
    assert shows_personal_data(*_person(), unmasked=True)
    assert not shows_personal_data(*_person(), unmasked=False)
    assert not shows_personal_data(*_person(), unmasked=True, shown={"name"})
    assert shows_personal_data(*_person(id_number=None), unmasked=True, shown={"phone"})
    assert not shows_personal_data(*_person(id_number=None, phone=None), unmasked=True)


async def _audited_paths(client_for, petition_id: str) -> set[str]:
    admin = await client_for(factories.HALL, ("petitions:read", "admin"))
    entries = (await admin.data(LOG))["auditLog"]["entries"]
    return {
        e["path"]
        for e in entries
        if (e["action"], e["objectKind"]) == ("READ_PERSONAL_DATA", "Petition")
        and petition_id in e["objectIds"]
    }


async def test_graphql_audits_only_when_a_personal_field_is_selected(client_for):
    appeal = await submit(await client_for(factories.WINDOW))
    hall = await client_for(factories.HALL)

    await hall.data(PETITIONER % "name address masked", {"id": appeal["id"]})
    assert await _audited_paths(client_for, appeal["id"]) == set()

    await hall.data(PETITIONER % "phone", {"id": appeal["id"]})
    assert await _audited_paths(client_for, appeal["id"]) == {"graphql"}


async def test_no_door_audits_a_petitioner_without_personal_data(sign_in_as, client_for):
    marker = f"无证{uuid.uuid4().hex[:6]}"
    appeal = await submit(
        await client_for(factories.WINDOW),
        title=f"{marker} 咨询",
        petitioner={"idNumber": None, "phone": None},
    )
    hall_client = await client_for(factories.HALL)
    hall = await sign_in_as("hall_dispatcher")

    await hall_client.data(PETITIONER % "idNumber phone", {"id": appeal["id"]})
    assert (await hall.get(f"/petitions/{appeal['number']}")).status_code == 200
    assert (await hall.get(f"/petitions/export.csv?q={marker}")).status_code == 200

    assert await _audited_paths(client_for, appeal["id"]) == set()
