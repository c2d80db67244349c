"""What the credit pages' tests share: an employer named on an appeal the labour
committee handles, credit records made through GraphQL, and reading the pages."""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass
from typing import Any

from tests import factories
from tests.disputes import act, credit_code
from tests.factories import submit
from tests.steps import step

_serial = itertools.count(1)

RECORD = """
mutation Record($uscc: String!, $kind: CreditRecordKind!, $summary: String!,
                $public: Boolean!, $petition: ID) {
  recordCreditRecord(uscc: $uscc, kind: $kind, summary: $summary, public: $public,
                     petition: $petition) { id status version public }
}
"""


@dataclass
class Employer:
    uscc: str
    name: str
    appeal: dict[str, Any]  # submitPetition's answer: id, number, …


async def employer_on_an_appeal(client_for: Any, *, window: str = factories.WINDOW) -> Employer:
    """A new employer, named on a fresh appeal the hall gave PS-LMC (as lead)."""
    serial = next(_serial)
    uscc = credit_code(f"91440310MA5{uuid.uuid4().hex[:4].upper()}{serial % 100:02d}")
    name = f"深圳市信用页测试劳务有限公司{uuid.uuid4().hex[:4]}"
    hall = await client_for(factories.HALL)
    made = await submit(await client_for(window), title=f"{name}拖欠工资")
    await step(hall, "acceptPetition", id=made["id"])
    await step(hall, "assignPetition", id=made["id"], organisationCode=factories.LMC, role="LEAD")
    await act(hall, "nameParties", id=made["id"], parties=[{"uscc": uscc, "role": "EMPLOYER", "name": name}])  # fmt: skip
    return Employer(uscc, name, made)


async def record(
    client: Any, employer: Employer, kind: str, summary: str, *, public: bool = True
) -> dict[str, Any]:
    """A record made by `client`: the centre's takes effect, a partner's is a proposal
    from the employer's appeal."""
    variables = {
        "uscc": employer.uscc, "kind": kind, "summary": summary, "public": public,
        "petition": None if client.org == factories.CREDIT else employer.appeal["id"],
    }  # fmt: skip
    return (await client.data(RECORD, variables))["recordCreditRecord"]


def row_of(html: str, record_id: str | int) -> str:
    """The table row of one record on a page ('' when it is not there)."""
    match = re.search(rf'<tr id="record-{record_id}".*?</tr>', html, re.S)
    return match.group(0) if match else ""


def text_of(html: str) -> str:
    """The page's words, without tags (what a person reads)."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def standings_in(html: str) -> list[str]:
    """The words of each public credit standing line on a page."""
    return [text_of(m) for m in re.findall(r'<a class="standing".*?</a>', html, re.S)]
