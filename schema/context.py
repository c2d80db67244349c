"""Per-request GraphQL context: the caller, a lazily opened session, the loaders."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from db import models
from resolvers import loaders
from resolvers.access import audit
from resolvers.access.caller import Caller
from resolvers.access.disclosure import Disclosures
from resolvers.appeals.repeats import RepeatView, repeat_views
from resolvers.care.risk import RiskView, risk_by_petition
from resolvers.errors import Unauthenticated
from resolvers.services import Services
from resolvers.workflow import dispatch

T = TypeVar("T")


@dataclass
class Loaders:
    """DataLoaders over `resolvers.loaders`, one set per request."""

    context: Context

    def _loader(self, batch: Any, name: str = "") -> DataLoader[Any, Any]:
        async def load(keys: list[Any]) -> list[Any]:
            async with self.context.database() as session:
                return await batch(session, keys)

        return DataLoader(load_fn=self._preloaded(name, load) if name else load)

    def _preloaded(self, name: str, load: Any) -> Any:
        """`load`, answering first from what the context was given already
        (`Context.preloaded`: the event stream's appeal and organisation)."""

        async def answer(keys: list[Any]) -> list[Any]:
            given = self.context.preloaded
            missing = [k for k in keys if (name, k) not in given]
            fetched = dict(zip(missing, await load(missing), strict=True)) if missing else {}
            return [given[(name, k)] if (name, k) in given else fetched[k] for k in keys]

        return answer

    @cached_property
    def organisation(self) -> DataLoader[int, models.Organisation | None]:
        return self._loader(loaders.organisations_by_id, "organisation")

    @cached_property
    def organisation_by_code(self) -> DataLoader[str, models.Organisation | None]:
        """Organisations by code: a partner's `_entities` key."""
        return self._loader(loaders.organisations_by_code)

    @cached_property
    def region(self) -> DataLoader[int, models.Region | None]:
        return self._loader(loaders.regions_by_id)

    @cached_property
    def petitioner(self) -> DataLoader[int, models.Petitioner | None]:
        return self._loader(loaders.petitioners_by_id)

    @cached_property
    def assignments(self) -> DataLoader[int, list[models.Assignment]]:
        return self._loader(loaders.assignments_by_petition)

    @cached_property
    def events(self) -> DataLoader[int, list[models.PetitionEvent]]:
        """Each appeal's timeline as the caller is shown it."""
        return self._scoped(loaders.shown_events_by_petition)

    @cached_property
    def repeats(self) -> DataLoader[int, RepeatView]:
        """Each appeal's repeat history as far as the caller's slice holds it."""
        return self._scoped(repeat_views)

    @cached_property
    def petition(self) -> DataLoader[int, models.Petition | None]:
        """Appeals by id within the caller's slice."""
        return self._scoped(loaders.visible_petitions_by_id, "petition")

    @cached_property
    def risk(self) -> DataLoader[int, RiskView | None]:
        """Each appeal's risk as the caller sees it (the level, never a score)."""
        return self._scoped(risk_by_petition)

    @cached_property
    def personal_data_visible(self) -> DataLoader[int, bool]:
        return self._scoped(loaders.personal_data_visible)

    @cached_property
    def dispatch_suggestions(self) -> DataLoader[models.Petition, list[dispatch.Suggestion]]:
        """Each appeal's dispatch suggestions, empty unless the caller may dispatch it: the
        same statements for a page as for one appeal (`dispatch.petitions_suggestions`)."""

        async def load(rows: list[models.Petition]) -> list[list[dispatch.Suggestion]]:
            held = await self.assignments.load_many([row.id for row in rows])
            caller, now = self.context.caller, self.context.now
            async with self.context.database() as session:
                found = await dispatch.petitions_suggestions(
                    session=session, caller=caller, now=now, petitions=rows, assignments=held
                )
            return [suggested or [] for suggested in found]

        return DataLoader(load_fn=load)

    def _scoped(self, batch: Any, name: str = "") -> DataLoader[Any, Any]:
        async def load(keys: list[Any]) -> list[Any]:
            caller = self.context.caller
            async with self.context.database() as session:
                return await batch(session, caller, keys)

        return DataLoader(load_fn=self._preloaded(name, load) if name else load)


@dataclass
class Context:
    """What every field sees as `info.context`."""

    services: Services
    sessionmaker: async_sessionmaker[AsyncSession]
    request: Any = None
    response: Any = None
    request_id: str = ""
    maybe_caller: Caller | None = None
    connection_params: dict[str, Any] | None = None
    # Authenticates the caller again with the same credentials (long-lived streams).
    reauthenticate: Callable[[], Awaitable[Caller | None]] | None = None
    now: datetime = field(default_factory=models.utcnow)
    _session: AsyncSession | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Rows already read for this request, by (loader, key): a stream event's appeal (read
    # through the slice) and acting organisation. Loaders answer from these first.
    preloaded: dict[tuple[str, int], Any] = field(default_factory=dict)
    audit_path: audit.AuditPath = audit.AuditPath.GRAPHQL

    @property
    def caller(self) -> Caller:
        """The authenticated caller; asking for it without one is `UNAUTHENTICATED`."""
        if self.maybe_caller is None:
            raise Unauthenticated()
        return self.maybe_caller

    @contextlib.asynccontextmanager
    async def database(self) -> AsyncIterator[AsyncSession]:
        """The request's session, one user at a time.

        GraphQL resolves sibling fields concurrently, and an AsyncSession admits
        one operation at a time: every database use in a request goes through here.
        """
        async with self._lock:
            if self._session is None:
                self._session = self.sessionmaker()
            yield self._session

    async def call(self, resolver: Callable[..., Awaitable[T]], /, **kwargs: Any) -> T:
        """Run a domain function with the request's session and the caller."""
        caller = self.caller
        async with self.database() as session:
            return await resolver(session=session, caller=caller, **kwargs)

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self)

    @cached_property
    def disclosures(self) -> Disclosures:
        """What this request shows unmasked; audited once, when the request closes."""
        return Disclosures(self.caller, self.audit_path, {"requestId": self.request_id})

    @property
    def showed_personal_data(self) -> bool:
        """Whether this request (or this subscription event) showed personal data."""
        disclosures: Disclosures | None = self.__dict__.get("disclosures")
        return disclosures is not None and bool(disclosures.petition_ids)

    def fork(self) -> Context:
        """A fresh context for one operation of a WebSocket connection (the
        connection's context is shared by all its operations)."""
        return Context(
            services=self.services,
            sessionmaker=self.sessionmaker,
            request=self.request,
            response=self.response,
            request_id=uuid.uuid4().hex,
            maybe_caller=self.maybe_caller,
            connection_params=self.connection_params,
            reauthenticate=self.reauthenticate,
            audit_path=audit.AuditPath.SUBSCRIPTION,
        )

    async def next_event(self) -> None:
        """Start afresh for a subscription's next event: close the session, drop
        the loaders' cached rows, move `now` on."""
        await self.close()
        self.__dict__.pop("loaders", None)
        self.now = models.utcnow()

    async def close(self) -> None:
        """Write the request's audit entry, then close its session.

        A field still at work (its sibling failed and the operation ended) is
        waited for: closing under it would break its transaction.
        """
        async with self._lock:
            disclosures: Disclosures | None = self.__dict__.get("disclosures")
            if disclosures is not None and disclosures.pending:
                async with self.sessionmaker() as session:
                    await disclosures.record(session)
            if self._session is not None:
                await self._session.close()
                self._session = None
