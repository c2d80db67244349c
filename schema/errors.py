"""Error discipline: every error leaves with `extensions.code`; internal ones are masked."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from resolvers.errors import HubError

log = logging.getLogger("petition_hub.graphql")

QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
TOKEN_LIMIT_MARK = "tokens. Parsing aborted"


def classify(error: GraphQLError, request_id: str) -> GraphQLError:
    """The error as the caller sees it."""
    original = error.original_error
    if original is None and (error.extensions or {}).get("code"):
        return error
    if isinstance(original, HubError):
        return GraphQLError(
            original.message,
            nodes=error.nodes,
            path=error.path,
            extensions=dict(original.extensions),
        )
    if original is None or isinstance(original, GraphQLError):
        extensions = dict(error.extensions or {})
        if "code" not in extensions:
            too_long = isinstance(error, GraphQLSyntaxError) and TOKEN_LIMIT_MARK in error.message
            extensions["code"] = QUERY_TOO_COMPLEX if too_long else "BAD_USER_INPUT"
        return GraphQLError(
            error.message, nodes=error.nodes, path=error.path, extensions=extensions
        )
    log.error("internal error (request %s) at %s", request_id, error.path, exc_info=original)
    return GraphQLError(
        "Internal server error",
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )


class CloseSession(SchemaExtension):
    """Closes the request's database session when the operation ends."""

    async def on_operation(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await self.execution_context.context.close()
