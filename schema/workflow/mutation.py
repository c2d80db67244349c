"""`WorkflowMutation`: the workflow's steps as one GraphQL type, in the order of the SDL."""

from __future__ import annotations

import strawberry

from schema.appeals.types import Petition
from schema.workflow import assignments, outcome, petitioners, suspension, triage
from schema.workflow.steps import step_mutation


@strawberry.type(description="The appeal's workflow steps.")
class WorkflowMutation:
    accept_petition: Petition = step_mutation(
        triage.accept_petition,
        "受理: take the appeal on (a dispatcher or the receiving organisation).",
    )
    classify_petition: Petition = step_mutation(
        triage.classify_petition,
        "Set category and/or matter; a new category recomputes the deadline from receipt.",
    )
    assign_petition: Petition = step_mutation(
        assignments.assign_petition,
        "交办: give the appeal to an organisation as lead or assisting (the hall, or the street "
        "platform over its community).",
    )
    accept_assignment: Petition = step_mutation(
        assignments.accept_assignment,
        "签收: the caller's organisation accepts its pending assignment.",
    )
    return_assignment: Petition = step_mutation(
        assignments.return_assignment,
        "退回: the caller's organisation sends its assignment back, with a reason; a returned "
        "lead leaves the appeal RETURNED.",
    )
    add_note: Petition = step_mutation(triage.add_note, "Add a note to the timeline.")
    suspend_petition: Petition = step_mutation(
        suspension.suspend_petition, "挂起: pause the appeal and its deadline clock, with a reason."
    )
    resume_petition: Petition = step_mutation(
        suspension.resume_petition,
        "恢复: resume a suspended appeal; the deadline moves on by the working days that "
        "were left at suspension.",
    )
    request_extension: Petition = step_mutation(
        suspension.request_extension, "申请延期: ask for more working days (at most 30 in all)."
    )
    approve_extension: Petition = step_mutation(
        suspension.approve_extension, "批准延期: move the deadline by the requested working days."
    )
    reject_extension: Petition = step_mutation(
        suspension.reject_extension, "驳回延期: the deadline stays."
    )
    resolve_petition: Petition = step_mutation(
        outcome.answer_petition,
        "The contract's name for `answerPetition`: the appeal is answered (ANSWERED).",
    )
    answer_petition: Petition = step_mutation(
        outcome.answer_petition, "答复: answer the appeal (an active assignee, or the hall)."
    )
    record_feedback: Petition = step_mutation(
        outcome.record_feedback,
        "回访: record the petitioner's feedback on the answer; a refusal is a valid record.",
    )
    close_petition: Petition = step_mutation(
        outcome.close_petition,
        "办结: close an answered appeal with recorded feedback (its lead, or the hall).",
    )
    reopen_petition: Petition = step_mutation(
        outcome.reopen_petition, "重启: reopen the appeal, with a reason; it needs a new answer."
    )
    mark_backlog: Petition = step_mutation(
        triage.mark_backlog,
        "列为积案: flag a backlog case with its owner (an appeal that is one already is "
        "refused: BAD_USER_INPUT).",
    )
    clear_backlog: Petition = step_mutation(
        triage.clear_backlog, "积案销号: the backlog case is settled."
    )
    escalate_petition: Petition = step_mutation(
        assignments.escalate_petition,
        "转入调解/仲裁/诉讼: hand the appeal to mediation, arbitration or litigation, by the "
        "chain's order (a labour dispute goes to mediation first, to arbitration after a "
        "mediation failed, to court after the award), never to its current lead; another "
        "target is BAD_USER_INPUT on organisationCode. The organisation mediating the "
        "appeal concludes its mediation instead (FORBIDDEN).",
    )
    update_petitioner: Petition = step_mutation(
        petitioners.update_petitioner,
        "更正信访人信息: the hall corrects the petitioner's record (name, phone, address) "
        "and this appeal's contact details; other appeals keep the details given with them. "
        "On the timeline (which details changed) and in the audit log.",
    )
