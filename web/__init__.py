"""The HTTP door: the Starlette app factory, GraphQL endpoint, staff pages, static files."""
