"""All tables, importable as one module: `from db import models`."""

from db.models.access import AuditEntry, SignInFailure, StaffSession
from db.models.base import Base, utcnow
from db.models.calendar import CalendarDay, CalendarYear, DeadlineAlert, TimeLimitPolicy
from db.models.enterprises import Enterprise, Project, ProjectEnterprise
from db.models.enums import (
    AWAITING_ANSWER,
    OPEN_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    CalendarSource,
    Category,
    Channel,
    DeadlineStart,
    Escalation,
    EventKind,
    Level,
    Matter,
    OrganisationKind,
    PetitionStatus,
    PolicyStage,
    RegionKind,
    Role,
    Satisfaction,
    SiteKind,
    TimeUnit,
)
from db.models.governance import CommunityProfile, FigureTarget
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
    "AuditEntry",
    "Base",
    "CalendarDay",
    "CalendarSource",
    "CalendarYear",
    "Category",
    "Channel",
    "CommunityProfile",
    "DeadlineAlert",
    "DeadlineStart",
    "Enterprise",
    "Escalation",
    "EventKind",
    "FigureTarget",
    "Level",
    "Matter",
    "NumberSequence",
    "Organisation",
    "OrganisationKind",
    "Petition",
    "PetitionEvent",
    "PetitionStatus",
    "Petitioner",
    "PolicyStage",
    "Project",
    "ProjectEnterprise",
    "Region",
    "RegionKind",
    "Role",
    "Satisfaction",
    "SignInFailure",
    "SiteKind",
    "StaffSession",
    "StaffUser",
    "TimeLimitPolicy",
    "TimeUnit",
    "utcnow",
]
