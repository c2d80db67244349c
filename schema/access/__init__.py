"""GraphQL for the caller and the audit log."""
