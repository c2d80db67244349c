"""重复访 and 越级访 as each caller is shown them.

Intake links an appeal to the petitioner's earlier appeals on the same matter over
the whole district (`models.PetitionRepeat`), so the hall sees the full picture.
Everyone else is shown only what its slice holds: the repeat count, the earlier
appeal named, level-skipping and the `REPEAT_LINKED` event count only the earlier
appeals the caller may see — otherwise a submission would tell a partner that
appeals it cannot see exist, and their numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from db import models
from db.models import EventKind
from resolvers.access.caller import Caller
from resolvers.access.policy import SEES_ALL, petition_filter


@dataclass(frozen=True)
class RepeatView:
    """One appeal's repeat history, as far as one caller's slice holds it."""

    count: int = 0
    repeat_of_id: int | None = None  # the newest earlier appeal the caller sees
    repeat_of_number: str | None = None
    level_skipping: bool = False


def sees_every_repeat(caller: Caller) -> bool:
    return caller.organisation_kind in SEES_ALL


async def repeat_views(
    session: AsyncSession, caller: Caller, petition_ids: Sequence[int]
) -> list[RepeatView]:
    """For each appeal (already known to be in the caller's slice), its repeat history
    counting only the earlier appeals in the caller's slice."""
    earlier, link = models.Petition, models.PetitionRepeat
    rows = await session.execute(
        select(link.petition_id, earlier.id, earlier.number, link.skipped_over)
        .join(earlier, earlier.id == link.earlier_id)
        .where(link.petition_id.in_(set(petition_ids)), petition_filter(caller))
        .order_by(link.petition_id, earlier.received_at.desc(), earlier.id.desc())
    )
    grouped: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    for petition_id, earlier_id, number, skipped_over in rows:
        grouped[petition_id].append((earlier_id, number, skipped_over))
    views = []
    for petition_id in petition_ids:
        links = grouped.get(petition_id)
        if not links:
            views.append(RepeatView())
            continue
        views.append(RepeatView(
            count=len(links), repeat_of_id=links[0][0], repeat_of_number=links[0][1],
            level_skipping=any(skipped for _, _, skipped in links),
        ))  # fmt: skip
    return views


def repeat_filter(
    caller: Caller, *, whole_district: bool = False, level_skipping: bool = False
) -> ColumnElement[bool]:
    """Appeals that are repeats as `caller` may know it (an earlier appeal in its slice);
    `whole_district` for figures computed over the whole district (the hall, leaders);
    `level_skipping` for 越级访 alone (an earlier appeal it passed over, in the slice)."""
    if whole_district or sees_every_repeat(caller):
        p = models.Petition
        return p.level_skipping.is_(True) if level_skipping else p.repeat_of_id.is_not(None)
    earlier = aliased(models.Petition, name="earlier_petition")
    link = models.PetitionRepeat
    # IN (uncorrelated subquery), as in the policy: the links to visible earlier appeals
    # are found once, not probed again for every appeal (an EXISTS took 10× as long for
    # a street platform over the 25,000-appeal demo).
    links = (
        select(link.petition_id)
        .join(earlier, earlier.id == link.earlier_id)
        .where(petition_filter(caller, earlier))
    )
    if level_skipping:
        links = links.where(link.skipped_over.is_(True))
    return models.Petition.id.in_(links)


async def shown_repeat_data(
    session: AsyncSession, caller: Caller, rows: Sequence[models.PetitionEvent]
) -> dict[int, dict[str, object] | None]:
    """For each `REPEAT_LINKED` event among `rows` that `caller` sees differently from
    what intake stored: its data as shown (naming and counting only the earlier appeals
    in the caller's slice), or None where it is not shown at all (no earlier appeal of
    the caller's slice). Empty for the hall, which sees every repeat."""
    linked = sorted({r.petition_id for r in rows if r.kind is EventKind.REPEAT_LINKED})
    if not linked or sees_every_repeat(caller):
        return {}
    views = dict(zip(linked, await repeat_views(session, caller, linked), strict=True))
    shown: dict[int, dict[str, object] | None] = {}
    for row in rows:
        if row.kind is EventKind.REPEAT_LINKED:
            view = views[row.petition_id]
            shown[row.id] = (
                {"repeatOf": view.repeat_of_number, "repeatCount": view.count}
                if view.count
                else None
            )
    return shown


async def disclose_events(
    session: AsyncSession, caller: Caller, rows: list[models.PetitionEvent]
) -> list[models.PetitionEvent]:
    """The events as `caller` is shown them: a `REPEAT_LINKED` event names and counts
    only the earlier appeals in the caller's slice, and is left out when there are none.

    The stored rows are immutable and stay as intake wrote them; the shown data is set
    on these loaded rows without marking them changed (they are read for this caller).
    """
    changed = await shown_repeat_data(session, caller, rows)
    shown = []
    for row in rows:
        if row.id in changed:
            data = changed[row.id]
            if data is None:
                continue
            set_committed_value(row, "data", data)
        shown.append(row)
    return shown
