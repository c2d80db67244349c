"""The workflow's mutations: one thin field per step, each returning the updated appeal.

Every step takes the appeal's `id` (or `number`) and, optionally, the
`expectedVersion` the caller last read: a stale one answers `CONFLICT` and
changes nothing. The rules live in `resolvers/` (transitions, authority,
workflow, assignments, clock, outcome).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

import strawberry

from db import models
from resolvers.appeals import petitioners
from resolvers.errors import not_found
from resolvers.workflow import assignments, outcome, triage
from resolvers.workflow import steps as workflow
from resolvers.workflow import suspension as clock
from schema.appeals.types import Petition
from schema.common import Info, parse_id
from schema.enums import AssignmentRole, Category, Escalation, Matter, Satisfaction

PetitionId = Annotated[
    strawberry.ID | None, strawberry.argument(description="The appeal's id (or give `number`).")
]
PetitionNumber = Annotated[
    str | None,
    strawberry.argument(description="The appeal's number, e.g. `PS-2026-004211`, instead of id."),
]
ExpectedVersion = Annotated[
    int | None,
    strawberry.argument(
        description="The `version` you last read; if the appeal has moved on since, the step "
        "answers CONFLICT and changes nothing. Leave it out to act on the current version."
    ),
]


def _ref(
    id: strawberry.ID | None, number: str | None, expected: int | None
) -> workflow.PetitionRef:
    ident = parse_id(id) if id is not None else None
    if id is not None and ident is None:
        raise not_found("petition")  # a malformed id is simply not found
    return workflow.PetitionRef(id=ident, number=number, expected_version=expected)


async def _step(
    info: Info,
    resolver: Callable[..., Awaitable[models.Petition]],
    ref: workflow.PetitionRef,
    **kwargs: Any,
) -> Petition:
    row = await info.context.call(
        resolver, services=info.context.services, now=info.context.now, ref=ref, **kwargs
    )
    return Petition.from_row(row, info)


async def accept_petition(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
    accepted_at: Annotated[
        datetime | None,
        strawberry.argument(
            description="When it was accepted, for a decision recorded afterwards (with a "
            "time zone offset; not before receipt, not in the future); default now. A time "
            "limit counted from acceptance starts on that day."
        ),
    ] = None,
) -> Petition:
    return await _step(
        info, triage.accept_petition, _ref(id, number, expected_version), accepted_at=accepted_at
    )


async def classify_petition(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
    category: Annotated[
        Category | None,
        strawberry.argument(description="The new category; the deadline is recomputed."),
    ] = None,
    matter: Annotated[Matter | None, strawberry.argument(description="The new matter.")] = None,
) -> Petition:
    return await _step(
        info,
        triage.classify_petition,
        _ref(id, number, expected_version),
        category=category,
        matter=matter,
    )


async def assign_petition(
    info: Info,
    organisation_code: Annotated[
        str, strawberry.argument(description="The assignee, e.g. `PS-LMC`.")
    ],
    role: Annotated[
        AssignmentRole, strawberry.argument(description="LEAD (主办, one at a time) or ASSISTING.")
    ],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
    due_at: Annotated[
        datetime | None,
        strawberry.argument(
            description="The assignment's own deadline; by default the category's time limit "
            "in working days from now."
        ),
    ] = None,
    instructions: Annotated[
        str | None, strawberry.argument(description="What the assignee is asked to do.")
    ] = None,
) -> Petition:
    return await _step(
        info,
        assignments.assign_petition,
        _ref(id, number, expected_version),
        organisation_code=organisation_code,
        role=role,
        due_at=due_at,
        instructions=instructions,
    )


async def accept_assignment(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(info, assignments.accept_assignment, _ref(id, number, expected_version))


Reason = Annotated[str, strawberry.argument(description="Why (required).")]
OptionalReason = Annotated[str | None, strawberry.argument(description="Why (optional).")]


async def return_assignment(
    info: Info,
    reason: Reason,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(
        info, assignments.return_assignment, _ref(id, number, expected_version), reason=reason
    )


async def add_note(
    info: Info,
    text: Annotated[str, strawberry.argument(description="The note (up to 2,000 characters).")],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(info, triage.add_note, _ref(id, number, expected_version), text=text)


async def suspend_petition(
    info: Info,
    reason: Reason,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(
        info, clock.suspend_petition, _ref(id, number, expected_version), reason=reason
    )


async def resume_petition(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(info, clock.resume_petition, _ref(id, number, expected_version))


async def request_extension(
    info: Info,
    days: Annotated[int, strawberry.argument(description="Working days asked for (1–30).")],
    reason: Reason,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(
        info,
        clock.request_extension,
        _ref(id, number, expected_version),
        days=days,
        reason=reason,
    )


async def approve_extension(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(info, clock.approve_extension, _ref(id, number, expected_version))


async def reject_extension(
    info: Info,
    reason: OptionalReason = None,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(
        info, clock.reject_extension, _ref(id, number, expected_version), reason=reason
    )


async def answer_petition(
    info: Info,
    answer: Annotated[str, strawberry.argument(description="The answer (up to 5,000).")],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(
        info, outcome.answer_petition, _ref(id, number, expected_version), answer=answer
    )


async def record_feedback(
    info: Info,
    satisfaction: Annotated[
        Satisfaction,
        strawberry.argument(description="What the petitioner said; REFUSED counts as a record."),
    ],
    comment: Annotated[str | None, strawberry.argument(description="Their words.")] = None,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(
        info,
        outcome.record_feedback,
        _ref(id, number, expected_version),
        satisfaction=satisfaction,
        comment=comment,
    )


async def close_petition(
    info: Info,
    resolved: Annotated[bool, strawberry.argument(description="化解: was the matter settled?")],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(
        info, outcome.close_petition, _ref(id, number, expected_version), resolved=resolved
    )


async def reopen_petition(
    info: Info,
    reason: Reason,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(
        info, outcome.reopen_petition, _ref(id, number, expected_version), reason=reason
    )


async def mark_backlog(
    info: Info,
    owner: Annotated[str, strawberry.argument(description="Who owns the backlog case.")],
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(info, triage.mark_backlog, _ref(id, number, expected_version), owner=owner)


async def clear_backlog(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(info, triage.clear_backlog, _ref(id, number, expected_version))


async def escalate_petition(
    info: Info,
    to: Annotated[
        Escalation, strawberry.argument(description="MEDIATION, ARBITRATION or LITIGATION.")
    ],
    organisation_code: Annotated[
        str,
        strawberry.argument(
            description="Who takes it: a mediator (e.g. `PS-LMC`, `PS-APAN`), `PS-ARB` or "
            "`PS-COURT`; it becomes the lead."
        ),
    ],
    reason: OptionalReason = None,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
) -> Petition:
    return await _step(
        info,
        assignments.escalate_petition,
        _ref(id, number, expected_version),
        to=to,
        organisation_code=organisation_code,
        reason=reason,
    )


async def update_petitioner(
    info: Info,
    id: PetitionId = None,
    number: PetitionNumber = None,
    expected_version: ExpectedVersion = None,
    name: Annotated[
        str | None, strawberry.argument(description="The corrected name (up to 64).")
    ] = None,
    phone: Annotated[
        str | None, strawberry.argument(description="The corrected phone number.")
    ] = None,
    address: Annotated[
        str | None, strawberry.argument(description="The corrected address (up to 200).")
    ] = None,
) -> Petition:
    return await _step(
        info,
        petitioners.update_petitioner,
        _ref(id, number, expected_version),
        correction=petitioners.PetitionerCorrection(name=name, phone=phone, address=address),
    )


def _mutation(resolver: Any, description: str) -> Any:
    # The hub refuses a step without `petitions:write` itself; the scope is also
    # declared for a federation router, which can refuse it before planning.
    return strawberry.federation.mutation(
        resolver=resolver, description=description, requires_scopes=[["petitions:write"]]
    )


@strawberry.type(description="The appeal's workflow steps.")
class WorkflowMutation:
    accept_petition: Petition = _mutation(
        accept_petition, "受理: take the appeal on (a dispatcher or the receiving organisation)."
    )
    classify_petition: Petition = _mutation(
        classify_petition,
        "Set category and/or matter; a new category recomputes the deadline from receipt.",
    )
    assign_petition: Petition = _mutation(
        assign_petition,
        "交办: give the appeal to an organisation as lead or assisting (the hall, or the street "
        "platform over its community).",
    )
    accept_assignment: Petition = _mutation(
        accept_assignment, "签收: the caller's organisation accepts its pending assignment."
    )
    return_assignment: Petition = _mutation(
        return_assignment,
        "退回: the caller's organisation sends its assignment back, with a reason; a returned "
        "lead leaves the appeal RETURNED.",
    )
    add_note: Petition = _mutation(add_note, "Add a note to the timeline.")
    suspend_petition: Petition = _mutation(
        suspend_petition, "挂起: pause the appeal and its deadline clock, with a reason."
    )
    resume_petition: Petition = _mutation(
        resume_petition,
        "恢复: resume a suspended appeal; the deadline moves on by the working days that "
        "were left at suspension.",
    )
    request_extension: Petition = _mutation(
        request_extension, "申请延期: ask for more working days (at most 30 in all)."
    )
    approve_extension: Petition = _mutation(
        approve_extension, "批准延期: move the deadline by the requested working days."
    )
    reject_extension: Petition = _mutation(reject_extension, "驳回延期: the deadline stays.")
    # Before `answer_petition`, which the next line rebinds in this class body.
    resolve_petition: Petition = _mutation(
        answer_petition,
        "The contract's name for `answerPetition`: the appeal is answered (ANSWERED).",
    )
    answer_petition: Petition = _mutation(
        answer_petition, "答复: answer the appeal (an active assignee, or the hall)."
    )
    record_feedback: Petition = _mutation(
        record_feedback,
        "回访: record the petitioner's feedback on the answer; a refusal is a valid record.",
    )
    close_petition: Petition = _mutation(
        close_petition,
        "办结: close an answered appeal with recorded feedback (its lead, or the hall).",
    )
    reopen_petition: Petition = _mutation(
        reopen_petition, "重启: reopen the appeal, with a reason; it needs a new answer."
    )
    mark_backlog: Petition = _mutation(
        mark_backlog,
        "列为积案: flag a backlog case with its owner (an appeal that is one already is "
        "refused: BAD_USER_INPUT).",
    )
    clear_backlog: Petition = _mutation(clear_backlog, "积案销号: the backlog case is settled.")
    escalate_petition: Petition = _mutation(
        escalate_petition,
        "转入调解/仲裁/诉讼: hand the appeal to mediation, arbitration or litigation, by the "
        "chain's order (a labour dispute goes to mediation first, to arbitration after a "
        "mediation failed, to court after the award), never to its current lead; another "
        "target is BAD_USER_INPUT on organisationCode. The organisation mediating the "
        "appeal concludes its mediation instead (FORBIDDEN).",
    )
    update_petitioner: Petition = _mutation(
        update_petitioner,
        "更正信访人信息: the hall corrects the petitioner's record (name, phone, address) "
        "and this appeal's contact details; other appeals keep the details given with them. "
        "On the timeline (which details changed) and in the audit log.",
    )
