"""Psychological care as GraphQL: screenings, sessions, the risk level, the care steps.

Scores and notes are the care centre's alone (`resolvers/access/care_policy.py`); each
shown is audited (`Disclosures.show_care`, READ_PSYCH_DATA). Everyone else gets empty
lists, and sees a person's risk level only as `Petition.riskLevel` and the alert events.
"""

from schema.care.queries import care_sessions, counselling_plans, crisis_records, screenings
from schema.care.steps import CareMutation, CareSessionInput, ScreeningInput
from schema.care.types import (
    CareSession,
    CareSessionConnection,
    CounsellingPlan,
    CrisisRecord,
    RiskFlag,
    Screening,
    ScreeningConnection,
)

__all__ = [
    "CareMutation",
    "CareSession",
    "CareSessionConnection",
    "CareSessionInput",
    "CounsellingPlan",
    "CrisisRecord",
    "RiskFlag",
    "Screening",
    "ScreeningConnection",
    "ScreeningInput",
    "care_sessions",
    "counselling_plans",
    "crisis_records",
    "screenings",
]
