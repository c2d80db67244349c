"""Publishing after commit, in one place: a session that wrote events rings the broker
once its transaction has committed — never before, never for a rollback."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from db import models
from resolvers.events.broker import Broker

NEWEST = "petition_hub.newest_event_id"


def publish_after_commit(
    sessionmaker: async_sessionmaker[AsyncSession], broker: Broker
) -> None:
    """Make every session of `sessionmaker` announce the events it commits to `broker`."""
    base = sessionmaker.kw.get("sync_session_class") or Session

    class PublishingSession(base):  # type: ignore[valid-type, misc]
        """A session whose committed events wake the broker's subscribers."""

    def note_events(session: Session, _flush_context: Any) -> None:
        ids = [obj.id for obj in session.new if isinstance(obj, models.PetitionEvent)]
        if ids:
            session.info[NEWEST] = max(session.info.get(NEWEST, 0), *ids)

    def publish(session: Session) -> None:
        newest = session.info.pop(NEWEST, None)
        if newest is not None:
            broker.publish_soon(newest)

    def forget(session: Session) -> None:
        session.info.pop(NEWEST, None)

    event.listen(PublishingSession, "after_flush", note_events)
    event.listen(PublishingSession, "after_commit", publish)
    event.listen(PublishingSession, "after_rollback", forget)
    sessionmaker.configure(sync_session_class=PublishingSession)
