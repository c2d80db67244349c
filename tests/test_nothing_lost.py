"""Nothing lost: concurrent steps on one appeal, parallel idempotent intake, and a step
that fails half-way — on whichever database the suite runs."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import resolvers.workflow.steps
from tests import factories
from tests.factories import submit
from tests.steps import document, step, timeline

CONCURRENT = 50
MATTERS = ["HOUSING", "FAMILY", "TRAFFIC", "ENVIRONMENT", "PUBLIC_SERVICES"]


async def test_concurrent_steps_with_the_same_expected_version_apply_once(window, hall):
    # Given an appeal at version 1 and fifty staff who all read that version
    appeal = await submit(window)

    # When they all reclassify it at once, each to its own matter
    async def classify(i: int):
        variables = {"id": appeal["id"], "expectedVersion": 1, "matter": MATTERS[i % 5]}
        return variables["matter"], await hall.post(
            document("classifyPetition", variables), variables
        )

    answers = await asyncio.gather(*(classify(i) for i in range(CONCURRENT)))

    # Then each either applied or answered CONFLICT, and exactly one applied
    applied = [m for m, body in answers if "errors" not in body]
    codes = Counter(
        body["errors"][0]["extensions"]["code"] for _, body in answers if "errors" in body
    )
    assert len(applied) == 1
    assert codes == {"CONFLICT": CONCURRENT - 1}
    # and the appeal is what that one made it, with one event for it
    after = await timeline(hall, appeal["id"])
    assert after["version"] == 2
    classified = [e for e in after["events"] if e["kind"] == "CLASSIFIED"]
    assert len(classified) == 1
    final = await step(hall, "addNote", id=appeal["id"], text="核对")
    assert final["matter"] == applied[0]


async def test_concurrent_steps_without_expected_version_are_all_kept(
    window, hall, street_platform
):
    # Given an appeal and two organisations noting it at once, fifty notes in all
    # (their tokens are fresh: the first uses also race to record `last_used_at`)
    appeal = await submit(window)

    async def note(i: int):
        client = hall if i % 2 else street_platform
        variables = {"id": appeal["id"], "text": f"备注{i}"}
        return await client.post(document("addNote", variables), variables)

    answers = await asyncio.gather(*(note(i) for i in range(CONCURRENT)))

    # Then none is lost and none doubled
    assert [b for b in answers if "errors" in b] == []
    after = await timeline(hall, appeal["id"])
    notes = [e["data"]["text"] for e in after["events"] if e["kind"] == "NOTE_ADDED"]
    assert sorted(notes) == sorted(f"备注{i}" for i in range(CONCURRENT))
    assert after["version"] == 1 + CONCURRENT
    versions = sorted(b["data"]["addNote"]["version"] for b in answers)
    assert versions == list(range(2, 2 + CONCURRENT))


async def test_parallel_submissions_with_one_client_request_id_create_one_appeal(window, hall):
    request_id = uuid.uuid4().hex
    marker = f"并发登记{request_id[:6]}"
    submission = factories.submission(title=marker, clientRequestId=request_id)

    answers = await asyncio.gather(
        *(window.post(factories.SUBMIT, {"input": submission}) for _ in range(20))
    )

    assert [b for b in answers if "errors" in b] == []
    numbers = {b["data"]["submitPetition"]["number"] for b in answers}
    assert len(numbers) == 1
    listed = await hall.data(
        "query($t: String) { petitions(filter: {text: $t}) { totalCount } }", {"t": marker}
    )
    assert listed["petitions"]["totalCount"] == 1


async def test_a_step_failing_half_way_leaves_no_partial_write(
    window, hall, labour_committee, monkeypatch
):
    # Given an answered appeal with feedback, its lead's assignment accepted
    appeal = await submit(window)
    await step(hall, "acceptPetition", id=appeal["id"])
    await step(hall, "assignPetition", id=appeal["id"], organisationCode=factories.LMC, role="LEAD")
    await step(labour_committee, "acceptAssignment", id=appeal["id"])
    await step(labour_committee, "answerPetition", id=appeal["id"], answer="已答复")
    await step(hall, "recordFeedback", id=appeal["id"], satisfaction="SATISFIED")
    before = await timeline(hall, appeal["id"])

    # When closing fails after the status moved and the assignment completed
    # (the closing event cannot be written)
    real = resolvers.workflow.steps.record_event

    def failing(session, *, kind, **kwargs):
        if kind.name == "CLOSED":
            raise RuntimeError("disk full")
        return real(session, kind=kind, **kwargs)

    monkeypatch.setattr(resolvers.workflow.steps, "record_event", failing)
    variables = {"id": appeal["id"], "resolved": True}
    body = await labour_committee.post(document("closePetition", variables), variables)
    monkeypatch.undo()

    # Then the caller sees an internal error and nothing of the step was kept
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    after = await timeline(hall, appeal["id"])
    assert after == before
    still = await step(hall, "addNote", id=appeal["id"], text="核对")
    assert still["status"] == "FEEDBACK" and still["closedAt"] is None
    assert [a["status"] for a in still["assignments"]] == ["ACCEPTED"]
