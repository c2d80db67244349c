"""Workflow steps over GraphQL, for tests: `await step(hall, "acceptPetition", id=...)`."""

from __future__ import annotations

from typing import Any

ARGUMENT_TYPES = {
    "id": "ID",
    "number": "String",
    "expectedVersion": "Int",
    "category": "Category",
    "matter": "Matter",
    "organisationCode": "String",
    "role": "AssignmentRole",
    "dueAt": "DateTime",
    "instructions": "String",
    "reason": "String",
    "text": "String",
    "days": "Int",
    "answer": "String",
    "satisfaction": "Satisfaction",
    "comment": "String",
    "resolved": "Boolean",
    "owner": "String",
    "to": "Escalation",
    "acceptedAt": "DateTime",
}

PETITION_FIELDS = """
  id number status version category matter dueAt timeLimitDays answer satisfaction
  feedbackComment backlog backlogOwner escalatedTo extensionDays extensionRequestedDays
  suspendedAt resolved closedAt answeredAt
  deadlineProvisional deadlineClock acceptanceDueAt acceptedAt timeLimitUnit timeLimitCountsFrom
  assignments { role status returnReason dueAt organisation { code } }
"""

TIMELINE = """
query Timeline($id: ID!) {
  petition(id: $id) {
    status version
    events { kind data organisation { code } }
  }
}
"""


def document(mutation: str, arguments: dict[str, Any]) -> str:
    """A mutation document passing every argument as a variable."""
    declared = ", ".join(f"${name}: {ARGUMENT_TYPES[name]}!" for name in arguments)
    passed = ", ".join(f"{name}: ${name}" for name in arguments)
    header = f"mutation Step({declared})" if arguments else "mutation Step"
    return f"{header} {{ {mutation}({passed}) {{ {PETITION_FIELDS} }} }}"


async def step(client: Any, mutation: str, **arguments: Any) -> dict[str, Any]:
    """Take a workflow step; fails the test on any error. Returns the updated appeal."""
    data = await client.data(document(mutation, arguments), arguments)
    return data[mutation]


async def refused(client: Any, mutation: str, **arguments: Any) -> dict[str, Any]:
    """Take a step that must fail; returns the first error."""
    return await client.error(document(mutation, arguments), arguments)


async def timeline(client: Any, petition_id: str) -> dict[str, Any]:
    return (await client.data(TIMELINE, {"id": petition_id}))["petition"]
