"""The 访调心裁 chain's pages, by subject: the mediation cases (`mediation`), the
arbitration institute's and the court station's cases (`adjudication`), the metro
centre's tier board (`tiers`) and the chain on the appeal page (`chain`)."""

from web.views.disputes import adjudication, mediation, tiers
from web.views.disputes.chain import chain_context

routes = [*tiers.routes, *adjudication.routes, *mediation.routes]

__all__ = ["chain_context", "routes"]
