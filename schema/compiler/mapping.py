"""The declarative map the compiled read path works from: GraphQL types to tables, their
scalar fields to columns, their object fields to relations.

A field that is in neither map (computed in Python, masked, or reaching through another
slice — `Petition.petitioner`, `Petition.repeatOf`, `PetitionEvent.petition`) makes the
whole query go to the resolvers. Scalar columns are the field's name in snake_case unless
`columns` says otherwise; how a value is written out follows the field's GraphQL type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table

from db import models


@dataclass(frozen=True)
class ToOne:
    """An object field read through a foreign key on the parent's table."""

    target: str
    foreign_key: str  # the parent's column holding the target's id


@dataclass(frozen=True)
class ToMany:
    """A list field: the target's rows whose `foreign_key` is the parent's id, in `order`.

    `limit_argument` names an argument that cuts the list (negative means none);
    `kinds_argument` one that keeps only rows whose `kind` is among the given values."""

    target: str
    foreign_key: str
    order: tuple[str, ...]
    limit_argument: str | None = None
    kinds_argument: str | None = None


@dataclass(frozen=True)
class Mapped:
    """One GraphQL object type backed by one table."""

    table: Table
    scalars: frozenset[str]
    relations: dict[str, ToOne | ToMany] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    # Fields computed from a column: the event cursor is the event id, encoded.
    cursors: dict[str, str] = field(default_factory=dict)

    def column(self, source: Any, name: str) -> Column[Any]:
        """The column for a scalar field in `source` (the table, an alias or a subquery)."""
        return source.c[self.columns.get(name, snake(name))]  # type: ignore[no-any-return]


def snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def _table(model: type[models.Base]) -> Table:
    return model.__table__  # type: ignore[return-value]


TYPES: dict[str, Mapped] = {
    "Petition": Mapped(
        table=_table(models.Petition),
        scalars=frozenset(
            {
                "id",
                "number",
                "title",
                "description",
                "category",
                "matter",
                "channel",
                "level",
                "status",
                "receivedAt",
                "dueAt",
                "deadlineProvisional",
                "timeLimitDays",
                "peopleCount",
                "collective",
                "repeatCount",
                "levelSkipping",
                "backlog",
                "backlogOwner",
                "answeredAt",
                "closedAt",
                "resolved",
                "satisfaction",
                "feedbackComment",
                "answer",
                "suspendedAt",
                "extensionDays",
                "extensionRequestedDays",
                "escalatedTo",
                "version",
            }
        ),
        relations={
            "receivedBy": ToOne("Organisation", "received_by_id"),
            "community": ToOne("Region", "community_id"),
            "assignments": ToMany(
                "Assignment", "petition_id", ("assigned_at", "id"), limit_argument="first"
            ),
            "events": ToMany("PetitionEvent", "petition_id", ("id",), kinds_argument="kinds"),
        },
    ),
    "Assignment": Mapped(
        table=_table(models.Assignment),
        scalars=frozenset(
            {
                "id",
                "role",
                "status",
                "assignedAt",
                "dueAt",
                "deadlineProvisional",
                "acceptedAt",
                "returnedAt",
                "returnReason",
                "completedAt",
            }
        ),
        relations={"organisation": ToOne("Organisation", "organisation_id")},
    ),
    "PetitionEvent": Mapped(
        table=_table(models.PetitionEvent),
        scalars=frozenset({"id", "kind", "occurredAt", "data"}),
        relations={"organisation": ToOne("Organisation", "organisation_id")},
        cursors={"cursor": "id"},
    ),
    "Organisation": Mapped(
        table=_table(models.Organisation),
        scalars=frozenset({"id", "code", "name", "nameEn", "kind", "siteKind"}),
        relations={
            "region": ToOne("Region", "region_id"),
            "parent": ToOne("Organisation", "parent_id"),
        },
    ),
    "Region": Mapped(
        table=_table(models.Region),
        scalars=frozenset({"code", "name", "namePinyin", "kind", "population"}),
        relations={"parent": ToOne("Region", "parent_id")},
    ),
}
