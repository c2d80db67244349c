"""How an appeal's life unfolds once received: acceptance, assignments, extensions,
suspension, backlog visits, the answer, feedback and closing, and when each happens."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from db.demo.lifecycle import AT, Life, PlannedAssignment, minutes, office
from db.demo.places.organisations import HALL_CODE
from db.demo.routing import ASSISTS, WRONG_FIRST, Plan, route, street_platform
from db.demo.texts.steps import (
    BACKLOG_NOTES,
    EXTENSION_REASONS,
    RETURN_REASONS,
    SUSPENSION_REASONS,
)
from db.models import (
    AssignmentRole,
    AssignmentStatus,
    Category,
    DeadlineStart,
    EventKind,
    Level,
    Matter,
    PetitionStatus,
    Satisfaction,
    TimeUnit,
)

E, S = EventKind, PetitionStatus
LEAD, ASSISTING = AssignmentRole.LEAD, AssignmentRole.ASSISTING
STUCK_STATES = (["progress", "suspended", "extended", "unaccepted"], [40, 25, 20, 15])
LEAD_NOTE = "请按时限办理，及时答复诉求人并反馈办理结果。"
ASSIST_NOTE = "请配合主办单位做好调查核实和疏导工作。"


def plan_life(p: Plan, due_at: datetime, provisional: bool) -> Life:
    """Every step the appeal goes through, whether or not it has happened by "now"."""
    rng, life = p.rng, Life(last=p.at - timedelta(seconds=1))
    life.add(
        p.at,
        E.SUBMITTED,
        p.receiver,
        status=S.RECEIVED,
        data={
            "channel": p.channel.name,
            "category": p.category.name,
            "matter": p.matter.name,
            "level": p.level.name,
        },
    )
    if p.repeat_of:
        life.add(
            p.at,
            E.REPEAT_LINKED,
            p.receiver,
            data={"repeatOf": p.repeat_of, "repeatCount": p.repeat_count},
        )
    t = life.add(
        office(p.at + minutes(rng, 2, 60), rng),
        E.ACCEPTED,
        p.receiver,
        status=S.ACCEPTED,
        petition={"accepted_at": AT},
    )
    if p.world.limits(p.category)["time_limit_from"] is DeadlineStart.ACCEPTANCE:
        # The handling clock starts on the day of acceptance (a formal petition: 60 日).
        due_at, provisional = p.world.due(t, p.category)
        accepted = life.steps[-1]
        assert accepted.petition is not None
        accepted.petition.update(
            handling_starts_at=t, due_at=due_at, deadline_provisional=provisional
        )
        accepted.data.update(acceptedAt=t.isoformat(), dueAt=due_at.isoformat())
    direct = p.mode == "normal" and p.category is Category.CONSULTATION and rng.random() < 0.55
    lead = assisting = None
    closer = answerer = p.receiver
    stuck_state = rng.choices(*STUCK_STATES)[0] if p.mode == "stuck" else ""
    if not direct:
        assigner = HALL_CODE if p.level in (Level.DISTRICT, Level.CITY) else street_platform(p)
        closer = assigner
        lead_org = route(p, assigner)
        if p.mode == "normal" and rng.random() < 0.02:
            wrong = rng.choice([c for c in WRONG_FIRST if c != lead_org])
            first = _assign(p, life, wrong, LEAD, assigner, office(t + minutes(rng, 5, 240), rng))
            reason = rng.choice(RETURN_REASONS)
            t = life.add(
                office(life.last + minutes(rng, 60, 1200), rng),
                E.ASSIGNMENT_RETURNED,
                wrong,
                assignment=first,
                status=S.RETURNED,
                data={"organisation": wrong, "reason": reason},
                assignment_fields={
                    "status": AssignmentStatus.RETURNED,
                    "returned_at": AT,
                    "return_reason": reason,
                },
            )
        lead = _assign(p, life, lead_org, LEAD, assigner, office(t + minutes(rng, 5, 240), rng))
        answerer = lead_org
        helper, chance = ASSISTS.get(p.matter, ("", 0.0))
        if p.collective:
            helper, chance = "PS-GOV", 0.5
        if p.mode in ("backlog", "cleared") and p.matter in (Matter.HOMESTEAD_LAND, Matter.FAMILY):
            chance = 1.0
        if helper and helper != lead_org and rng.random() < chance:
            assisting = _assign(p, life, helper, ASSISTING, assigner, life.last)
        if stuck_state == "unaccepted":
            return life
        t = _accept(p, life, lead, office(life.last + minutes(rng, 10, 360), rng))
        if assisting is not None:
            _accept(p, life, assisting, office(life.last + minutes(rng, 10, 600), rng))
        extend = (
            p.mode == "cleared"
            or stuck_state == "extended"
            or (p.mode == "backlog" and rng.random() < 0.6)
            or (
                p.mode == "normal"
                and p.category in (Category.COMPLAINT, Category.REPORT, Category.PETITION)
                and rng.random() < 0.02
            )
        )
        if extend:
            due_at = _extend(p, life, lead, assigner, due_at)
    if p.mode == "stuck":
        if stuck_state == "suspended":
            _suspend(p, life, answerer, life.last + timedelta(days=rng.uniform(1, 5)), due_at)
        elif stuck_state == "progress" and rng.random() < 0.5:
            _note(p, life, answerer, life.last + timedelta(days=rng.uniform(3, 20)))
        return life
    if p.mode in ("backlog", "cleared"):
        _backlog(p, life, answerer, due_at)
        if p.mode == "backlog":
            if rng.random() < 0.2:
                _suspend(p, life, answerer, life.last + timedelta(days=rng.uniform(2, 10)), due_at)
            return life
    t = _answer_time(p, life, due_at)
    for index in (assisting, lead):
        if index is not None:
            org = life.assignments[index].org
            life.add(
                t - minutes(rng, 1, 240 if index == assisting else 20),
                E.ASSIGNMENT_COMPLETED,
                org,
                assignment=index,
                data={"organisation": org},
                assignment_fields={"status": AssignmentStatus.COMPLETED, "completed_at": AT},
            )
    t = life.add(
        t,
        E.ANSWERED,
        answerer,
        status=S.ANSWERED,
        petition={"answered_at": AT, "answer": p.wording["answer"]},
    )
    if p.mode == "cleared":
        life.add(
            t + minutes(rng, 60, 2000), E.BACKLOG_CLEARED, HALL_CODE, petition={"backlog": False}
        )
    satisfaction = Satisfaction[p.satisfaction]
    feedback_at, close_at = _feedback_and_close(p, life.last, due_at)
    t = life.add(
        feedback_at,
        E.FEEDBACK_RECORDED,
        p.receiver,
        status=S.FEEDBACK,
        data={"satisfaction": satisfaction.name},
        petition={"satisfaction": satisfaction},
    )
    resolved = not (
        (satisfaction is Satisfaction.DISSATISFIED and rng.random() < 0.35) or rng.random() < 0.003
    )
    life.closed_at = life.add(
        max(close_at, t),
        E.CLOSED,
        closer,
        status=S.CLOSED,
        data={"resolved": resolved},
        petition={"closed_at": AT, "resolved": resolved},
    )
    return life


def _assign(p: Plan, life: Life, org: str, role: AssignmentRole, by: str, at: datetime) -> int:
    index = life.assign(
        PlannedAssignment(org, role, by, at, at, False, LEAD_NOTE if role is LEAD else ASSIST_NOTE)
    )
    at = life.add(
        at,
        E.ASSIGNED,
        by,
        assignment=index,
        status=S.ASSIGNED if role is LEAD else None,
        data={"organisation": org, "role": role.name},
    )
    planned = life.assignments[index]
    planned.assigned_at = at
    planned.due_at, planned.provisional = p.world.due(at, p.category)
    return index


def _accept(p: Plan, life: Life, index: int, at: datetime) -> datetime:
    planned = life.assignments[index]
    return life.add(
        at,
        E.ASSIGNMENT_ACCEPTED,
        planned.org,
        assignment=index,
        status=S.IN_PROGRESS if planned.role is LEAD else None,
        data={"organisation": planned.org},
        assignment_fields={"status": AssignmentStatus.ACCEPTED, "accepted_at": AT},
    )


def _extend(p: Plan, life: Life, lead: int | None, assigner: str, due_at: datetime) -> datetime:
    rng = p.rng
    days = rng.choice((5, 10, 15, 30))
    planned = life.assignments[lead] if lead is not None else None
    start = life.last
    asked = start + (due_at - start) * rng.uniform(0.3, 0.8) if due_at > start else start
    life.add(
        asked,
        E.EXTENSION_REQUESTED,
        planned.org if planned else assigner,
        assignment=lead,
        data={"days": days, "reason": rng.choice(EXTENSION_REASONS)},
    )
    new_due, _ = p.world.shift_deadline(due_at, days, p.category)
    fields: dict[str, Any] | None = None
    if planned is not None:
        fields = {"due_at": p.world.shift_deadline(planned.due_at, days, p.category)[0]}
    unit = p.world.limits(p.category)["time_limit_unit"]
    life.add(
        life.last + minutes(rng, 30, 600),
        E.EXTENSION_APPROVED,
        assigner,
        assignment=lead,
        status=S.EXTENDED,
        data={"days": days, "unit": unit.name, "dueAt": new_due.isoformat()},
        petition={"extension_days": days, "extension_unit": unit, "due_at": new_due},
        assignment_fields=fields,
    )
    return new_due


def _suspend(p: Plan, life: Life, org: str, at: datetime, due_at: datetime) -> None:
    """The clock stops: waiting for a court, an award, an expert, or the petitioner."""
    if at < p.world.end:
        at = _before(at, p.world.end, p.rng)
        left = max(p.world.days_left(at, due_at, p.category), 0)
        working = p.world.limits(p.category)["time_limit_unit"] is TimeUnit.WORKING_DAYS
        life.add(
            at,
            E.SUSPENDED,
            org,
            status=S.SUSPENDED,
            data={
                "reason": p.rng.choice(SUSPENSION_REASONS),
                "workingDaysLeft" if working else "daysLeft": left,
            },
            petition={
                "suspended_at": AT,
                "suspended_from": life.status.name,
                "suspended_days_left": left,
            },
        )


def _note(p: Plan, life: Life, org: str, at: datetime) -> datetime:
    return life.add(at, E.NOTE_ADDED, org, data={"note": p.rng.choice(BACKLOG_NOTES)})


def _backlog(p: Plan, life: Life, org: str, due_at: datetime) -> None:
    """Marked a backlog case some weeks after its deadline, then visited again and again."""
    rng, end = p.rng, p.world.end
    marked = max(due_at, life.last) + timedelta(days=rng.uniform(15, 45))
    if marked >= end:
        marked = life.last + (end - life.last) * rng.uniform(0.3, 0.7)
    life.add(
        _before(marked, end, rng),
        E.BACKLOG_MARKED,
        HALL_CODE,
        data={"owner": p.backlog_owner},
        petition={"backlog": True, "backlog_owner": p.backlog_owner},
    )
    visits = 15 if p.mode == "backlog" else rng.randint(2, 5)
    for _ in range(visits):
        nxt = life.last + timedelta(days=rng.uniform(7, 35))
        if nxt >= end:
            break
        visitor = "PS-PSY" if rng.random() < 0.25 else org
        _note(p, life, visitor, _before(nxt, end, rng))


def _before(t: datetime, end: datetime, rng: random.Random) -> datetime:
    """`t` moved into office hours, unless that would pass `end`."""
    moved = office(t, rng)
    return moved if moved < end else t


def _feedback_and_close(p: Plan, answered: datetime, due_at: datetime) -> tuple[datetime, datetime]:
    """回访 and 办结: an answer given in time is mostly followed up (a call back) and
    closed before the deadline too; a late one, or a few others, a working day or so on."""
    rng, left = p.rng, due_at - answered
    if left > timedelta(minutes=20) and rng.random() < 0.96:
        feedback = answered + left * rng.uniform(0.1, 0.6)
        return feedback, feedback + (due_at - feedback) * rng.uniform(0.05, 0.5)
    feedback = office(answered + minutes(rng, 30, 20 * 60), rng)
    return feedback, feedback + minutes(rng, 5, 240)


def _answer_time(p: Plan, life: Life, due_at: datetime) -> datetime:
    """Mostly well within the deadline; a small share late; cleared backlog much later."""
    rng, start = p.rng, life.last
    if p.mode == "cleared":
        return office(start + timedelta(days=rng.uniform(20, 60)), rng)
    if rng.random() < 0.025:
        return office(max(due_at, start) + minutes(rng, 120, 5 * 24 * 60), rng)
    span = due_at - start
    if span <= timedelta(minutes=30):
        return start + minutes(rng, 20, 240)
    t = start + span * rng.betavariate(1.2, 3.5)
    moved = office(t, rng)
    return moved if moved < due_at else t
