"""The psychological care centre's pages (`/care`): people at risk, each person's record,
and the counsellors' forms that add to it. For anyone but the care centre they do not
exist (404)."""

from __future__ import annotations

from web.views.care import pages, records

routes = [*pages.routes, *records.routes]
