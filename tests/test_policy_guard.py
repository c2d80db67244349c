"""A new read path that forgets the access policy should be hard to write.

Every domain module that reads appeals on behalf of a caller must go through the
policy (`petition_scope` / `petition_filter`) or the workflow's scoped write unit
(`take_step`); the few that read appeals for the system itself say why here.
"""

from __future__ import annotations

import ast
from pathlib import Path

RESOLVERS = Path(__file__).parent.parent / "resolvers"
SCOPED = {"petition_scope", "petition_filter", "stats_filter", "take_step", "personal_data_filter"}
SYSTEM_READS = {
    "access/policy.py": "defines the policy",
    "access/disclosure.py": "is handed appeals already read through the policy; whether "
    "personal data is shown unmasked is asked of personal_data_filter "
    "(loaders.personal_data_visible)",
    "events/timeline.py": "writes events into the caller's own unit of work",
    "appeals/intake.py": "creates the caller's appeal; repeat matching reads the petitioner's "
    "history by design (the handler sees the count, not the appeals)",
    "appeals/intake_reads.py": "intake's reads before its write: the petitioner's record and "
    "earlier appeals for repeat matching, by design (the handler sees the count, not the "
    "appeals)",
    "appeals/routing.py": "is handed the appeal intake has just created in the caller's own "
    "transaction, and adds to it (parties, project, risk flag, the first assignment)",
    "deadlines/recompute.py": "the calendar import recomputes every open deadline (no caller)",
    "deadlines/watcher.py": "the deadline watcher runs for the system (no caller)",
    "workflow/readiness.py": "is handed an appeal already read through the policy (by "
    "take_step, or by the page's get_petition) and asks what a step needs of it",
    "care/alerts.py": "raises the early-warning alert on every open appeal of the person, "
    "which the care centre need not see; it returns nothing of them",
    "disputes/offers.py": "reads nothing: is handed an appeal and its chain already read "
    "through the policy, and says which steps their forms offer",
}
CARE_RECORDS = {"Screening", "CareSession", "CounsellingPlan", "CrisisRecord"}
CARE_SCOPED = {"care_scope", "care_filter"}
CARE_SYSTEM_READS = {
    "access/care_policy.py": "defines the policy",
    "care/risk.py": "reads only the risk level, of appeals read through petition_scope",
    "care/records.py": "writes the care centre's records (require_care_centre)",
}


def _reads_appeals_for_a_caller(tree: ast.Module) -> bool:
    mentions_petition = any(
        isinstance(node, ast.Attribute) and node.attr == "Petition" for node in ast.walk(tree)
    )
    takes_caller = any(
        isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
        and any(a.arg == "caller" for a in node.args.args + node.args.kwonlyargs)
        for node in ast.walk(tree)
    )
    return mentions_petition and takes_caller


def test_every_caller_facing_read_of_appeals_goes_through_the_policy():
    unscoped = []
    for path in sorted(RESOLVERS.rglob("*.py")):
        tree = ast.parse(path.read_text())
        name = path.relative_to(RESOLVERS).as_posix()
        if not _reads_appeals_for_a_caller(tree) or name in SYSTEM_READS:
            continue
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        if not names & SCOPED:
            unscoped.append(name)
    assert unscoped == [], f"these modules read appeals without the policy: {unscoped}"


def _reads_care_records_for_a_caller(tree: ast.Module) -> bool:
    mentions = any(
        isinstance(node, ast.Attribute) and node.attr in CARE_RECORDS for node in ast.walk(tree)
    )
    takes_caller = any(
        isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
        and any(a.arg == "caller" for a in node.args.args + node.args.kwonlyargs)
        for node in ast.walk(tree)
    )
    return mentions and takes_caller


def test_every_caller_facing_read_of_care_records_goes_through_the_care_policy():
    unscoped = []
    for path in sorted(RESOLVERS.rglob("*.py")):
        tree = ast.parse(path.read_text())
        name = path.relative_to(RESOLVERS).as_posix()
        if not _reads_care_records_for_a_caller(tree) or name in CARE_SYSTEM_READS:
            continue
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        if not names & CARE_SCOPED:
            unscoped.append(name)
    assert unscoped == [], f"these modules read care records without the policy: {unscoped}"


def test_every_exempted_module_exists():
    missing = [
        name for name in {**SYSTEM_READS, **CARE_SYSTEM_READS} if not (RESOLVERS / name).is_file()
    ]
    assert missing == [], f"exemptions for modules that are gone: {missing}"


# The 访调心裁 chain's cases have their slice beside the appeals' (access/disputes.py).
CASES = {"MediationCase", "ArbitrationCase", "LitigationCase"}
CASE_SCOPED = {
    "mediation_scope",
    "mediation_filter",
    "arbitration_scope",
    "arbitration_filter",
    "litigation_scope",
    "litigation_filter",
    "dispute_stats_filter",
    "take_case_step",
    "take_step",
}
CASE_SYSTEM_READS = {
    "access/disputes.py": "defines the chain's policy",
    "disputes/tiers.py": "the deadline watcher escalates metro tiers for the system (no caller)",
    "disputes/offers.py": "reads nothing: is handed cases already read through their policy",
    "workflow/readiness.py": "reads an appeal's cases (of an appeal read through the policy) "
    "only as the chain's rules' yes or no, never to show them (as openArbitration does)",
    "credit/proposals.py": "the watcher raises credit proposals for the system (no caller); a "
    "commitment is recorded on the case its mediator's step (take_case_step) already locked",
    "credit/steps.py": "debt_settled reads the debt behind a record the credit centre read "
    "through credit_scope, and answers yes or no",
}


def test_every_caller_facing_read_of_dispute_cases_goes_through_their_policy():
    unscoped = []
    for path in sorted(RESOLVERS.rglob("*.py")):
        tree = ast.parse(path.read_text())
        name = path.relative_to(RESOLVERS).as_posix()
        mentions = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        takes_caller = any(
            isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
            and any(a.arg == "caller" for a in node.args.args + node.args.kwonlyargs)
            for node in ast.walk(tree)
        )
        if not (mentions & CASES and takes_caller) or name in CASE_SYSTEM_READS:
            continue
        names = mentions | {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        if not names & CASE_SCOPED:
            unscoped.append(name)
    assert unscoped == [], f"these modules read dispute cases without the policy: {unscoped}"
    assert all((RESOLVERS / name).is_file() for name in CASE_SYSTEM_READS)


# Credit records have their slice in access/credit_policy.py.
CREDIT_RECORDS = {"CreditRecord", "CreditEvent"}
CREDIT_SCOPED = {"credit_scope", "credit_filter", "take_credit_step"}
CREDIT_SYSTEM_READS = {
    "access/credit_policy.py": "defines the policy",
    "credit/history.py": "writes a record's events into the step's own unit of work",
    "credit/proposals.py": "raises proposals for the system (no caller), and a commitment in "
    "the mediator's step",
    "credit/recording.py": "creates the caller's record (the recorder's rule comes first)",
}


def test_every_caller_facing_read_of_credit_records_goes_through_the_credit_policy():
    unscoped = []
    for path in sorted(RESOLVERS.rglob("*.py")):
        tree = ast.parse(path.read_text())
        name = path.relative_to(RESOLVERS).as_posix()
        mentions = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        takes_caller = any(
            isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
            and any(a.arg == "caller" for a in node.args.args + node.args.kwonlyargs)
            for node in ast.walk(tree)
        )
        if not (mentions & CREDIT_RECORDS and takes_caller) or name in CREDIT_SYSTEM_READS:
            continue
        names = mentions | {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        if not names & CREDIT_SCOPED:
            unscoped.append(name)
    assert unscoped == [], f"these modules read credit records without the policy: {unscoped}"
    assert all((RESOLVERS / name).is_file() for name in CREDIT_SYSTEM_READS)
