"""Small helpers the GraphQL types share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, overload

import strawberry
from strawberry.dataloader import DataLoader

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


def loader(info: Info, batch: Callable[..., Any], scoped: bool = False) -> DataLoader[Any, Any]:
    """A per-request DataLoader over `batch(session, keys)` (child rows of visible cases),
    or `batch(session, caller, keys)` when `scoped`."""
    cache: dict[str, DataLoader[Any, Any]] = info.context.loaders.__dict__.setdefault("batches", {})
    name = batch.__name__
    if name not in cache:
        context = info.context

        async def load(keys: list[Any]) -> list[Any]:
            caller = context.caller if scoped else None
            async with context.database() as session:
                if scoped:
                    return await batch(session, caller, keys)  # type: ignore[no-any-return]
                return await batch(session, keys)  # type: ignore[no-any-return]

        cache[name] = DataLoader(load_fn=load)
    return cache[name]
