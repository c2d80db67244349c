"""The Pingshan demo district: places, organisations, users, enterprises, projects and
a year of appeals, generated deterministically from a seed.

`places` and `firms` hold the static data; `people` and `texts` the generators of
names, ID numbers and wording; `appeals` simulates each appeal's life; `load`
writes it all with bulk inserts. Nothing here imports from the resolvers: what the
loader needs from them (deadlines, the keyed hash) comes in as `load.DemoServices`.
"""
