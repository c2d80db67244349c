"""What an attacker would try: none of it leaks."""

from __future__ import annotations

from datetime import timedelta

import httpx

from db import models
from resolvers.access import tokens
from tests import factories
from tests.steps import refused
from tests.test_access_matrix import _life

ONE = "query($id: ID!) { petition(id: $id) { number } }"


async def test_guessing_ids_finds_only_what_the_slice_holds(client_for):
    appeal = await _life(client_for)
    court = await client_for(factories.COURT)
    mine = {
        e["node"]["number"]
        for e in (await court.data("{ petitions(first: 100) { edges { node { number } } } }"))[
            "petitions"
        ]["edges"]
    }

    for guess in range(max(1, int(appeal.id) - 10), int(appeal.id) + 10):
        found = (await court.data(ONE, {"id": str(guess)}))["petition"]
        assert found is None or found["number"] in mine


async def test_aliases_and_batches_leak_nothing(client_for, server):
    appeal = await _life(client_for)
    court = await client_for(factories.COURT)
    aliased = await court.data(
        f'{{ a: petition(id: "{appeal.id}") {{ number }} '
        f'b: petition(number: "{appeal.number}") {{ number }} }}'
    )
    assert aliased == {"a": None, "b": None}

    batch = await court.http.post(
        "/graphql",
        json=[
            {"query": ONE, "variables": {"id": appeal.id}},
            {"query": ONE, "variables": {"id": appeal.id}},
        ],
    )
    assert appeal.number not in batch.text


async def test_outside_the_slice_a_step_fails_exactly_as_for_a_missing_appeal(client_for):
    appeal = await _life(client_for)
    court = await client_for(factories.COURT)

    outside = await refused(court, "addNote", id=appeal.id, text="probe")
    missing = await refused(court, "addNote", id="987654321", text="probe")

    assert outside["extensions"]["code"] == "NOT_FOUND"
    assert (outside["message"], outside["extensions"]) == (
        missing["message"],
        missing["extensions"],
    )


async def test_an_expired_token_is_refused(server, session, world):
    issued = await tokens.create_token(
        session=session,
        caller=None,
        organisation_code=factories.HALL,
        name="expired",
        expires_at=models.utcnow() - timedelta(minutes=1),
    )
    async with httpx.AsyncClient(base_url=server.url) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ me { name } }"},
            headers={"Authorization": f"Bearer {issued.token}"},
        )
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_audit_log_records_unmasked_reads_for_the_halls_admins(client_for):
    appeal = await _life(client_for)
    lmc = await client_for(factories.LMC)
    await lmc.data(
        "query($id: ID!) { petition(id: $id) { petitioner { idNumber } } }", {"id": appeal.id}
    )
    masked_reader = await client_for(factories.STREET)
    await masked_reader.data(
        "query($id: ID!) { petition(id: $id) { petitioner { idNumber } } }", {"id": appeal.id}
    )

    admin = await client_for(factories.HALL, ("petitions:read", "admin"))
    log = (
        await admin.data(
            "{ auditLog(first: 50) { entries { action path objectKind "
            "objectIds organisation { code } } } }"
        )
    )["auditLog"]["entries"]
    log = [e for e in log if appeal.id in e["objectIds"] and e["objectKind"] == "Petition"]
    readers = {e["organisation"]["code"] for e in log}
    assert factories.LMC in readers
    assert factories.STREET not in readers  # masked reads are not personal-data reads
    entry = next(e for e in log if e["organisation"]["code"] == factories.LMC)
    assert (entry["action"], entry["path"]) == ("READ_PERSONAL_DATA", "graphql")

    for outsider in (await client_for(factories.HALL), await client_for(factories.LMC)):
        error = await outsider.error("{ auditLog { entries { action } } }")
        assert error["extensions"]["code"] == "FORBIDDEN"
