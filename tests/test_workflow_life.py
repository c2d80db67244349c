"""The whole life of an appeal through GraphQL, and its timeline in order."""

from __future__ import annotations

from tests import factories
from tests.factories import submit
from tests.steps import step, timeline


async def test_the_life_of_a_wage_arrears_appeal(window, hall, labour_committee, court, client_for):
    psy = await client_for(factories.PSY)

    # Intake at the Liulian community window
    appeal = await submit(window, title="工地拖欠农民工工资", peopleCount=3)
    ident = appeal["id"]

    # Dispatch by the hall: the labour mediation committee leads, psychological care assists
    await step(hall, "acceptPetition", id=ident, expectedVersion=1)
    await step(hall, "classifyPetition", id=ident, matter="LABOUR_WAGES", category="COMPLAINT")
    await step(hall, "assignPetition", id=ident, organisationCode=factories.LMC, role="LEAD")
    assisted = await step(
        hall, "assignPetition", id=ident, organisationCode=factories.PSY, role="ASSISTING"
    )
    assert assisted["status"] == "ASSIGNED"
    await step(psy, "acceptAssignment", id=ident)

    # The committee returns it: the employer is a court party already
    returned = await step(
        labour_committee, "returnAssignment", id=ident, reason="用人单位已进入破产程序"
    )
    assert returned["status"] == "RETURNED"

    # Reassignment: the committee again, after the hall's instruction
    await step(
        hall,
        "assignPetition",
        id=ident,
        organisationCode=factories.LMC,
        role="LEAD",
        instructions="破产管理人同意先行调解",
    )
    in_progress = await step(labour_committee, "acceptAssignment", id=ident)
    assert in_progress["status"] == "IN_PROGRESS"

    # A suspension while the wage records are audited, then resumption
    await step(labour_committee, "suspendPetition", id=ident, reason="等待工资台账审计")
    resumed = await step(labour_committee, "resumePetition", id=ident)
    assert resumed["status"] == "IN_PROGRESS"

    # An extension, requested by the lead and approved by the hall
    await step(labour_committee, "requestExtension", id=ident, days=10, reason="涉及人数多")
    extended = await step(hall, "approveExtension", id=ident)
    assert (extended["status"], extended["extensionDays"]) == ("EXTENDED", 10)
    assert extended["dueAt"] > resumed["dueAt"]

    # The answer, the feedback, the closure
    await step(labour_committee, "addNote", id=ident, text="已组织三方调解")
    await step(labour_committee, "answerPetition", id=ident, answer="达成调解协议，分两期支付")
    await step(
        window, "recordFeedback", id=ident, satisfaction="BASICALLY_SATISFIED", comment="希望尽快"
    )
    closed = await step(labour_committee, "closePetition", id=ident, resolved=True)
    assert (closed["status"], closed["resolved"]) == ("CLOSED", True)

    # The second instalment is not paid: the hall reopens it
    reopened = await step(hall, "reopenPetition", id=ident, reason="第二期工资未按时支付")
    assert reopened["status"] == "REOPENED"
    assert reopened["answer"] is None and reopened["satisfaction"] is None

    # The timeline shows every step, in order, with who acted
    life = await timeline(hall, ident)
    steps = [(e["kind"], e["organisation"]["code"]) for e in life["events"]]
    assert steps == [
        ("SUBMITTED", factories.WINDOW),
        ("ACCEPTED", factories.HALL),
        ("CLASSIFIED", factories.HALL),
        ("ASSIGNED", factories.HALL),
        ("ASSIGNED", factories.HALL),
        ("ASSIGNMENT_ACCEPTED", factories.PSY),
        ("ASSIGNMENT_RETURNED", factories.LMC),
        ("ASSIGNED", factories.HALL),
        ("ASSIGNMENT_ACCEPTED", factories.LMC),
        ("SUSPENDED", factories.LMC),
        ("RESUMED", factories.LMC),
        ("EXTENSION_REQUESTED", factories.LMC),
        ("EXTENSION_APPROVED", factories.HALL),
        ("NOTE_ADDED", factories.LMC),
        ("ANSWERED", factories.LMC),
        ("FEEDBACK_RECORDED", factories.WINDOW),
        ("ASSIGNMENT_COMPLETED", factories.LMC),
        ("ASSIGNMENT_COMPLETED", factories.LMC),
        ("CLOSED", factories.LMC),
        ("REOPENED", factories.HALL),
    ]
    data = [e["data"] for e in life["events"]]
    assert data[3]["organisation"] == factories.LMC and data[3]["role"] == "LEAD"
    assert data[4]["organisation"] == factories.PSY and data[4]["role"] == "ASSISTING"
    assert data[6]["reason"] == "用人单位已进入破产程序"
    assert data[12]["days"] == 10
    assert data[18]["resolved"] is True
    assert life["version"] == 1 + 17  # the submission and one per step, none lost
    # The court was never part of it and still cannot see it
    assert (await court.data("query($id: ID!) { petition(id: $id) { id } }", {"id": ident})) == {
        "petition": None
    }
