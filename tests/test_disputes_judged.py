"""A judgment ends the 访调心裁 chain (一事不再理): once a lawsuit of the appeal is judged,
no new mediation, arbitration or lawsuit is opened for it, and the appeal page offers
none (`resolvers/disputes/rules.py: stage_refusal`; the page's side is in
tests/test_browser_disputes.py)."""

from __future__ import annotations

from tests import factories
from tests.disputes import (
    APAN,
    act,
    dispute_world,  # noqa: F401 - a fixture
    refused,
)
from tests.factories import submit
from tests.steps import step


async def test_a_judgment_ends_the_chain(
    hall,
    court,
    dispute_world,  # noqa: F811
):
    # a nuisance claim may go to court directly; once judged, nothing reopens it
    appeal = await submit(
        hall, title="施工噪声赔偿纠纷", matter="CONSTRUCTION_NUISANCE", category="ASSISTANCE"
    )
    await step(hall, "acceptPetition", id=appeal["id"])
    lawsuit = await act(hall, "openLitigation", id=appeal["id"], courtCode=factories.COURT)
    pending = await refused(hall, "openLitigation", id=appeal["id"], courtCode=factories.COURT)
    assert pending["message"] == "the appeal already has a lawsuit pending"
    await act(court, "recordJudgment", id=lawsuit["id"], caseNumber="(2026)粤0310民初1号",
              summary="判令赔偿")  # fmt: skip
    for mutation, arguments in (
        ("openMediation", {"kind": "SOCIAL", "mediatorCode": APAN}),
        ("openLitigation", {"courtCode": factories.COURT}),
    ):
        judged = await refused(hall, mutation, id=appeal["id"], **arguments)
        assert judged["extensions"]["code"] == "BAD_USER_INPUT", mutation
        assert judged["message"] == "the dispute has been judged: its chain has ended", mutation
