"""The 访调心裁 chain: an appeal → mediation (and the metro tiers) → arbitration → litigation.

`rules.py` is the pure core (what may follow what); `cases.py` the write unit every
case step runs in (like `resolvers.workflow.steps.take_step` for the appeal);
`parties.py`, `mediation.py`, `tiers.py` and `adjudication.py` the steps;
`reading.py` the reads, all through the slice in `resolvers.access.disputes`.
"""
