"""One blocking reader per process for every console feed.

A console feed needs to wake up when its event stream grows. Giving each feed its own blocking
`XREAD` would hold one Redis connection per open console for as long as it is open, and the pool
that ingest and REST share would run dry at about a hundred sidebars. Instead one task here runs
a single `XREAD BLOCK` over every stream some feed is waiting on, on a connection of its own, and
wakes the feeds whose stream grew; each feed then reads its new events with a short, non-blocking
`XRANGE` from the shared pool. Consoles therefore cost Redis nothing while they are idle, and no
number of them can starve a call.

A feed registers before it reads (`watching`), so an event written between its read and its wait
is never missed: the reader asks Redis for everything after the oldest id any waiter has seen.
A stream added while the reader is blocked is picked up at once through a wake-up stream of this
hub's own. If Redis fails, the reader retries with back-off; feeds keep polling on their timeout,
so they stay correct (only slower) until it is back. `limit` bounds the feeds one process serves.

On a Redis Cluster one XREAD cannot span streams of different slots, and every call's events
stream has a slot of its own, so there the reader polls instead: every `poll_ms` one pipelined,
non-blocking XREAD per watched stream (one round trip per node), at the cost of up to `poll_ms`
of added latency and one read per watched stream per round.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

import structlog
from redis.asyncio import Redis

from agent.readers import stop_reader
from kb.redis_keys import RedisKeys
from kb.redis_values import as_text, stream_id_order
from server.redis_runtime import is_cluster

log = structlog.get_logger(__name__)


class TooManyFeeds(Exception):
    """The process serves `limit` feeds already."""


@dataclass
class _Watched:
    after: str  # the reader asks for entries after this id
    waiters: int = 0
    grew: asyncio.Event = field(default_factory=asyncio.Event)  # set once, then replaced, per growth


class FeedHub:
    def __init__(
        self, redis: Redis, prefix: str, *, limit: int, block_ms: int = 5_000, poll_ms: int = 50
    ) -> None:
        self.redis = redis  # a client of its own: the blocking read never holds a shared connection
        self.limit = limit
        self.block_ms = block_ms
        self.poll_s = poll_ms / 1000
        self.polling = is_cluster(redis)
        self.wake_key = RedisKeys(prefix).feedhub_wake(uuid.uuid4().hex[:12])
        self._watched: dict[str, _Watched] = {}
        self._feeds = 0
        self._open: Counter[str] = Counter()  # stream → feeds open on it
        self._task: asyncio.Task[None] | None = None

    @property
    def feeds(self) -> int:
        return self._feeds

    def start(self) -> None:
        if self._task is None:
            reader = self._poll_forever() if self.polling else self._read_forever()
            self._task = asyncio.create_task(reader, name="feed-hub")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            await stop_reader(task, self.redis)
        if not self.polling:
            with contextlib.suppress(Exception):
                await self.redis.delete(self.wake_key)
        await self.redis.aclose()

    @contextlib.asynccontextmanager
    async def feed(self, stream: str) -> AsyncIterator[None]:
        """One open console feed of `stream` for as long as the block runs; TooManyFeeds past the limit."""
        if self._feeds >= self.limit:
            raise TooManyFeeds(f"this server serves {self.limit} console feeds already")
        self._feeds += 1
        self._open[stream] += 1
        try:
            yield
        finally:
            self._feeds -= 1
            self._open[stream] -= 1
            if not self._open[stream]:
                del self._open[stream]

    def serves_any(self, streams: Iterable[str]) -> bool:
        """Whether a feed of any of `streams` is still open here."""
        return any(stream in self._open for stream in streams)

    @contextlib.asynccontextmanager
    async def watching(self, stream: str, after: str) -> AsyncIterator[_Watched]:
        """Register interest in `stream` past `after`; `wait_for_growth` then returns when it grows."""
        watched = self._watched.get(stream)
        if watched is None:
            watched = self._watched[stream] = _Watched(after)
        elif stream_id_order(after) < stream_id_order(watched.after):
            watched.after = after
        watched.waiters += 1
        await self._wake()
        try:
            yield watched
        finally:
            watched.waiters -= 1
            if watched.waiters == 0 and self._watched.get(stream) is watched:
                del self._watched[stream]

    @staticmethod
    async def wait_for_growth(growth: asyncio.Event, timeout_s: float) -> None:
        """Until the stream grows after `growth` was taken (`watched.grew`, read before the feed's
        own read of the stream), or `timeout_s` (then the feed reads anyway)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(growth.wait(), timeout_s)

    async def _wake(self) -> None:
        """Make a blocked read return, so that it includes a newly watched stream."""
        if self._task is None or self.polling:
            return  # a poll round picks the new stream up by itself
        with contextlib.suppress(Exception):
            await self.redis.xadd(self.wake_key, {"w": "1"}, maxlen=1, approximate=False)
            await self.redis.pexpire(self.wake_key, 60_000)

    async def _read_forever(self) -> None:
        backoff = 0.1
        wake_after = "0"
        while True:
            try:
                streams: dict[Any, Any] = {s: w.after for s, w in self._watched.items()}
                streams[self.wake_key] = wake_after
                result: Any = await self.redis.xread(streams, count=100, block=self.block_ms)
                backoff = 0.1
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis down or restarting: feeds poll meanwhile
                log.warning("feed_hub_read_failed", error=repr(exc), retry_in_s=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            for key, entries in result or []:
                if not entries:
                    continue
                name, last = as_text(key), as_text(entries[-1][0])
                if name == self.wake_key:
                    wake_after = last
                else:
                    self._grew(name, last)

    async def _poll_forever(self) -> None:
        backoff = self.poll_s
        while True:
            await asyncio.sleep(backoff)
            streams = {s: w.after for s, w in self._watched.items()}
            if not streams:
                continue
            try:
                async with self.redis.pipeline(transaction=False) as pipe:
                    for stream, after in streams.items():
                        pipe.xread({stream: after}, count=100)
                    results: list[Any] = await pipe.execute()
                backoff = self.poll_s
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a node down or failing over: feeds poll meanwhile
                backoff = min(max(backoff * 2, 0.1), 5.0)
                log.warning("feed_hub_read_failed", error=repr(exc), retry_in_s=backoff)
                continue
            for result in results:
                for key, entries in result or []:
                    if entries:
                        self._grew(as_text(key), as_text(entries[-1][0]))

    def _grew(self, stream: str, last: str) -> None:
        watched = self._watched.get(stream)
        if watched is not None:
            if stream_id_order(last) > stream_id_order(watched.after):
                watched.after = last
            watched.grew.set()
            watched.grew = asyncio.Event()
