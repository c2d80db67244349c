"""Small helpers the GraphQL types share."""

from __future__ import annotations

from datetime import datetime
from typing import Any, overload

import strawberry

from schema.context import Context

Info = strawberry.Info[Context, None]


@overload
def local(info: Info, value: datetime) -> datetime: ...
@overload
def local(info: Info, value: None) -> None: ...
@overload
def local(info: Info, value: datetime | None) -> datetime | None: ...


def local(info: Info, value: datetime | None) -> datetime | None:
    """A timestamp in the hub's time zone (ISO 8601 with its offset, e.g. +08:00)."""
    return value.astimezone(info.context.services.tz) if value is not None else None


def parse_id(value: Any) -> int | None:
    """A database id from a GraphQL ID; None for anything that is not one (so it is
    simply not found)."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def selected(info: Info, names: frozenset[str]) -> set[str]:
    """Which of `names` the current field's selection asks for (through fragments too)."""
    found: set[str] = set()

    def walk(selections: list[Any]) -> None:
        for selection in selections:
            name = getattr(selection, "name", None)
            if name in names:
                found.add(name)
            walk(getattr(selection, "selections", None) or [])

    walk([s for field in info.selected_fields for s in field.selections])
    return found


# Every subgraph with Relay connections defines this same value type.
@strawberry.federation.type(description="Where a page stands in the whole list.", shareable=True)
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more follow.")
    end_cursor: str | None = strawberry.field(description="The last edge's cursor.")
