"""Publishing after commit, in one place: a session that wrote events rings the broker
once its transaction has committed — never before, never for a rollback."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from db import models
from resolvers import metrics
from resolvers.events.broker import Broker

NEWEST = "petition_hub.newest_event_id"
KINDS = "petition_hub.event_kinds"


def publish_after_commit(sessionmaker: async_sessionmaker[AsyncSession], broker: Broker) -> None:
    """Make every session of `sessionmaker` announce the events it commits to `broker`."""
    base = sessionmaker.kw.get("sync_session_class") or Session

    class PublishingSession(base):  # type: ignore[valid-type, misc]
        """A session whose committed events wake the broker's subscribers."""

    def note_events(session: Session, _flush_context: Any) -> None:
        written = [obj for obj in session.new if isinstance(obj, models.PetitionEvent)]
        if written:
            session.info[NEWEST] = max(session.info.get(NEWEST, 0), *(e.id for e in written))
            session.info.setdefault(KINDS, []).extend(e.kind.name for e in written)

    def publish(session: Session) -> None:
        newest = session.info.pop(NEWEST, None)
        for kind in session.info.pop(KINDS, ()):
            metrics.EVENTS_WRITTEN.labels(kind).inc()
        if newest is not None:
            broker.publish_soon(newest)
            metrics.WAKEUPS_PUBLISHED.inc()

    def forget(session: Session) -> None:
        session.info.pop(NEWEST, None)
        session.info.pop(KINDS, None)

    event.listen(PublishingSession, "after_flush", note_events)
    event.listen(PublishingSession, "after_commit", publish)
    event.listen(PublishingSession, "after_rollback", forget)
    sessionmaker.configure(sync_session_class=PublishingSession)


def note_written(session: AsyncSession, events: list[tuple[int, str]]) -> None:
    """Events a statement wrote past the ORM's unit of work (intake's one `INSERT …
    RETURNING`, `resolvers/appeals/registering.py`), given as (id, kind name): announced
    after commit like flushed ones, and forgotten on rollback."""
    if events:
        info = session.info
        info[NEWEST] = max(info.get(NEWEST, 0), *(event_id for event_id, _ in events))
        info.setdefault(KINDS, []).extend(kind for _, kind in events)
