"""All tables, importable as one module: `from db import models`."""

from db.models.base import Base, utcnow
from db.models.enterprises import Enterprise, Project, ProjectEnterprise
from db.models.enums import (
    AWAITING_ANSWER,
    OPEN_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    Category,
    Channel,
    Escalation,
    EventKind,
    Level,
    Matter,
    OrganisationKind,
    PetitionStatus,
    RegionKind,
    Role,
    Satisfaction,
    SiteKind,
)
from db.models.people import ApiClient, StaffUser
from db.models.petitions import Assignment, NumberSequence, Petition, Petitioner, PetitionEvent
from db.models.places import Organisation, Region

__all__ = [
    "AWAITING_ANSWER",
    "OPEN_STATUSES",
    "ApiClient",
    "Assignment",
    "AssignmentRole",
    "AssignmentStatus",
    "Base",
    "Category",
    "Channel",
    "Enterprise",
    "Escalation",
    "EventKind",
    "Level",
    "Matter",
    "NumberSequence",
    "Organisation",
    "OrganisationKind",
    "Petition",
    "PetitionEvent",
    "PetitionStatus",
    "Petitioner",
    "Project",
    "ProjectEnterprise",
    "Region",
    "RegionKind",
    "Role",
    "Satisfaction",
    "SiteKind",
    "StaffUser",
    "utcnow",
]
