"""The domain's vocabularies as GraphQL enums: English names, Chinese descriptions."""

from __future__ import annotations

import enum

import strawberry

from db import models


def _expose(enum_class: type[enum.Enum], description: str) -> None:
    """Register a domain enum with GraphQL (strawberry marks the class itself)."""
    labels = "; ".join(f"{m.name} {m.value}" for m in enum_class)
    strawberry.enum(enum_class, description=f"{description} ({labels})")


_expose(models.Category, "An appeal's category; each has its time limits (in 工作日 or 日).")
Category = models.Category
_expose(models.Matter, "事项类型: what an appeal is about.")
Matter = models.Matter
_expose(models.Channel, "How an appeal reached the hub.")
Channel = models.Channel
_expose(models.Level, "The level at which an appeal was received (the visit pyramid).")
Level = models.Level
_expose(models.PetitionStatus, "Where an appeal stands in its workflow.")
PetitionStatus = models.PetitionStatus
_expose(models.OrganisationKind, "What an organisation is.")
OrganisationKind = models.OrganisationKind
_expose(models.SiteKind, "Where a site station (特色站点) stands.")
SiteKind = models.SiteKind
_expose(models.RegionKind, "行政区划 level.")
RegionKind = models.RegionKind
_expose(models.Role, "A staff member's role within an organisation.")
Role = models.Role
_expose(models.AssignmentRole, "主办 (lead) or 协办 (assisting).")
AssignmentRole = models.AssignmentRole
_expose(models.AssignmentStatus, "Where an assignment stands.")
AssignmentStatus = models.AssignmentStatus
_expose(models.Satisfaction, "The petitioner's answer when asked for feedback (回访).")
Satisfaction = models.Satisfaction
_expose(models.EventKind, "What happened to an appeal.")
EventKind = models.EventKind
_expose(models.Escalation, "Where an appeal goes beyond the hub's handling (访调心裁).")
Escalation = models.Escalation
_expose(
    models.TimeUnit,
    "What a time limit counts: WORKING_DAYS counts working days on the official calendar; "
    "CALENDAR_DAYS counts days, and a last day that is not a working day moves to the next "
    "working day (民法典 art. 201, 203)",
)
TimeUnit = models.TimeUnit
_expose(models.DeadlineStart, "The event a time limit counts from; that day itself is not counted")
DeadlineStart = models.DeadlineStart
_expose(
    models.RiskLevel,
    "A person's psychological risk; HIGH and CRISIS alert the organisations handling their appeals",
)
RiskLevel = models.RiskLevel
_expose(models.RiskFlagKind, "A risk a handler saw on an appeal")
RiskFlagKind = models.RiskFlagKind
_expose(models.CareSessionKind, "How a care session was held")
CareSessionKind = models.CareSessionKind
