"""Proposals from outcomes, raised exactly once; and the credit steps' refusals."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from db import models
from resolvers.access.caller import Caller
from resolvers.access.credit_policy import require_credit_officer
from resolvers.credit.proposals import Proposal, _raise
from resolvers.errors import Forbidden
from tests import factories
from tests.credit import (
    CREDIT,
    agreed_mediation,
    credit_refused,
    credit_step,
    credit_world,  # noqa: F401 - a fixture
    new_employer,
    records,
    watch,
)
from tests.disputes import (
    APAN,
    ARB,
    act,
    dispute_world,  # noqa: F401 - a fixture
    refused,
)
from tests.factories import submit
from tests.steps import step

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _today():
    return models.utcnow().astimezone(SHANGHAI).date()


async def _proposals_for(sessionmaker, **source) -> list[models.CreditRecord]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(models.CreditRecord).filter_by(**source))
        return list(rows)


async def test_two_watchers_racing_raise_one_wage_arrears_proposal(
    client_for,
    sessionmaker,
    settings,
    credit_world,  # noqa: F811
):
    window, apan = await client_for(factories.WINDOW), await client_for(APAN)
    uscc, name = new_employer()
    _, case = await agreed_mediation(
        window, apan, uscc=uscc, name=name,
        instalments=[{"dueOn": _today().isoformat(), "amount": "8000"}],
    )  # fmt: skip
    later = models.utcnow() + timedelta(days=3)

    results = await asyncio.gather(*(watch(sessionmaker, settings, later) for _ in range(2)))

    [instalment] = (await act(apan, "recordPayment", id=case["id"], instalment=1, amount="1",
                              paidOn=_today().isoformat()))["instalments"]  # fmt: skip
    assert instalment["missed"] is True
    async with sessionmaker() as session:
        ident = await session.scalar(
            select(models.Instalment.id).where(models.Instalment.case_id == int(case["id"]))
        )
    [record] = await _proposals_for(sessionmaker, instalment_id=ident)
    assert (record.kind, record.status) == (
        models.CreditRecordKind.WAGE_ARREARS,
        models.CreditStatus.PROPOSED,
    )
    assert sum(r.credit_proposed for r in results) >= 1
    async with sessionmaker() as session:
        events = await session.scalar(
            select(func.count()).where(models.CreditEvent.record_id == record.id)
        )
    assert events == 1


async def test_the_unique_source_key_is_what_makes_it_once(
    client_for,
    sessionmaker,
    settings,
    credit_world,  # noqa: F811
):
    # Given a proposal's source, raised twice past the candidates' own check
    window, apan = await client_for(factories.WINDOW), await client_for(APAN)
    uscc, name = new_employer()
    appeal, case = await agreed_mediation(
        window, apan, uscc=uscc, name=name,
        instalments=[{"dueOn": (_today() + timedelta(days=100)).isoformat(), "amount": "100"}],
    )  # fmt: skip
    async with sessionmaker() as session:
        enterprise = await session.scalar(
            select(models.Enterprise.id).where(models.Enterprise.uscc == uscc)
        )
        mediator = await session.scalar(
            select(models.Organisation.id).where(models.Organisation.code == APAN)
        )
    proposal = Proposal(
        source_key=f"test:{case['id']}", kind=models.CreditRecordKind.WAGE_ARREARS,
        organisation_id=mediator, petition_id=int(appeal["id"]), summary="x", on=_today(),
    )  # fmt: skip
    taken = []
    for _ in range(2):
        async with sessionmaker() as session:
            taken.append(await _raise(session, proposal, enterprise, models.utcnow()))
            await session.commit()
    # Then only the first insert took
    assert taken == [True, False]
    assert len(await _proposals_for(sessionmaker, source_key=proposal.source_key)) == 1


async def test_an_award_left_unpaid_proposes_the_dishonest_list(
    client_for,
    sessionmaker,
    settings,
    credit_world,  # noqa: F811
):
    window, apan, arbitration = [await client_for(c) for c in (factories.WINDOW, APAN, ARB)]
    centre, court = await client_for(CREDIT), await client_for(factories.COURT)
    uscc, name = new_employer()
    appeal = await submit(window, title="仲裁后拒不支付", matter="LABOUR_WAGES")
    await act(window, "nameParties", id=appeal["id"],
              parties=[{"uscc": uscc, "role": "EMPLOYER", "name": name}])  # fmt: skip
    await step(window, "acceptPetition", id=appeal["id"])
    case = await act(window, "openMediation", id=appeal["id"], kind="SOCIAL", mediatorCode=APAN)
    await act(apan, "concludeMediation", id=case["id"], outcome="NO_AGREEMENT", reason="拒绝调解")
    opened = await act(apan, "openArbitration", id=appeal["id"], arbitrationCode=ARB)
    await act(arbitration, "recordAward", id=opened["id"], amount="50000", summary="支付工资")

    # a month passes: not yet (30 days); then past it, once
    soon = await watch(sessionmaker, settings, models.utcnow() + timedelta(days=29))
    assert await records(centre, uscc=uscc) == []
    late = models.utcnow() + timedelta(days=31)
    await watch(sessionmaker, settings, late)
    again = await watch(sessionmaker, settings, late)
    assert again.credit_proposed == 0 and soon.credit_proposed >= 0
    [proposal] = await records(centre, uscc=uscc)
    assert (proposal["kind"], proposal["status"], proposal["recordedBy"]["code"]) == (
        "DISHONEST", "PROPOSED", ARB,
    )  # fmt: skip
    assert [r["id"] for r in await records(arbitration, uscc=uscc)] == [proposal["id"]]
    assert await records(court, uscc=uscc) == []

    # the centre confirms; a repair waits for the award to be paid
    await credit_step(centre, "confirmCreditProposal", id=proposal["id"])
    early = await credit_refused(centre, "recordCreditRepair", id=proposal["id"], reason="x")
    assert early["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    await act(arbitration, "recordAwardPaid", id=opened["id"])
    repair = await credit_step(centre, "recordCreditRepair", id=proposal["id"], reason="已履行")
    assert repair["repairs"]["id"] == proposal["id"]
    assert [r["status"] for r in await records(court, uscc=uscc, kind="DISHONEST")] == ["REPAIRED"]


async def test_a_judgment_left_unpaid_proposes_the_dishonest_list_not_its_award(
    client_for,
    sessionmaker,
    settings,
    credit_world,  # noqa: F811
):
    window, apan, arbitration = [await client_for(c) for c in (factories.WINDOW, APAN, ARB)]
    centre, court = await client_for(CREDIT), await client_for(factories.COURT)
    uscc, name = new_employer()
    appeal = await submit(window, title="不服裁决起诉", matter="LABOUR_WAGES")
    await act(window, "nameParties", id=appeal["id"],
              parties=[{"uscc": uscc, "role": "EMPLOYER", "name": name}])  # fmt: skip
    await step(window, "acceptPetition", id=appeal["id"])
    case = await act(window, "openMediation", id=appeal["id"], kind="SOCIAL", mediatorCode=APAN)
    await act(apan, "concludeMediation", id=case["id"], outcome="NO_AGREEMENT", reason="分歧大")
    opened = await act(apan, "openArbitration", id=appeal["id"], arbitrationCode=ARB)
    await act(arbitration, "recordAward", id=opened["id"], amount="30000", summary="支付工资")
    lawsuit = await act(arbitration, "openLitigation", id=appeal["id"], courtCode=factories.COURT)
    await act(court, "recordJudgment", id=lawsuit["id"], caseNumber=f"(2026)粤0310民初{uscc[-6:]}号",
              summary="维持裁决", amount="30000")  # fmt: skip

    # a month on, the judgment unpaid: one proposal, the court's (the award went to court)
    await watch(sessionmaker, settings, models.utcnow() + timedelta(days=31))
    [proposal] = await records(centre, uscc=uscc)
    assert (proposal["kind"], proposal["recordedBy"]["code"]) == ("DISHONEST", factories.COURT)
    await credit_step(centre, "confirmCreditProposal", id=proposal["id"])
    early = await credit_refused(centre, "recordCreditRepair", id=proposal["id"], reason="x")
    assert early["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    paid = await act(court, "recordJudgmentPaid", id=lawsuit["id"])
    assert paid["judgmentPaidAt"] is not None
    again = await refused(court, "recordJudgmentPaid", id=lawsuit["id"])
    assert again["extensions"]["code"] == "BAD_USER_INPUT"
    repair = await credit_step(centre, "recordCreditRepair", id=proposal["id"], reason="已履行")
    assert repair["repairs"]["id"] == proposal["id"]


async def test_illegal_steps_are_bad_user_input_with_their_field(
    client_for,
    credit_world,  # noqa: F811
):
    window, apan, centre = [await client_for(c) for c in (factories.WINDOW, APAN, CREDIT)]
    uscc, name = new_employer()
    other, _ = new_employer()
    appeal, _ = await agreed_mediation(
        window, apan, uscc=uscc, name=name,
        instalments=[{"dueOn": (_today() + timedelta(days=100)).isoformat(), "amount": "100"}],
    )  # fmt: skip
    proposal = await credit_step(apan, "recordCreditRecord", uscc=uscc, kind="WARNING",
                                 summary="拒不履行", petition=appeal["id"])  # fmt: skip
    commendation = await credit_step(centre, "recordCreditRecord", uscc=uscc,
                                     kind="COMMENDATION", summary="守信")  # fmt: skip

    async def field(client, mutation, **arguments):
        error = await credit_refused(client, mutation, **arguments)
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        return error["extensions"].get("field")

    assert await field(centre, "rejectCreditProposal", id=proposal["id"], reason=" ") == "reason"
    assert await field(centre, "recordCreditRecord", uscc=uscc, kind="REPAIR", summary="x") == (
        "kind"
    )
    assert await field(centre, "recordCreditRecord", uscc=uscc[:-1] + "0", kind="WARNING",
                       summary="x") == "uscc"  # fmt: skip
    assert (
        await field(centre, "recordCreditRecord", uscc=other, kind="WARNING", summary="x") == "uscc"
    )  # fmt: skip  (no such enterprise)
    assert await field(centre, "recordCreditRecord", uscc=uscc, kind="WARNING", summary="x",
                       effectiveFrom="2026-05-02", effectiveUntil="2026-05-01") == "effectiveUntil"  # fmt: skip
    assert await field(apan, "recordCreditRecord", uscc=uscc, kind="WARNING", summary="x") == (
        "petition"
    )
    assert await field(apan, "recordCreditRecord", uscc=other, kind="WARNING", summary="x",
                       petition=appeal["id"]) == "uscc"  # fmt: skip
    assert await field(centre, "recordCreditRepair", id=commendation["id"], reason="x") == "id"
    assert await field(centre, "recordCreditRepair", id=proposal["id"], reason="x") == "id"
    rejected = await credit_step(centre, "rejectCreditProposal", id=proposal["id"],
                                 reason="证据不足")  # fmt: skip
    assert (rejected["status"], rejected["rejectionReason"]) == ("REJECTED", "证据不足")
    assert await field(centre, "confirmCreditProposal", id=proposal["id"]) == "id"

    # a commitment needs an agreement, and the employer named
    bare = await submit(window, title="无当事方", matter="LABOUR_WAGES")
    await step(window, "acceptPetition", id=bare["id"])
    opened = await act(window, "openMediation", id=bare["id"], kind="SOCIAL", mediatorCode=APAN)
    no_party = await refused(apan, "concludeMediation", id=opened["id"], outcome="AGREED",
                             creditCommitment=True)  # fmt: skip
    assert no_party["extensions"] == {"code": "BAD_USER_INPUT", "field": "creditCommitment"}
    failed = await refused(apan, "concludeMediation", id=opened["id"], outcome="NO_AGREEMENT",
                           reason="x", creditCommitment=True)  # fmt: skip
    assert failed["extensions"] == {"code": "BAD_USER_INPUT", "field": "outcome"}


FIGURES = """
query($d: Date!) {
  stats(period: {from: $d, to: $d}, groupBy: MATTER) {
    credit { awaitingDecision rows { kind street { code } proposed confirmed rejected repaired } }
  }
}
"""


async def _figures(client, day) -> dict:
    credit = (await client.data(FIGURES, {"d": day}))["stats"]["credit"]
    rows = {(r["kind"], (r["street"] or {}).get("code")): r for r in credit["rows"]}
    return {"awaiting": credit["awaitingDecision"], **rows}


def _delta(before: dict, after: dict, key, field: str) -> int:
    return after.get(key, {}).get(field, 0) - before.get(key, {}).get(field, 0)


async def test_the_figures_count_credit_by_kind_and_street_within_the_slice(
    client_for,
    sessionmaker,
    credit_world,  # noqa: F811
    world,
):
    centre, court, hall = [await client_for(c) for c in (CREDIT, factories.COURT, factories.HALL)]
    window, apan = await client_for(factories.WINDOW), await client_for(APAN)
    uscc, name = new_employer()
    appeal, _ = await agreed_mediation(
        window, apan, uscc=uscc, name=name,
        instalments=[{"dueOn": (_today() + timedelta(days=100)).isoformat(), "amount": "100"}],
    )  # fmt: skip
    async with sessionmaker() as session:  # the employer is registered in Liulian (坪山街道)
        enterprise = await session.scalar(
            select(models.Enterprise).where(models.Enterprise.uscc == uscc)
        )
        enterprise.region_id = world.regions[factories.COMMUNITY]
        await session.commit()
    day = _today().isoformat()
    before = {c.org: await _figures(c, day) for c in (centre, court, hall)}

    await credit_step(centre, "recordCreditRecord", uscc=uscc, kind="WARNING", public=False,
                      summary="约谈警示")  # fmt: skip
    await credit_step(centre, "recordCreditRecord", uscc=uscc, kind="COMMENDATION",
                      summary="守信")  # fmt: skip
    await credit_step(apan, "recordCreditRecord", uscc=uscc, kind="WAGE_ARREARS",
                      summary="拖欠", petition=appeal["id"])  # fmt: skip

    street = "PS-S-PINGSHAN"
    after = {c.org: await _figures(c, day) for c in (centre, court, hall)}
    for org, warnings, proposals in ((CREDIT, 1, 1), (factories.HALL, 1, 1),
                                     (factories.COURT, 0, 0)):  # fmt: skip
        old, new = before[org], after[org]
        assert _delta(old, new, ("WARNING", street), "confirmed") == warnings, org
        assert _delta(old, new, ("COMMENDATION", street), "confirmed") == 1, org
        assert _delta(old, new, ("WAGE_ARREARS", street), "proposed") == proposals, org
        assert new["awaiting"] - old["awaiting"] == proposals, org


def _person(kind, *roles, scopes=("credit:read", "credit:write")):
    return Caller(
        organisation_id=1, organisation_code="X", organisation_kind=kind, region_id=1,
        roles=frozenset(roles), scopes=frozenset(scopes), user_id=7,
    )  # fmt: skip


def test_only_the_centre_s_credit_officers_and_leaders_decide():
    kinds, roles = models.OrganisationKind, models.Role
    require_credit_officer(_person(kinds.CREDIT_CENTRE, roles.CREDIT_OFFICER))
    require_credit_officer(_person(kinds.CREDIT_CENTRE, roles.LEADER))
    for refused_caller in (
        _person(kinds.CREDIT_CENTRE, roles.HANDLER),  # the centre's handler works appeals only
        _person(kinds.APPEALS_HALL, roles.CREDIT_OFFICER, roles.LEADER),
        _person(kinds.CREDIT_CENTRE, roles.CREDIT_OFFICER, scopes=("credit:read",)),
    ):
        with pytest.raises(Forbidden):
            require_credit_officer(refused_caller)
