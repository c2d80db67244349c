"""The demo's credit records (全流程信用监管), derived from its chains.

Most of the 200 enterprises have none. A missed instalment raised a wage-arrears
proposal against the case's employer (most confirmed by the credit centre, a few
rejected, the newest still waiting; some repaired once the debt was paid); an award
(not taken to court) or a judgment left unpaid a month raised a dishonest-list proposal; a few agreements came with
the employer's credit commitment; the centre commended a few
firms and warned a few (restricted). Every step is an event on the record's history,
and a public record's taking effect or repair is on its appeal's timeline, as the
live steps write them. Deterministic: its own generator, seeded by a constant, over
the chains the seed made.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from db.models import (
    ArbitrationStatus,
    CreditEventKind,
    CreditRecordKind,
    CreditStatus,
    DisputeStage,
    EventKind,
    MediationStatus,
    PartyRole,
)

TABLES = ("credit_records", "credit_events")
CENTRE = "PS-CREDIT"
DEBTOR_ORDER = (PartyRole.EMPLOYER, PartyRole.SUBCONTRACTOR, PartyRole.MAIN_CONTRACTOR)
PAY_WITHIN = timedelta(days=30)
COMMITMENT_SHARE = 0.02  # of the agreements naming an employer
COMMENDATIONS = ("连续三年无欠薪投诉，按期足额支付工资", "主动设立工资保证金，守信经营")
WARNINGS = ("多次拖延支付工资，约谈警示", "劳务分包管理不规范，责令整改", "工资专户未按月拨付")


def add_credit(
    rows: dict[str, list[dict[str, Any]]],
    petitions: dict[int, dict[str, Any]],
    org_ids: dict[str, int],
    enterprise_ids: list[int],
    new_id: Callable[[str], int],
    event: Callable[..., None],
    end: datetime,
) -> None:
    """Add the credit records (and their events) to `rows`, beside the chains'."""
    rng = random.Random("pingshan-credit")
    centre = org_ids[CENTRE]
    debtors = _debtors(rows["mediation_parties"], "case_id")
    appeal_debtors = _debtors(rows["petition_parties"], "petition_id")
    cases = {c["id"]: c for c in rows["mediation_cases"]}

    def history(record: dict[str, Any], kind: CreditEventKind, at: datetime, org: int | None,
                data: dict[str, Any], timeline: EventKind | None = None) -> None:  # fmt: skip
        rows["credit_events"].append(
            {"id": new_id("credit_events"), "record_id": record["id"], "kind": kind,
             "occurred_at": at, "actor_user_id": None, "actor_client_id": None,
             "organisation_id": org, "data": data}
        )  # fmt: skip
        if timeline is not None and record["public"] and record["petition_id"] is not None:
            code = next(c for c, i in org_ids.items() if i == org) if org else None
            event(at, petitions[record["petition_id"]], timeline, code,
                  {"creditRecord": record["id"], "kind": record["kind"].name})  # fmt: skip

    def record(kind: CreditRecordKind, enterprise: int, org: int, at: datetime,
               **fields: Any) -> dict[str, Any]:  # fmt: skip
        row = {
            "id": new_id("credit_records"), "enterprise_id": enterprise, "kind": kind,
            "stage": DisputeStage.AFTER, "status": CreditStatus.CONFIRMED, "public": True,
            "summary": "", "petition_id": None, "mediation_case_id": None,
            "instalment_id": None, "arbitration_case_id": None, "litigation_case_id": None,
            "repairs_id": None, "source_key": None, "organisation_id": org,
            "recorded_by_id": None, "recorded_at": at, "effective_from": at.date(),
            "effective_until": None, "decided_at": None, "decided_by_id": None,
            "decision_reason": None, "version": 1, "updated_at": at,
        } | fields  # fmt: skip
        rows["credit_records"].append(row)
        return row

    def decide(row: dict[str, Any], at: datetime) -> None:
        """The centre's decision on a proposal raised at `at`, and perhaps its repair."""
        decided = at + timedelta(days=rng.uniform(2, 10))
        if decided >= end:
            return
        rejected = rng.random() < 0.08
        row.update(decided_at=decided, version=2, updated_at=decided)
        if rejected:
            reason = "已与劳动者达成新的支付安排，暂不列入"
            row.update(status=CreditStatus.REJECTED, decision_reason=reason)
            history(row, CreditEventKind.CREDIT_REJECTED, decided, centre, {"reason": reason})
            return
        row.update(status=CreditStatus.CONFIRMED)
        history(row, CreditEventKind.CREDIT_CONFIRMED, decided, centre, {},
                EventKind.CREDIT_RECORDED)  # fmt: skip
        repaired = decided + timedelta(days=rng.uniform(20, 90))
        mediator = next((c for c, i in org_ids.items() if i == row["organisation_id"]), None)
        petition = petitions[row["petition_id"]]
        settled = repaired < end and rng.random() < 0.3
        case = cases.get(row["mediation_case_id"] or 0)
        number = case["number"] if case else ""
        if settled and _settle(
            rows, row, repaired, new_id, event, petition, mediator or "", number
        ):
            repair = record(
                CreditRecordKind.REPAIR, row["enterprise_id"], centre, repaired,
                summary="欠款已履行完毕，准予信用修复", petition_id=row["petition_id"],
                repairs_id=row["id"], stage=row["stage"], decided_at=repaired,
            )  # fmt: skip
            row.update(status=CreditStatus.REPAIRED, effective_until=repaired.date(), version=3,
                       updated_at=repaired)  # fmt: skip
            history(row, CreditEventKind.CREDIT_REPAIRED, repaired, centre,
                    {"repair": repair["id"], "reason": repair["summary"]},
                    EventKind.CREDIT_REPAIRED)  # fmt: skip
            history(repair, CreditEventKind.CREDIT_RECORDED, repaired, centre,
                    {"repairs": row["id"]})  # fmt: skip

    for instalment in list(rows["instalments"]):
        case = cases[instalment["case_id"]]
        debtor = debtors.get(case["id"])
        if instalment["missed_at"] is None or debtor is None:
            continue
        at = instalment["missed_at"]
        row = record(
            CreditRecordKind.WAGE_ARREARS, debtor, case["mediator_org_id"], at,
            status=CreditStatus.PROPOSED, petition_id=case["petition_id"],
            mediation_case_id=case["id"], instalment_id=instalment["id"],
            source_key=f"instalment:{instalment['id']}",
            summary=f"调解协议{case['number']}第{instalment['seq']}期未按期支付",
        )  # fmt: skip
        history(row, CreditEventKind.CREDIT_PROPOSED, at, None,
                {"source": row["source_key"], "kind": "WAGE_ARREARS"})  # fmt: skip
        decide(row, at)
    sued = {lawsuit["arbitration_case_id"] for lawsuit in rows["litigation_cases"]}
    for award in rows["arbitration_cases"]:
        debtor = appeal_debtors.get(award["petition_id"])
        if award["status"] is not ArbitrationStatus.AWARDED or debtor is None:
            continue
        due = award["awarded_at"] + PAY_WITHIN
        if award["award_paid_at"] is not None or not award["award_fen"] or due >= end:
            continue
        if award["id"] in sued:  # taken to court: the judgment's payment counts
            continue
        row = record(
            CreditRecordKind.DISHONEST, debtor, award["arbitration_org_id"], due,
            status=CreditStatus.PROPOSED, petition_id=award["petition_id"],
            mediation_case_id=award["mediation_case_id"], arbitration_case_id=award["id"],
            source_key=f"award:{award['id']}", summary=f"仲裁裁决{award['number']}逾期未履行",
        )  # fmt: skip
        history(row, CreditEventKind.CREDIT_PROPOSED, due, None,
                {"source": row["source_key"], "kind": "DISHONEST"})  # fmt: skip
        decide(row, due)
    for lawsuit in rows["litigation_cases"]:
        lawsuit.setdefault("judgment_paid_at", None)
        judged, debtor = lawsuit["judged_at"], appeal_debtors.get(lawsuit["petition_id"])
        if judged is None or not lawsuit["judgment_fen"]:
            continue
        petition = petitions[lawsuit["petition_id"]]
        paid = judged + timedelta(days=rng.uniform(10, 40))
        if paid < end and rng.random() < 0.7:
            lawsuit.update(judgment_paid_at=paid, version=3, updated_at=paid)
            event(
                paid, petition, EventKind.JUDGMENT_PAID, "PS-COURT", {"litigation": lawsuit["id"]}
            )
            continue
        due = judged + PAY_WITHIN
        if debtor is None or due >= end:
            continue
        row = record(
            CreditRecordKind.DISHONEST, debtor, lawsuit["court_org_id"], due,
            status=CreditStatus.PROPOSED, petition_id=lawsuit["petition_id"],
            arbitration_case_id=lawsuit["arbitration_case_id"], litigation_case_id=lawsuit["id"],
            source_key=f"judgment:{lawsuit['id']}",
            summary=f"判决{lawsuit['case_number']}逾期未履行",
        )  # fmt: skip
        history(row, CreditEventKind.CREDIT_PROPOSED, due, None,
                {"source": row["source_key"], "kind": "DISHONEST"})  # fmt: skip
        decide(row, due)
    for case in rows["mediation_cases"]:
        debtor = debtors.get(case["id"])
        if (
            case["status"] is not MediationStatus.AGREED
            or debtor is None
            or rng.random() > COMMITMENT_SHARE
        ):
            continue
        at = case["concluded_at"]
        row = record(
            CreditRecordKind.COMMITMENT, debtor, case["mediator_org_id"], at,
            stage=DisputeStage.DURING, petition_id=case["petition_id"],
            mediation_case_id=case["id"], source_key=f"commitment:{case['id']}",
            summary=f"调解协议{case['number']}：用人单位签署信用承诺，按期履行", decided_at=at,
        )  # fmt: skip
        history(row, CreditEventKind.CREDIT_RECORDED, at, case["mediator_org_id"],
                {"kind": "COMMITMENT", "mediation": case["number"]}, EventKind.CREDIT_RECORDED)  # fmt: skip
    start = end - timedelta(days=330)
    for kind, texts, count, public in (
        (CreditRecordKind.COMMENDATION, COMMENDATIONS, 14, True),
        (CreditRecordKind.WARNING, WARNINGS, 9, False),
    ):
        for enterprise in rng.sample(enterprise_ids, count):
            at = start + timedelta(days=rng.uniform(0, 320))
            row = record(kind, enterprise, centre, at, stage=DisputeStage.BEFORE, public=public,
                         summary=rng.choice(texts), decided_at=at)  # fmt: skip
            history(row, CreditEventKind.CREDIT_RECORDED, at, centre, {"kind": kind.name})


def _debtors(parties: list[dict[str, Any]], owner: str) -> dict[int, int]:
    """Who answers for each owner's debt: the employer, else who hired the workers."""
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for party in parties:
        role = PartyRole[party["role"]] if isinstance(party["role"], str) else party["role"]
        found[party[owner]].append((DEBTOR_ORDER.index(role), party["enterprise_id"]))
    return {key: min(ranked)[1] for key, ranked in found.items()}


def _settle(
    rows: dict[str, list[dict[str, Any]]],
    record: dict[str, Any],
    at: datetime,
    new_id: Callable[[str], int],
    event: Callable[..., None],
    petition: dict[str, Any],
    mediator: str,
    number: str,
) -> bool:
    """Pay the instalment behind a wage-arrears record by `at` (what a repair needs);
    False for a record with no instalment."""
    if record["instalment_id"] is None:
        return False
    [instalment] = [i for i in rows["instalments"] if i["id"] == record["instalment_id"]]
    owed = instalment["amount_fen"] - instalment["paid_fen"]
    paid = at - timedelta(days=1)
    instalment.update(paid_fen=instalment["amount_fen"], paid_on=paid.date())
    rows["payments"].append(
        {"id": new_id("payments"), "instalment_id": instalment["id"],
         "case_id": instalment["case_id"], "amount_fen": owed, "paid_on": paid.date(),
         "organisation_id": record["organisation_id"], "recorded_at": paid}
    )  # fmt: skip
    event(paid, petition, EventKind.PAYMENT_RECORDED, mediator,
          {"case": number, "instalment": instalment["seq"], "paidOn": paid.date().isoformat(), "settled": True})  # fmt: skip
    return True
