"""Starlette views for the staff pages, one module per area."""
