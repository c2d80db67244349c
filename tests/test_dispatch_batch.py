"""`Petition.dispatchSuggestions` on a page of appeals: the same statements for twenty
appeals as for one, and the same answers as `dispatch.suggestions` asked one by one."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from db import models
from resolvers.access import tokens
from resolvers.access.policy import ACTIVE_ASSIGNMENT
from resolvers.workflow import dispatch
from tests import factories
from tests.disputes import PROJECT, dispute_world  # noqa: F401
from tests.factories import submit

PAGE = """
query Page($filter: PetitionFilter, $first: Int) {
  petitions(filter: $filter, first: $first) {
    edges { node { number
      dispatchSuggestions { organisation { code } basis matter place count reason } } }
  }
}
"""

ACCEPT_AND_ASSIGN = """
mutation Route($number: String!, $org: String!) {
  acceptAndAssignPetition(number: $number, organisationCode: $org) { status }
}
"""

MATTERS = ["LABOUR_WAGES", "HOUSING", "LABOUR_CONTRACT", "ENVIRONMENT", "FAMILY", "OTHER"]


async def appeals(hall: Any, window: Any, marker: str) -> None:
    """Twenty-four appeals of six matters, a third on the metro project's site, some in
    another street's community, some already given to a lead; the newest has a matter, a
    community and a project (so a page of one reads everything a page of twenty does)."""
    for i in range(24):
        where: dict[str, Any] = {"projectCode": PROJECT} if i % 3 == 2 else {}
        if i % 5 == 1:  # registered by the hall for another street's community
            where["communityCode"] = factories.OTHER_COMMUNITY
            client = hall
        else:
            where["communityCode"] = factories.COMMUNITY
            client = window
        appeal = await submit(client, title=f"{marker} {i}", matter=MATTERS[i % 6], **where)
        if i % 4 == 0:
            lead = factories.STREET if i % 8 == 0 else factories.PSY
            await hall.data(ACCEPT_AND_ASSIGN, {"number": appeal["number"], "org": lead})
    await submit(
        window, title=f"{marker} 末", communityCode=factories.COMMUNITY, projectCode=PROJECT
    )


async def page(client: Any, marker: str, first: int) -> dict[str, list[dict[str, Any]]]:
    data = await client.data(PAGE, {"filter": {"text": marker}, "first": first})
    edges = data["petitions"]["edges"]
    assert len(edges) == first
    return {e["node"]["number"]: e["node"]["dispatchSuggestions"] for e in edges}


async def test_a_page_of_twenty_appeals_suggests_for_what_one_costs(
    server,
    hall,
    window,
    street_platform,
    dispute_world,  # noqa: F811
):
    marker = f"分办计数{uuid.uuid4().hex[:6]}"
    await appeals(hall, window, marker)

    for client in (hall, street_platform):
        await page(client, marker, 1)  # warm the token's last use
        counts, pages = {}, {}
        for size in (1, 20):
            server.statements.reset()
            pages[size] = await page(client, marker, size)
            counts[size] = server.statements.count
        assert counts[1] == counts[20], counts
        # a real answer, for the one and the many
        assert all(pages[1].values())
        assert sum(1 for found in pages[20].values() if found) >= 10

    # The street platform may dispatch only its own communities' appeals: the others in
    # its slice (given to it as lead) get none, within the same statements
    street = await page(street_platform, marker, 20)
    assert any(found == [] for found in street.values())


def shown(found: list[dispatch.Suggestion]) -> list[dict[str, Any]]:
    """As GraphQL shows a suggestion."""
    return [
        {
            "organisation": {"code": s.organisation.code},
            "basis": s.basis.name,
            "matter": s.matter.name if s.matter else None,
            "place": s.place,
            "count": s.count,
            "reason": s.reason,
        }
        for s in found
    ]


async def one_by_one(sessionmaker: Any, org: str, numbers: list[str]) -> dict[str, Any]:
    """`dispatch.suggestions` asked for each appeal alone, as the appeal page asks it
    (empty where the caller may not dispatch it)."""
    async with sessionmaker() as session:
        token = await factories.token(session, org)
        caller = await tokens.authenticate_token(session=session, token=token, now=models.utcnow())
        answers = {}
        for number in numbers:
            petition = await session.scalar(
                select(models.Petition).where(models.Petition.number == number)
            )
            assert petition is not None
            held = list(
                await session.scalars(
                    select(models.Assignment).where(models.Assignment.petition_id == petition.id)
                )
            )
            allowed = await dispatch.petition_suggestions(
                session=session, caller=caller, now=models.utcnow(), petition=petition,
                assignments=held,
            )  # fmt: skip
            alone = await dispatch.suggestions(
                session=session,
                caller=caller,
                now=models.utcnow(),
                matter=petition.matter,
                community_id=petition.community_id,
                project_id=petition.project_id,
                exclude={a.organisation_id for a in held if a.status in ACTIVE_ASSIGNMENT},
            )
            answers[number] = shown(alone) if allowed is not None else []
        return answers


async def test_the_batched_suggestions_are_those_of_each_appeal_alone(
    sessionmaker,
    hall,
    window,
    street_platform,
    dispute_world,  # noqa: F811
):
    marker = f"分办逐一{uuid.uuid4().hex[:6]}"
    await appeals(hall, window, marker)

    for org, client in ((factories.HALL, hall), (factories.STREET, street_platform)):
        batched = await page(client, marker, 20)
        alone = await one_by_one(sessionmaker, org, list(batched))
        assert batched == alone
        # several matters, places and bases on the page, so the batch had mixing to do
        bases = {s["basis"] for found in batched.values() for s in found}
        assert {"METRO_SITE", "USUAL", "COMMUNITY"} <= bases, bases
        assert ("STREET" in bases) is (org == factories.HALL)  # never the caller itself
