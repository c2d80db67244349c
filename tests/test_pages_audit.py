"""Unmasked personal data shown on a page or in an export is audited, as over GraphQL."""

from __future__ import annotations

import uuid

from tests import factories
from tests.factories import submit

LOG = "{ auditLog(first: 100) { entries { action path objectKind objectIds } } }"


async def _paths_for(client_for, petition_id: str) -> set[str]:
    admin = await client_for(factories.HALL, ("petitions:read", "admin"))
    entries = (await admin.data(LOG))["auditLog"]["entries"]
    return {
        e["path"]
        for e in entries
        if (e["action"], e["objectKind"]) == ("READ_PERSONAL_DATA", "Petition")
        and petition_id in e["objectIds"]
    }


async def test_the_appeal_page_and_the_export_audit_unmasked_reads(sign_in_as, client_for):
    marker = f"审计{uuid.uuid4().hex[:6]}"
    appeal = await submit(await client_for(factories.WINDOW), title=f"{marker} 欠薪")
    hall = await sign_in_as("hall_dispatcher")

    page = await hall.get(f"/petitions/{appeal['number']}")
    export = await hall.get(f"/petitions/export.csv?q={marker}")

    assert page.status_code == export.status_code == 200
    assert {"page", "export"} <= await _paths_for(client_for, appeal["id"])


async def test_masked_views_are_not_audited(sign_in_as, client_for):
    appeal = await submit(await client_for(factories.WINDOW))
    court = await sign_in_as("court_clerk")  # cannot see it at all

    assert (await court.get(f"/petitions/{appeal['number']}")).status_code == 404
    assert await _paths_for(client_for, appeal["id"]) == set()
