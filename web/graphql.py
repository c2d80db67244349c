"""The GraphQL endpoint: authenticates the caller and builds each request's context."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.types.unset import UNSET, UnsetType

from db import models
from resolvers.access.caller import Caller
from resolvers.access.tokens import authenticate_token
from resolvers.services import Services
from schema.context import Context
from web import observability
from web.auth import CSRF_HEADER, csrf_valid, staff_caller

GRAPHIQL_ASSETS = {
    "https://unpkg.com/react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js":
        "react-dom.production.min.js",
    "https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": "plugin-explorer.css",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js":
        "plugin-explorer.umd.js",
}


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class TextFrames(ASGIWebSocketAdapter):
    """graphql-transport-ws messages are text frames (orjson alone would send binary)."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class HubGraphQL(GraphQL):
    """Strawberry's ASGI app, with the hub's context and orjson responses."""

    websocket_adapter_class = TextFrames  # type: ignore[assignment]

    def __init__(
        self, schema: Any, *, services: Services,
        sessionmaker: async_sessionmaker[AsyncSession], idle_minutes: int,
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self.services = services
        self.sessionmaker = sessionmaker
        self.idle_minutes = idle_minutes

    @cached_property
    def graphql_ide_html(self) -> str:  # type: ignore[override]
        # GraphiQL from our own static files: the centre's network may have no internet.
        html = super().graphql_ide_html
        for remote, local in GRAPHIQL_ASSETS.items():
            html = html.replace(remote, f"/static/graphiql/{local}")
        return html

    def encode_json(self, data: object) -> bytes:  # type: ignore[override]
        return orjson.dumps(data)

    async def authenticate(self, header: str | None) -> Caller | None:
        token = bearer_token(header)
        if token is None:
            return None
        async with self.sessionmaker() as session:
            return await authenticate_token(session=session, token=token, now=models.utcnow())

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:  # type: ignore[override]
        """Authenticate a WebSocket by its `connection_init` payload
        (`{"Authorization": "Bearer <token>"}`); refuse it (4403) without a valid token."""
        params = context.connection_params or {}
        header = params.get("Authorization", params.get("authorization"))
        if header is not None:
            caller = await self.authenticate(header) if isinstance(header, str) else None
            if caller is None:
                raise ConnectionRejectionError(
                    {"message": "invalid token", "extensions": {"code": "UNAUTHENTICATED"}}
                )
            context.maybe_caller = caller
            context.reauthenticate = functools.partial(self.authenticate, header)
        if context.maybe_caller is None:
            raise ConnectionRejectionError(
                {"message": "send a bearer token in connection_init",
                 "extensions": {"code": "UNAUTHENTICATED"}}
            )
        return UNSET

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:  # type: ignore[override]
        header = request.headers.get("authorization")
        caller = await self.authenticate(header)
        reauthenticate = functools.partial(self.authenticate, header) if caller else None
        if caller is None and isinstance(request, Request) and csrf_valid(
            request, request.headers.get(CSRF_HEADER)
        ):
            # A signed-in page may call the API with its session, but only with the
            # CSRF header no other site can set: a cookie alone authorises nothing.
            caller = await staff_caller(request, self.sessionmaker, self.idle_minutes)
        return Context(
            services=self.services,
            sessionmaker=self.sessionmaker,
            request=request,
            response=response,
            maybe_caller=caller,
            reauthenticate=reauthenticate,
            request_id=observability.request_id(),
        )
