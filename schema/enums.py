"""The domain's vocabularies as GraphQL enums: English names, Chinese descriptions."""

from __future__ import annotations

import strawberry

from db import models


def _expose(enum_class: type, description: str) -> type:
    labels = "; ".join(f"{m.name} {m.value}" for m in enum_class)  # type: ignore[attr-defined]
    return strawberry.enum(enum_class, description=f"{description} ({labels})")


Category = _expose(models.Category, "An appeal's category; each has a time limit in working days.")
Matter = _expose(models.Matter, "事项类型: what an appeal is about.")
Channel = _expose(models.Channel, "How an appeal reached the hub.")
Level = _expose(models.Level, "The level at which an appeal was received (the visit pyramid).")
PetitionStatus = _expose(models.PetitionStatus, "Where an appeal stands in its workflow.")
OrganisationKind = _expose(models.OrganisationKind, "What an organisation is.")
SiteKind = _expose(models.SiteKind, "Where a site station (特色站点) stands.")
RegionKind = _expose(models.RegionKind, "行政区划 level.")
Role = _expose(models.Role, "A staff member's role within an organisation.")
AssignmentRole = _expose(models.AssignmentRole, "主办 (lead) or 协办 (assisting).")
AssignmentStatus = _expose(models.AssignmentStatus, "Where an assignment stands.")
Satisfaction = _expose(
    models.Satisfaction, "The petitioner's answer when asked for feedback (回访)."
)
EventKind = _expose(models.EventKind, "What happened to an appeal.")
Escalation = _expose(
    models.Escalation, "Where an appeal goes beyond the hub's handling (访调心裁)."
)
