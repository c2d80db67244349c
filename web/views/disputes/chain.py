"""The chain of a dispute at a glance on the appeal page (`chain_context`, for the
template `disputes/_chain.html`), and the appeal-level steps its forms offer: refer to
mediation (`mediation.open_from_appeal`), to arbitration and to court (`adjudication`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.models import MediationKind
from resolvers.access.caller import Caller
from resolvers.directory.organisations import list_organisations
from resolvers.disputes import offers, reading
from resolvers.disputes.adjudication import ARBITRATORS, COURTS
from resolvers.disputes.rules import MEDIATORS, SITE_TIER
from web.views.disputes.common import organisations, yuan
from web.views.disputes.mediation import CaseView

# Which organisations each appeal-level step's form lists.
PARTNERS = {
    "OPEN_MEDIATION": MEDIATORS | SITE_TIER,
    "OPEN_ARBITRATION": ARBITRATORS,
    "OPEN_LITIGATION": COURTS,
}


async def chain_context(
    session: AsyncSession, caller: Caller, petition: models.Petition, actions: set[str]
) -> dict[str, Any]:
    """The appeal page's chain: its mediations (within the caller's slice), arbitration
    and lawsuits, with their instalments and tiers, and the steps to the next stage the
    person is offered (`chain_offers`) with the organisations each form lists."""
    (chain,) = await reading.chains_by_petition(session, caller, [petition.id])
    ids = [m.id for m in chain.mediations]
    instalments = await reading.instalments_by_case(session, ids)
    tiers = await reading.tiers_by_case(session, ids)
    views = [
        CaseView(m, i, t) for m, i, t in zip(chain.mediations, instalments, tiers, strict=True)
    ]
    org_ids = [m.mediator_org_id for m in chain.mediations]
    org_ids += [a.arbitration_org_id for a in chain.arbitrations]
    org_ids += [c.court_org_id for c in chain.litigations]
    org_ids += [t.organisation_id for ts in tiers for t in ts]
    offered = offers.appeal_steps(actions)
    kinds = set().union(*(PARTNERS[a] for a in offered))
    listed = (
        await list_organisations(session=session, caller=caller, kinds=sorted(kinds, key=str))
        if kinds
        else []
    )
    partners = {a: [o for o in listed if o.kind in PARTNERS[a]] for a in offered}
    return {
        "chain": chain,
        "chain_cases": views,
        "chain_orgs": await organisations(session, org_ids),
        "chain_offers": offered,
        "mediation_kinds": list(MediationKind),
        "mediators": partners.get("OPEN_MEDIATION", []),
        "institutes": partners.get("OPEN_ARBITRATION", []),
        "courts": partners.get("OPEN_LITIGATION", []),
        "yuan": yuan,
    }
