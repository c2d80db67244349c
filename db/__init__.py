"""The hub's data layer: models, engine and sessions, migrations, demo data.

Knows nothing of GraphQL or HTTP.
"""
