"""The appeal's petitioner as GraphQL: the contact details given with an appeal, with ID
number and phone masked outside the handling slice (`resolvers/access/disclosure.py`)."""

from __future__ import annotations

from typing import Self

import strawberry

from resolvers.access import disclosure

# The GraphQL names of the personal fields, and the domain's.
PERSONAL_FIELDS = {"idNumber": "id_number", "phone": "phone"}


@strawberry.type(
    description="信访人, with the contact details given with this appeal. ID number and phone "
    "are masked outside the handling slice."
)
class Petitioner:
    name: str = strawberry.field(description="Name, as given with this appeal.")
    id_number: str | None = strawberry.field(
        description="Resident ID number; masked (e.g. `4403**********123X`) unless the caller "
        "is the hall or handles the appeal now."
    )
    phone: str | None = strawberry.field(
        description="Phone number, as given with this appeal; masked likewise."
    )
    address: str = strawberry.field(description="Address, as given with this appeal.")
    masked: bool = strawberry.field(description="Whether ID number and phone are masked.")

    @classmethod
    def from_disclosed(cls, person: disclosure.DisclosedPetitioner) -> Self:
        return cls(
            name=person.name,
            id_number=person.id_number,
            phone=person.phone,
            address=person.address or "",
            masked=person.masked,
        )
