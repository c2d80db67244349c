"""The figures leaders watch."""
