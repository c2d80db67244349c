"""The Pingshan demo district: places, organisations, users, enterprises, projects and
a year of appeals, generated deterministically from a seed.

`places` and `firms` hold the static data; `people` and `texts` the generators of
names, ID numbers and wording; `appeals` chooses who brings what, `routing` who
handles it and `handling` how its life unfolds; `records` and `static` make the rows,
and `load` writes it all with bulk inserts. Nothing here imports from the resolvers:
what the loader needs from them (deadlines, the keyed hash) comes in as
`load.DemoServices`.
"""
