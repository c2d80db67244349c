"""The appeal's workflow: the write unit, the state machine, assignments, triage,
suspension and extension, the outcome."""
