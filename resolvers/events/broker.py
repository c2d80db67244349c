"""Wake-ups for event subscribers: in one process (memory) or across many (Redis).

What travels is only "events up to id N exist now", never the events: a woken
process reads them from the database once, through each slice's access scope
(`resolvers.events.feed.EventFeed`), so a lost or extra wake-up can delay an event, never
leak or lose one. A process's listeners are its feeds (one per database), not its
subscribers: a commit rings a handful of doorbells, whatever the number of subscribers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any, Protocol

from db.config import Settings

log = logging.getLogger("petition_hub.broker")

RECONNECT_DELAY = 1.0  # seconds between attempts to get Redis back


class Listener:
    """One doorbell: rung by every wake-up, waited on between reads."""

    def __init__(self) -> None:
        self.newest = 0
        # Rung without an id (Redis came back): whatever happened meanwhile is unknown.
        self.unknown = False
        self._rung = asyncio.Event()

    def wake(self, event_id: int) -> None:
        self.newest = max(self.newest, event_id)
        if event_id <= 0:
            self.unknown = True
        self._rung.set()

    async def wait(self, seconds: float) -> bool:
        """Wait for a wake-up for at most `seconds`; False when none came."""
        try:
            async with asyncio.timeout(seconds):
                await self._rung.wait()
            return True
        except TimeoutError:
            return False
        finally:
            self._rung.clear()


class Follower(Protocol):
    """What a broker asks of a feed attached to it (`resolvers.events.feed.EventFeed`)."""

    @property
    def following(self) -> int: ...


class Broker(Protocol):
    """What the app needs of a broker; `create_broker` picks the implementation."""

    kind: str
    # The event feeds of this process, one per sessionmaker (`resolvers.events.feed.feed_for`).
    feeds: dict[object, Any]

    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def ping(self) -> None: ...
    def listen(self) -> contextlib.AbstractAsyncContextManager[Listener]: ...
    def publish_soon(self, event_id: int) -> None: ...


class MemoryBroker:
    """Fan-out to the subscribers of this process (`memory://`)."""

    kind = "memory"

    def __init__(self) -> None:
        self._listeners: set[Listener] = set()
        self.feeds: dict[object, Any] = {}

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def ping(self) -> None:
        """Raise unless the broker answers (memory always does)."""
        return None

    @contextlib.asynccontextmanager
    async def listen(self) -> AsyncIterator[Listener]:
        """A listener woken by every publication while the block runs."""
        listener = Listener()
        self._listeners.add(listener)
        try:
            yield listener
        finally:
            self._listeners.discard(listener)

    @property
    def listening(self) -> int:
        """How many subscribers of this process follow the live stream now."""
        feeds: list[Follower] = list(self.feeds.values())
        return sum(feed.following for feed in feeds)

    def publish_soon(self, event_id: int) -> None:
        """Announce that events up to `event_id` are committed (call after commit)."""
        self.wake_local(event_id)

    def wake_local(self, event_id: int) -> None:
        for listener in list(self._listeners):
            listener.wake(event_id)


class RedisBroker(MemoryBroker):
    """Fan-out across workers and machines over one Redis pub/sub channel (`redis://…`).

    Each process keeps one subscription to the channel and rings its own
    listeners; publishing also rings them directly, so a Redis outage only
    costs the other processes their promptness (they still poll).
    """

    kind = "redis"

    def __init__(self, url: str, channel: str) -> None:
        super().__init__()
        self.url = url
        self.channel = channel
        self._redis: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: set[asyncio.Task[None]] = set()
        self._subscribed = asyncio.Event()

    async def start(self) -> None:
        """Connect and subscribe; returns once the subscription is confirmed (or failed)."""
        from redis import asyncio as aioredis

        self._redis = aioredis.from_url(self.url)
        self._subscribed = asyncio.Event()
        self._reader = asyncio.create_task(self._read_forever(), name="redis-broker")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await self._subscribed.wait()

    async def close(self) -> None:
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._redis is not None:
            await self._redis.aclose()

    async def ping(self) -> None:
        """Raise unless Redis answers within two seconds."""
        if self._redis is None:
            raise ConnectionError("the broker was not started")
        async with asyncio.timeout(2):
            await self._redis.ping()

    def publish_soon(self, event_id: int) -> None:
        self.wake_local(event_id)
        if self._redis is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # committed outside an event loop: the poll will do
            return
        task = loop.create_task(self._publish(event_id))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _publish(self, event_id: int) -> None:
        try:
            await self._redis.publish(self.channel, str(event_id))
        except Exception as error:  # the subscribers' poll will catch up
            log.warning("could not publish a wake-up to %s: %s", self.channel, error)

    async def _read_forever(self) -> None:
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=False)
            try:
                await pubsub.subscribe(self.channel)
                async for message in pubsub.listen():
                    if message["type"] == "subscribe":
                        self._subscribed.set()
                        # Whatever was published while we were away: look now.
                        self.wake_local(0)
                    elif message["type"] == "message":
                        self.wake_local(_event_id(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("redis broker lost %s (%s); retrying", self.channel, error)
                self._subscribed.set()  # nobody should wait for it at start-up
                await asyncio.sleep(RECONNECT_DELAY)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()


def _event_id(data: bytes | str) -> int:
    try:
        return int(data)
    except (TypeError, ValueError):
        return 0


def create_broker(settings: Settings) -> Broker:
    """The broker `settings.broker_url` names: `memory://` or `redis://…`."""
    url = settings.broker_url
    if url.startswith("memory:"):
        return MemoryBroker()
    if url.startswith(("redis:", "rediss:", "unix:")):
        return RedisBroker(url, settings.broker_channel)
    raise ValueError(f"PETITION_HUB_BROKER_URL must be memory:// or redis://…, not {url!r}")
