"""Disclosure of personal data: what a caller is shown, and the audit entry for it.

One rule for every door (GraphQL, the appeal page, exports, the stream): an appeal
shows its petitioner as given with it — name, phone and address kept on the appeal,
the ID number from the person's record — so that no other organisation's submission
changes what this slice sees (`resolvers/appeals/petitioners.py`); and a
petitioner's ID number and phone are shown unmasked only to the slice that
`policy.personal_data_filter` names, masked to everyone else; and a request that
*shows* personal data unmasked — the caller may see it, the door shows the field,
and the person has a value there — writes one audit entry naming those appeals.
Masked reads, and reads that show no personal field, are not audited: there was
nothing to disclose.

Psychological notes and scores go through the same collector (`Disclosures.show_care`):
every care record whose score or notes a request shows is named in one READ_PSYCH_DATA
entry; restricted credit records will follow with their own action.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from resolvers import loaders
from resolvers.access.audit import (
    AuditAction,
    AuditPath,
    audit_entry,
    record_reads,
    record_unmasked,
)
from resolvers.access.caller import Caller
from resolvers.access.policy import mask_id_number, mask_phone

T = TypeVar("T")
PERSONAL_FIELDS: frozenset[str] = frozenset({"id_number", "phone"})


@dataclass(frozen=True)
class DisclosedPetitioner:
    """A petitioner as this caller may see them."""

    name: str
    id_number: str | None
    phone: str | None
    address: str | None
    masked: bool


def _personal(petition: models.Petition, person: models.Petitioner) -> dict[str, str | None]:
    return {"id_number": person.id_number, "phone": petition.petitioner_phone}


def disclose(
    petition: models.Petition, person: models.Petitioner, *, unmasked: bool
) -> DisclosedPetitioner:
    """`petition`'s petitioner (`person`) as given with the appeal, with ID number and
    phone masked unless `unmasked`."""
    return DisclosedPetitioner(
        name=petition.petitioner_name,
        id_number=person.id_number if unmasked else mask_id_number(person.id_number),
        phone=petition.petitioner_phone if unmasked else mask_phone(petition.petitioner_phone),
        address=petition.petitioner_address,
        masked=not unmasked,
    )


def shows_personal_data(
    petition: models.Petition,
    person: models.Petitioner,
    *,
    unmasked: bool,
    shown: Iterable[str] = PERSONAL_FIELDS,
) -> bool:
    """Whether showing `shown` fields of `petition`'s petitioner discloses personal data
    unmasked."""
    values = _personal(petition, person)
    return unmasked and any(values[name] for name in PERSONAL_FIELDS & set(shown))


@dataclass
class Disclosures:
    """What one request has shown unmasked; `record` writes its one audit entry."""

    caller: Caller
    path: AuditPath
    detail: dict[str, Any] | None = None
    petition_ids: set[int] = field(default_factory=set)
    care_records: dict[str, set[int]] = field(default_factory=dict)

    def show(
        self,
        petition: models.Petition,
        person: models.Petitioner,
        *,
        unmasked: bool,
        shown: Iterable[str] = PERSONAL_FIELDS,
    ) -> DisclosedPetitioner:
        """The petitioner as the caller sees them, noting an unmasked disclosure."""
        if shows_personal_data(petition, person, unmasked=unmasked, shown=shown):
            self.petition_ids.add(petition.id)
        return disclose(petition, person, unmasked=unmasked)

    def show_care(self, object_kind: str, record_id: int, value: T) -> T:
        """A care record's score or notes (`value`), noting that they were shown. The
        caller has read the record through `care_policy.care_scope`."""
        self.care_records.setdefault(object_kind, set()).add(record_id)
        return value

    @property
    def pending(self) -> bool:
        """Whether something shown is not yet audited."""
        return bool(self.petition_ids or self.care_records)

    async def record(self, session: AsyncSession) -> None:
        """Write the audit entries for what was shown (none if nothing was), in their own
        transaction, and start afresh."""
        ids, self.petition_ids = self.petition_ids, set()
        care, self.care_records = self.care_records, {}
        await record_unmasked(session, self.caller, ids, self.path, self.detail)
        await record_reads(
            session,
            [
                audit_entry(
                    self.caller,
                    action=AuditAction.READ_PSYCH_DATA,
                    path=self.path,
                    object_kind=kind,
                    ids=record_ids,
                    at=models.utcnow(),
                    detail=self.detail,
                )
                for kind, record_ids in sorted(care.items())
                if record_ids
            ],
        )


async def disclose_petitioners(
    session: AsyncSession,
    caller: Caller,
    petitions: Sequence[models.Petition],
    path: AuditPath,
) -> list[DisclosedPetitioner | None]:
    """Each appeal's petitioner as `caller` may see them (None where there is none),
    with the audit entry for what this shows unmasked."""
    people = await loaders.petitioners_by_id(session, [p.petitioner_id or 0 for p in petitions])
    visible = await loaders.personal_data_visible(session, caller, [p.id for p in petitions])
    disclosures = Disclosures(caller, path)
    shown = [
        disclosures.show(petition, person, unmasked=unmasked) if person else None
        for petition, person, unmasked in zip(petitions, people, visible, strict=True)
    ]
    await disclosures.record(session)
    return shown
