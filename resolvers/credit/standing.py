"""An enterprise's public credit standing: what mediators are shown beside the parties of
an appeal (信用状况：欠薪记录1条（已确认）) and beside each search result.

It counts the enterprise's public records in effect or repaired, by kind and state —
never a restricted record, not even for the credit centre or the recording
organisation, who read those on the profile — and leaves out the repairs themselves
(the repaired record already says 已修复). One grouped statement for any number of
enterprises, through `credit_scope`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import CreditRecordKind, CreditStatus
from resolvers.access.caller import Caller
from resolvers.access.credit_policy import (
    IN_EFFECT_OR_REPAIRED,
    credit_scope,
    require_reading_credit,
)

# Worst first: what a mediator should read before anything else.
KIND_ORDER = (
    CreditRecordKind.DISHONEST,
    CreditRecordKind.WAGE_ARREARS,
    CreditRecordKind.WARNING,
    CreditRecordKind.COMMITMENT,
    CreditRecordKind.COMMENDATION,
)


@dataclass(frozen=True)
class StandingLine:
    """So many public records of one kind in one state."""

    kind: CreditRecordKind
    status: CreditStatus
    count: int

    @property
    def adverse(self) -> bool:
        """Against the enterprise and still in effect."""
        return self.kind.adverse and self.status is CreditStatus.CONFIRMED


async def public_standing_by_enterprise(
    session: AsyncSession, caller: Caller, enterprise_ids: Sequence[int]
) -> list[list[StandingLine]]:
    """Each enterprise's public standing, worst kind first, in effect before repaired;
    an empty list for an enterprise with no public record."""
    require_reading_credit(caller)
    if not enterprise_ids:
        return []
    r = models.CreditRecord
    rows = await session.execute(
        credit_scope(select(r.enterprise_id, r.kind, r.status, func.count()), caller)
        .where(
            r.enterprise_id.in_(set(enterprise_ids)),
            r.public.is_(True),
            r.status.in_(IN_EFFECT_OR_REPAIRED),
            r.kind.in_(KIND_ORDER),
        )
        .group_by(r.enterprise_id, r.kind, r.status)
    )
    grouped: dict[int, list[StandingLine]] = defaultdict(list)
    for enterprise_id, kind, status, count in rows.all():
        grouped[enterprise_id].append(StandingLine(kind, status, int(count)))
    for lines in grouped.values():
        lines.sort(key=lambda s: (KIND_ORDER.index(s.kind), s.status is CreditStatus.REPAIRED))
    return [grouped.get(i, []) for i in enterprise_ids]
