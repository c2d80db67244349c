"""The 访调心裁 chain as GraphQL: its types (`parties.py`, `mediation.py`,
`adjudication.py` for arbitration and litigation, `chain.py`), queries (`queries.py`),
figures (`figures.py`) and the steps' mutations (`mutations.py`); the rules are in
`resolvers/disputes/`."""
