"""Optional tracing: OpenTelemetry spans for requests, GraphQL operations and SQL,
exported over OTLP/HTTP when `PETITION_HUB_OTLP_ENDPOINT` is set; nothing otherwise.

Spans carry route templates, operation names and SQL statements with their
parameters left out (SQLAlchemy's instrumentation records the statement text,
which holds placeholders, not values).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp

SERVICE_NAME = "petition-hub"


def tracing_extensions(endpoint: str) -> list[Any]:
    """Strawberry's own OpenTelemetry extension when tracing is on."""
    if not endpoint:
        return []
    from strawberry.extensions.tracing import OpenTelemetryExtension

    return [OpenTelemetryExtension]


def traced(app: ASGIApp, engine: AsyncEngine, endpoint: str) -> ASGIApp:
    """`app` wrapped to trace its requests and `engine`'s SQL, or `app` itself."""
    if not endpoint:
        return app
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": SERVICE_NAME}))
    provider.add_span_processor(
        BatchSpanProcessor(
            OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces"),
            schedule_delay_millis=500,
        )
    )
    trace.set_tracer_provider(provider)
    # The instrumentation declares SQLAlchemy < 2.1 but works with 2.1's engine events,
    # which is all it uses: the tracing test proves the SQL spans arrive.
    SQLAlchemyInstrumentor().instrument(
        engine=engine.sync_engine,
        tracer_provider=provider,
        enable_commenter=False,
        skip_dep_check=True,
    )
    return OpenTelemetryMiddleware(app, tracer_provider=provider, exclude_spans=["receive", "send"])
