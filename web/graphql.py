"""The GraphQL endpoint: authenticates the caller and builds each request's context."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import orjson
from cross_web import HTTPException
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from db import models
from resolvers.access.caller import Caller
from resolvers.access.tokens import authenticate_token
from resolvers.services import Services
from schema.compiler import CompiledReads
from schema.context import Context
from web import observability
from web.auth import CSRF_HEADER, csrf_valid, staff_caller
from web.fast_reads import READ_PATH_HEADER, FastReads
from web.headers import graphiql_policy
from web.websocket import HubTransportWS, SubscriptionSlots

GRAPHIQL_ASSETS = {
    "https://unpkg.com/react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js": "react-dom.production.min.js",
    "https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": "plugin-explorer.css",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": "plugin-explorer.umd.js",
}


CONTEXT_KEY = "petition_hub.context"


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

    async def send_text(self, text: str) -> bool:
        """Send a message already encoded; False if the socket is gone."""
        try:
            await self.ws.send_text(text)
        except (WebSocketDisconnect, RuntimeError):  # closed, or closing
            return False
        return True


# What an HTTP-level refusal (before any GraphQL runs) is coded as.
HTTP_CODES = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 429: "RATE_LIMITED"}


def refusal(status_code: int, message: str) -> Response:
    """An error envelope for a request refused before GraphQL runs (malformed JSON, a
    batch, no query, a GET mutation …): JSON with `extensions.code`, like every error."""
    code = HTTP_CODES.get(
        status_code, "BAD_USER_INPUT" if status_code < 500 else "INTERNAL_SERVER_ERROR"
    )
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), status_code=status_code, media_type="application/json")


class HubGraphQL(GraphQL):
    """Strawberry's ASGI app, with the hub's context and orjson responses; WebSockets
    speak `graphql-transport-ws` only (the legacy `graphql-ws` is refused at the
    handshake), with a cap on each token's operations."""

    websocket_adapter_class = TextFrames  # type: ignore[assignment]
    graphql_transport_ws_handler_class = HubTransportWS

    def __init__(
        self,
        schema: Any,
        *,
        services: Services,
        engine: AsyncEngine,
        sessionmaker: async_sessionmaker[AsyncSession],
        idle_minutes: int,
        subscriptions_per_token: int,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql",
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=None,
        )
        self.services = services
        self.sessionmaker = sessionmaker
        self.idle_minutes = idle_minutes
        self.subscription_slots = SubscriptionSlots(subscriptions_per_token)
        self.compiled = CompiledReads(
            schema._schema,
            services.settings,
            # Tracing wants the resolvers' spans; the compiled path has none to give.
            enabled=services.settings.compiled_reads and not services.settings.otlp_endpoint,
        )
        self.fast = FastReads(self.compiled, engine, sessionmaker, services)
        self._rechecked: dict[str, tuple[float, asyncio.Future[Caller | None]]] = {}

    async def parse_http_body(self, request_adapter: Any) -> Any:
        try:
            return await super().parse_http_body(request_adapter)
        except (AttributeError, TypeError) as exc:  # valid JSON, but not an object
            raise HTTPException(400, "send a JSON object with a query") from exc

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            # A partner's compiled read is answered before strawberry runs.
            given = await self.fast(scope, receive, send)
            if given is None:
                return
            request = Request(scope=scope, receive=given)
            try:
                response = await self.run(request)
            except HTTPException as exc:
                response = refusal(exc.status_code, exc.reason)
            await response(scope, receive, send)
        elif GRAPHQL_TRANSPORT_WS_PROTOCOL not in scope.get("subprotocols", ()):
            # Closing before accepting refuses the handshake (HTTP 403): a client that
            # offers only the legacy `graphql-ws`, or nothing, learns it at once.
            await WebSocket(scope, receive=receive, send=send).close(code=1002)
        else:
            await super().__call__(scope, receive, send)

    @cached_property
    def graphql_ide_html(self) -> str:  # type: ignore[override]
        # GraphiQL from our own static files: the centre's network may have no internet.
        html = super().graphql_ide_html
        for remote, local in GRAPHIQL_ASSETS.items():
            html = html.replace(remote, f"/static/graphiql/{local}")
        return html

    @cached_property
    def graphql_ide_policy(self) -> str:
        return graphiql_policy(self.graphql_ide_html)

    async def render_graphql_ide(self, request: Request) -> Response:
        # GraphiQL's inline script and style, allowed by their hashes and nothing else.
        return HTMLResponse(
            self.graphql_ide_html, headers={"Content-Security-Policy": self.graphql_ide_policy}
        )

    def encode_json(self, data: object) -> bytes:  # type: ignore[override]
        return orjson.dumps(data)

    async def authenticate(
        self, header: str | None, session: AsyncSession | None = None
    ) -> Caller | None:
        """The caller a bearer header stands for; in `session` when given (the request's
        own, so the token lookup shares its connection and transaction)."""
        token = bearer_token(header)
        if token is None:
            return None
        if session is not None:
            caller = await authenticate_token(session=session, token=token, now=models.utcnow())
        else:
            async with self.sessionmaker() as own:
                caller = await authenticate_token(session=own, token=token, now=models.utcnow())
        self.fast.remember(token, caller)
        return caller

    async def execute_single(  # type: ignore[override]
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Context,
        root_value: Any,
        request_data: Any,
    ) -> ExecutionResult:
        """A query the compiled read path can answer skips graphql-core's execution: the
        database returns the finished `data` (schema/compiler). The rest, and every
        refusal, goes through strawberry and the resolvers."""
        if request_adapter.method in ("GET", "POST"):
            started = time.perf_counter()
            answer = await self.compiled.answer(
                context, request_data.query, request_data.variables, request_data.operation_name
            )
            if answer is not None:
                sub_response.headers[READ_PATH_HEADER] = "compiled"
                observability.operation_done(
                    context.maybe_caller, answer.operation, "OK", time.perf_counter() - started
                )
                # orjson writes the database's JSON into the response as it is.
                data: Any = orjson.Fragment(answer.data)
                return ExecutionResult(data=data, errors=None)
        return await super().execute_single(
            request,
            request_adapter,
            sub_response,
            context,  # type: ignore[arg-type]
            root_value,
            request_data,
        )

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """Serve one request; the request's session is closed however it ends (a body
        that is not JSON never reaches the operation that would close it)."""
        try:
            return await super().run(request, context, root_value)
        finally:
            made = request.scope.get(CONTEXT_KEY)
            if isinstance(made, Context):
                await made.close()

    async def recheck(self, header: str) -> Caller | None:
        """Authenticate a long-lived stream's token again. The streams of one token (a
        partner's thousand subscriptions) share one check per half poll interval, the
        ones asking while it runs included."""
        fresh = self.services.settings.stream_poll_interval / 2
        now = time.monotonic()
        checked = self._rechecked.get(header)
        if checked is None or now - checked[0] >= fresh:
            if len(self._rechecked) > 10_000:  # forget the long-gone
                self._rechecked = {k: v for k, v in self._rechecked.items() if now - v[0] < fresh}
            checked = (now, asyncio.ensure_future(self.authenticate(header)))
            self._rechecked[header] = checked
        return await asyncio.shield(checked[1])

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
            context.reauthenticate = functools.partial(self.recheck, header)
        if context.maybe_caller is None:
            raise ConnectionRejectionError(
                {
                    "message": "send a bearer token in connection_init",
                    "extensions": {"code": "UNAUTHENTICATED"},
                }
            )
        return UNSET

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:  # type: ignore[override]
        context = Context(
            services=self.services,
            sessionmaker=self.sessionmaker,
            request=request,
            response=response,
            request_id=observability.request_id(),
        )
        request.scope[CONTEXT_KEY] = context
        header = request.headers.get("authorization")
        if bearer_token(header) is not None:
            async with context.database() as session:
                context.maybe_caller = await self.authenticate(header, session)
        if context.maybe_caller is not None:
            context.reauthenticate = functools.partial(self.authenticate, header)
        elif isinstance(request, Request) and csrf_valid(request, request.headers.get(CSRF_HEADER)):
            # A signed-in page may call the API with its session, but only with the
            # CSRF header no other site can set: a cookie alone authorises nothing.
            context.maybe_caller = await staff_caller(request, self.sessionmaker, self.idle_minutes)
        if isinstance(request, WebSocket):
            await context.close()  # a connection lives long: hold no transaction open
        return context
