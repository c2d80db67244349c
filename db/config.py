"""Settings, read from the environment or a `.env` file (prefix `PETITION_HUB_`)."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

VAR_DIR = Path("var")


class Settings(BaseSettings):
    """Everything the hub is configured with; build one and pass it down."""

    model_config = SettingsConfigDict(env_prefix="PETITION_HUB_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///var/hub.db",
        description="SQLAlchemy URL: sqlite+aiosqlite:///… or postgresql+asyncpg://…",
    )
    broker_url: str = Field(
        default="memory://", description="memory:// for one process, redis://… for many"
    )
    broker_channel: str = Field(
        default="petition-hub:events", description="The Redis pub/sub channel for wake-ups"
    )
    stream_poll_interval: float = Field(
        default=5, description="Seconds a subscriber waits for a wake-up before reading anyway"
    )
    secret_key: str = Field(
        default="", description="Signs sessions and CSRF tokens; generated into var/ if empty"
    )
    var_dir: Path = Field(default=VAR_DIR, description="Where generated state lives")
    timezone: str = Field(default="Asia/Shanghai", description="The hub's local time zone")
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    max_page_size: int = 100
    header_timeout: float = Field(
        default=10, description="Seconds a client has to send a request's line and headers"
    )
    body_timeout: float = Field(
        default=30, description="Seconds the app waits, in all, for a request's body"
    )
    max_subscriptions_per_token: int = Field(
        default=20, description="Operations one token may have open over WebSocket at once"
    )
    max_query_cost: int = Field(
        default=20_000,
        description="The most values a query's answer may be estimated to hold (schema/cost.py)",
    )
    query_list_size: int = Field(
        default=10, description="The size assumed for a list the query does not size with first"
    )
    max_answer_values: int = Field(
        default=50_000, description="The most values an answer may hold while it is built"
    )
    compiled_reads: bool = Field(
        default=True, description="Answer compilable queries with one SQL statement"
    )
    sql_echo: bool = False
    session_idle_minutes: int = Field(
        default=30, description="Staff are signed out after this long without a request"
    )
    secure_cookies: bool = Field(
        default=False, description="Send the session cookie over HTTPS only (set behind TLS)"
    )
    metrics_addresses: str = Field(
        default="",
        description="Client addresses (comma-separated) that may read /metrics "
        "without a token, e.g. the Prometheus scraper's; otherwise an admin-scoped token",
    )
    log_format: str = Field(
        default="auto", description="json, text, or auto: text on a terminal, else JSON lines"
    )
    otlp_endpoint: str = Field(
        default="",
        description="OTLP/HTTP traces endpoint (e.g. http://127.0.0.1:4318); empty: no tracing",
    )
    shutdown_grace_seconds: int = Field(
        default=10,
        description="On SIGTERM, how long in-flight requests and live streams may "
        "finish before they are cut",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For is believed; none by default",
    )
    max_body_bytes: int = Field(
        default=4 * 1024 * 1024,
        description="Requests with a larger body are refused (413) before authentication",
    )
    max_calendar_import_bytes: int = Field(
        default=16 * 1024 * 1024,
        description="The calendar import page's own, larger body limit",
    )
    watch_interval: float = Field(
        default=60, description="Seconds between deadline watcher passes; 0 turns it off"
    )

    def with_secret(self) -> Settings:
        """Return settings whose secret key is set, generating one into var/ on first use."""
        if self.secret_key:
            return self
        path = self.var_dir / "secret_key"
        if path.exists():
            key = path.read_text().strip()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            key = secrets.token_urlsafe(48)
            path.write_text(key + "\n")
            path.chmod(0o600)
        return self.model_copy(update={"secret_key": key})

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, apply overrides, make sure a secret exists."""
    return Settings(**overrides).with_secret()  # type: ignore[arg-type]
