"""The workflow's mutations: one thin field per step, each returning the updated appeal.

Every step takes the appeal's `id` (or `number`) and, optionally, the
`expectedVersion` the caller last read: a stale one answers `CONFLICT` and
changes nothing. The rules live in `resolvers/` (transitions, authority,
workflow, assignments, clock, outcome).

`steps.py` holds what every step field shares (its arguments, the reference, the
call); the fields are grouped as the resolvers are: `triage.py`, `assignments.py`,
`suspension.py`, `outcome.py` and `petitioners.py`; `mutation.py` gathers them into
`WorkflowMutation`.
"""
