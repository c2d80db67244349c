"""The chain's test world (the partners and a metro project) and its GraphQL documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from stdnum.cn import uscc

from db import models
from db.models import OrganisationKind as Kind
from db.models import Role, SiteKind
from resolvers.access import tokens
from tests.factories import HALL, LMC, WINDOW, submit
from tests.staff import PASSWORD, StaffBrowser, csrf_of
from tests.steps import step

ARB, APAN, METRO, HRSS = "PS-ARB", "PS-APAN", "PS-METRO", "PS-HRSS"
SITE, ROOM = "PS-SITE-METRO16", "PS-SITE-METRO16-MR"
PROJECT = "PRJ-METRO16"


def credit_code(body: str) -> str:
    """A valid unified social credit code from its first 17 characters."""
    return body + uscc.calc_check_digit(body)


MAIN_CONTRACTOR = credit_code("91440300MA5F00001")
SUBCONTRACTOR = credit_code("91440300MA5F00002")


@dataclass
class DisputeWorld:
    organisations: dict[str, int]


@pytest.fixture(scope="session")
async def dispute_world(sessionmaker, world) -> DisputeWorld:
    """The arbitration institute, 阿潘调解工作室, the metro centre under the district's
    human-resources bureau, the metro line 16 site with its station and mediation room,
    and the project with its main contractor (created once per database)."""
    async with sessionmaker() as session:
        known = {o.code: o for o in await session.scalars(select(models.Organisation))}
        district = world.regions["PS"]
        community = world.regions["PS-C-LIULIAN"]
        specs = [
            (HRSS, "坪山区人力资源局", Kind.DEPARTMENT, district, None, None),
            (METRO, "市地铁集团项目工地劳资纠纷分级调解中心", Kind.METRO_DISPUTE_CENTRE, district,
             HRSS, None),
            (ARB, "坪山区劳动人事争议仲裁院", Kind.LABOUR_ARBITRATION, district, None, None),
            (APAN, "阿潘调解工作室", Kind.MEDIATION_STUDIO, district, None, None),
            (SITE, "地铁16号线坪山段工地群众诉求服务站", Kind.SITE_STATION, community, None,
             SiteKind.CONSTRUCTION_SITE),
            (ROOM, "地铁16号线坪山段工地调解室", Kind.SITE_MEDIATION_ROOM, community, METRO, None),
        ]  # fmt: skip
        for code, name, kind, region, parent, site_kind in specs:
            if code not in known:
                known[code] = models.Organisation(
                    code=code, name=name, kind=kind, region_id=region, site_kind=site_kind,
                    parent_id=known[parent].id if parent else None,
                )  # fmt: skip
                session.add(known[code])
                await session.flush()
        known_project = select(models.Project).where(models.Project.code == PROJECT)
        if await session.scalar(known_project) is None:
            project = models.Project(
                code=PROJECT, name="深圳地铁16号线（坪山段）", kind="METRO",
                station_id=known[SITE].id, mediation_room_id=known[ROOM].id,
            )  # fmt: skip
            main = models.Enterprise(uscc=MAIN_CONTRACTOR, name="深圳市龙坪轨道建设有限公司")
            session.add_all([project, main])
            await session.flush()
            session.add(
                models.ProjectEnterprise(
                    project_id=project.id, enterprise_id=main.id, role="MAIN_CONTRACTOR"
                )
            )
        await session.commit()
        return DisputeWorld({code: o.id for code, o in known.items()})


# Partner staff the chain's pages need beyond `tests.staff.STAFF`: username →
# (organisation, roles). Created once per database by `partner_staff`.
PARTNER_STAFF = {
    "t.arb.clerk": (ARB, (Role.HANDLER,)),
    "t.metro.mediator": (METRO, (Role.MEDIATOR,)),
}


@pytest.fixture(scope="session")
async def partner_staff(sessionmaker, dispute_world) -> dict[str, str]:
    """The arbitration institute's clerk and the metro centre's mediator: username → org."""
    async with sessionmaker() as session:
        existing = set(await session.scalars(select(models.StaffUser.username)))
        for username, (org, roles) in PARTNER_STAFF.items():
            if username not in existing:
                await tokens.create_user(
                    session=session, caller=None, organisation_code=org, username=username,
                    password=PASSWORD, roles=list(roles), display_name=username,
                )  # fmt: skip
    return {username: org for username, (org, _) in PARTNER_STAFF.items()}


async def signed_in(server: Any, username: str) -> StaffBrowser:
    """An httpx client signed in as `username` (close its `http` when done)."""
    http = httpx.AsyncClient(base_url=server.url, timeout=30)
    token = csrf_of((await http.get("/login")).text)
    signed = await http.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/petitions",
        },
    )
    assert signed.status_code == 303, signed.text
    return StaffBrowser(http, csrf_of((await http.get("/petitions")).text))


CASE_FIELDS = """
  id number kind status version tier workerCount amountClaimed agreementAmount outcomeReason
  mediator { code } referredBy { code }
  tiers { tier escalated organisation { code } }
  instalments { seq dueOn amount paid settled missed payments { amount paidOn } }
  sessions { placeKind place attendees minutes }
  parties { role enterprise { uscc name } }
  judicialConfirmation { status note court { code } }
"""
ARBITRATION_FIELDS = """
  id number status version claim hearingAt hearingPlace awardAmount awardPaid
  institute { code } mediation { number }
"""
LITIGATION_FIELDS = "id caseNumber status version judgmentSummary court { code }"

TYPES = {
    "id": "ID", "number": "String", "expectedVersion": "Int", "kind": "MediationKind",
    "mediatorCode": "String", "mediatorName": "String", "workerCount": "Int",
    "amountClaimed": "Decimal", "tiered": "Boolean", "heldAt": "DateTime",
    "placeKind": "SessionPlace", "place": "String", "attendees": "[String!]",
    "minutes": "String", "outcome": "MediationStatus", "reason": "String",
    "agreementAmount": "Decimal", "terms": "String", "instalments": "[InstalmentInput!]",
    "instalment": "Int", "amount": "Decimal", "paidOn": "Date", "courtCode": "String",
    "confirmed": "Boolean", "note": "String", "arbitrationCode": "String", "claim": "Decimal",
    "hearingAt": "DateTime", "summary": "String", "caseNumber": "String",
    "parties": "[PartyInput!]", "projectCode": "String", "creditCommitment": "Boolean",
}  # fmt: skip
RETURNS = {
    "nameParties": "id version project { code } parties { role enterprise { uscc name } }",
    "openArbitration": ARBITRATION_FIELDS, "scheduleHearing": ARBITRATION_FIELDS,
    "recordAward": ARBITRATION_FIELDS, "recordAwardPaid": ARBITRATION_FIELDS,
    "openLitigation": LITIGATION_FIELDS, "recordJudgment": LITIGATION_FIELDS,
    "recordJudgmentPaid": LITIGATION_FIELDS + " judgmentPaidAt",
}  # fmt: skip


def document(mutation: str, arguments: dict[str, Any]) -> str:
    declared = ", ".join(f"${n}: {TYPES[n]}!" for n in arguments)
    passed = ", ".join(f"{n}: ${n}" for n in arguments)
    fields = RETURNS.get(mutation, CASE_FIELDS)
    return f"mutation Step({declared}) {{ {mutation}({passed}) {{ {fields} }} }}"


async def act(client: Any, mutation: str, **arguments: Any) -> dict[str, Any]:
    """Take a step of the chain; fails the test on any error."""
    return (await client.data(document(mutation, arguments), arguments))[mutation]


async def refused(client: Any, mutation: str, **arguments: Any) -> dict[str, Any]:
    """Take a step that must fail; returns the first error."""
    return await client.error(document(mutation, arguments), arguments)


MEDIATION = f"query($id: ID!) {{ mediationCase(id: $id) {{ {CASE_FIELDS} }} }}"
CHAIN = f"""
query($id: ID!) {{
  petition(id: $id) {{
    status version project {{ code }} parties {{ role enterprise {{ uscc }} }}
    disputeChain {{
      mediations {{ {CASE_FIELDS} }}
      arbitrations {{ {ARBITRATION_FIELDS} }}
      litigations {{ {LITIGATION_FIELDS} }}
    }}
    events {{ kind data organisation {{ code }} }}
  }}
}}
"""


async def mediated_by_the_committee(client_for, sessionmaker, title):
    """An appeal in progress at the labour committee that is mediating it, as the demo's
    data has them (an open case of the committee's, the appeal IN_PROGRESS)."""
    window, hall, lmc = [await client_for(c) for c in (WINDOW, HALL, LMC)]
    appeal = await submit(window, title=title)
    await step(hall, "acceptPetition", id=appeal["id"])
    await act(hall, "openMediation", id=appeal["id"], kind="SOCIAL", mediatorCode=LMC)
    await step(lmc, "acceptAssignment", id=appeal["id"])
    async with sessionmaker() as session:
        await session.execute(
            update(models.Petition)
            .where(models.Petition.number == appeal["number"])
            .values(status=models.PetitionStatus.IN_PROGRESS)
        )
        await session.commit()
    return appeal
