"""Credit supervision's test world (the credit centre), its documents and helpers."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from db import models
from db.models import OrganisationKind as Kind
from resolvers.deadlines.calendars import load_calendar
from resolvers.deadlines.watcher import run_watch
from resolvers.services import Services
from tests.disputes import APAN, act, credit_code
from tests.factories import submit
from tests.steps import step

CREDIT = "PS-CREDIT"
_serial = itertools.count(1)


@pytest.fixture(scope="session")
async def credit_world(sessionmaker, dispute_world) -> dict[str, int]:
    """The public credit centre (created once per database), beside the chain's partners."""
    async with sessionmaker() as session:
        centre = await session.scalar(
            select(models.Organisation).where(models.Organisation.code == CREDIT)
        )
        if centre is None:
            district = await session.scalar(
                select(models.Region.id).where(models.Region.code == "PS")
            )
            centre = models.Organisation(
                code=CREDIT, name="坪山区公共信用信息服务中心", kind=Kind.CREDIT_CENTRE,
                region_id=district,
            )  # fmt: skip
            session.add(centre)
        await session.commit()
        return dispute_world.organisations | {CREDIT: centre.id}


def new_employer() -> tuple[str, str]:
    """A fresh (credit code, name) for an employer the hub does not know yet."""
    serial = next(_serial)
    body = f"91440310MA5{uuid.uuid4().hex[:4].upper()}{serial % 100:02d}"
    return credit_code(body), f"深圳市测试建筑劳务有限公司{serial}"


async def watch(sessionmaker, settings, now):
    async with sessionmaker() as session:
        services = Services(settings, calendar=await load_calendar(session))
        await session.commit()
        return await run_watch(session, now, services)


async def agreed_mediation(
    window: Any, mediator: Any, *, uscc: str, name: str, instalments: list[dict], **extra: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An appeal naming `uscc` as the employer, mediated to an agreement with
    `instalments`; returns (appeal, case)."""
    appeal = await submit(window, title="拖欠工资调解", matter="LABOUR_WAGES")
    await act(
        window,
        "nameParties",
        id=appeal["id"],
        parties=[{"uscc": uscc, "role": "EMPLOYER", "name": name}],
    )
    await step(window, "acceptPetition", id=appeal["id"])
    case = await act(window, "openMediation", id=appeal["id"], kind="SOCIAL", mediatorCode=APAN)
    total = sum(float(i["amount"]) for i in instalments)
    case = await act(
        mediator,
        "concludeMediation",
        id=case["id"],
        outcome="AGREED",
        agreementAmount=f"{total:.2f}",
        terms="分期支付拖欠工资",
        instalments=instalments,
        **extra,
    )
    return appeal, case


RECORD_FIELDS = """
  id kind stage status public summary version effectiveFrom effectiveUntil rejectionReason
  enterprise { uscc } recordedBy { code } repairs { id kind } repairedBy { id kind }
  events { kind data organisation { code } }
"""
RECORDS = f"""
query($f: CreditRecordFilter) {{
  creditRecords(filter: $f, first: 50) {{ totalCount edges {{ node {{ {RECORD_FIELDS} }} }} }}
}}
"""
PROFILE = f"""
query($uscc: String!) {{
  enterprise(uscc: $uscc) {{
    uscc name creditRecords {{ {RECORD_FIELDS} }}
    openAppeals {{ id }}
  }}
}}
"""
MUTATION_TYPES = {
    "id": "ID!", "reason": "String!", "expectedVersion": "Int", "uscc": "String!",
    "kind": "CreditRecordKind!", "summary": "String!", "public": "Boolean",
    "petition": "ID", "stage": "DisputeStage", "effectiveFrom": "Date", "effectiveUntil": "Date",
}  # fmt: skip


def credit_document(mutation: str, arguments: dict[str, Any]) -> str:
    declared = ", ".join(f"${n}: {MUTATION_TYPES[n]}" for n in arguments)
    passed = ", ".join(f"{n}: ${n}" for n in arguments)
    return f"mutation Credit({declared}) {{ {mutation}({passed}) {{ {RECORD_FIELDS} }} }}"


async def credit_step(client: Any, mutation: str, **arguments: Any) -> dict[str, Any]:
    """Take a credit step; fails the test on any error."""
    return (await client.data(credit_document(mutation, arguments), arguments))[mutation]


async def credit_refused(client: Any, mutation: str, **arguments: Any) -> dict[str, Any]:
    """Take a credit step that must fail; returns the first error."""
    return await client.error(credit_document(mutation, arguments), arguments)


async def records(client: Any, **where: Any) -> list[dict[str, Any]]:
    data = await client.data(RECORDS, {"f": where})
    return [e["node"] for e in data["creditRecords"]["edges"]]


async def profile(client: Any, uscc: str) -> list[dict[str, Any]]:
    """The enterprise's credit records as `client` is shown them."""
    return (await client.data(PROFILE, {"uscc": uscc}))["enterprise"]["creditRecords"]
