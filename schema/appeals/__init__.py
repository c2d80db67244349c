"""GraphQL for appeals: the types, the queries and intake."""
