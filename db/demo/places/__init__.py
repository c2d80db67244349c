"""Pingshan district's places and the organisations of its petition supermarket.

Static data, by subject: `regions` the six streets and 23 communities by their real
names (and the roads appeals name); `organisations` the hall and its partners with the
codes of CONTRACT.md, the functional bureaus, one platform per street, one window per
community and the demo's users; `sites` the seed's site stations and mediation rooms.
Populations are plausible round figures, not census data.
"""
