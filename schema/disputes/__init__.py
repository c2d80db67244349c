"""The 访调心裁 chain as GraphQL: types (`types.py`), queries (`queries.py`) and the
steps' mutations (`mutations.py`); the rules are in `resolvers/disputes/`."""
