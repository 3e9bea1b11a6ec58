"""Redis layout of calls, transcripts and event feeds (documented in docs/redis-layout.md).
P is the key prefix; braces are literal: `{ID}` is the call's Cluster hash tag.

    Pcall:{ID}               hash    call metadata (agent_id, status, format, roles, times, end reason)
    Pcall:{ID}:lease         string  owner token of the live call, with a TTL refreshed while it runs
    Pcall:{ID}:transcript    stream  one entry per final segment (channel, role, start, end, text …)
    Pcall:{ID}:events        stream  everything the console shows for this call
    Pagent:AGENT:events      stream  a copy of every event of that agent's calls (sidebar feed)
    Pcalls:live              zset    live call ids by start time
    Pcalls:all               zset    every call id by start time
    Pagent:AGENT:calls       zset    that agent's call ids by start time

Every key of one call shares the hash tag `{ID}`, so in a Redis Cluster they live in one slot and
the call's writes that belong together go in one MULTI/EXEC transaction: a transcript segment and
its announcement are written in the same transaction, the segment first, so no console can see a
segment that is not stored. Keys of other slots are never in that transaction: the call indexes are
written before the call (a listed id without a call is skipped; a call missing from the live index
could not be swept), and the agent's feed gets a copy of each event after the call's own feed has
it, carrying the original id (`call_event`). One call's event writes are serialized in this
process, so its events reach the agent's feed in the order of its own feed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import weakref
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from agent.events import TranscriptSegment
from agent.feed import CallEnded, CallStarted, CallTransferred, FeedEvent, Final, event_type
from kb.redis_keys import RedisKeys
from kb.redis_values import as_text, stream_id_order

# Compare-and-delete / compare-and-refresh: only the owner of a lease may touch it.
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
_REFRESH = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0"


@dataclass(frozen=True)
class StoredEvent:
    id: str
    type: str
    data: dict[str, Any]

    def to_message(self) -> dict[str, Any]:
        return {**self.data, "id": self.id, "type": self.type}  # the stream's id and type always win


class CallStore:
    def __init__(self, redis: Redis, prefix: str, events_max_len: int = 10_000) -> None:
        # redis-py annotates results as unions of its sync/async and RESP2/RESP3 shapes; this
        # module is the one place that reads them, and decodes them explicitly.
        self.redis: Any = redis
        self.prefix = prefix
        self.keys = RedisKeys(prefix)
        self.events_max_len = events_max_len
        self._writing: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        # call → the agent it was transferred to, while it is live: a write that was on its way to
        # the previous agent when the transfer took the call's turn goes to the new one instead
        self._moved: dict[str, str] = {}

    @contextlib.asynccontextmanager
    async def _in_order(self, call_id: str) -> AsyncIterator[None]:
        """One call's event writes one at a time (the lock lives while someone holds or awaits it)."""
        lock = self._writing.get(call_id)
        if lock is None:
            lock = self._writing[call_id] = asyncio.Lock()
        async with lock:
            yield

    # --- liveness lease ----------------------------------------------------------------------
    async def acquire_lease(self, call_id: str, owner: str, ttl_ms: int) -> bool:
        return bool(await self.redis.set(self.keys.lease(call_id), owner, nx=True, px=ttl_ms))

    async def refresh_lease(self, call_id: str, owner: str, ttl_ms: int) -> bool:
        return bool(await self.redis.eval(_REFRESH, 1, self.keys.lease(call_id), owner, ttl_ms))

    async def release_lease(self, call_id: str, owner: str) -> None:
        await self.redis.eval(_RELEASE, 1, self.keys.lease(call_id), owner)

    # --- calls -------------------------------------------------------------------------------
    async def call_exists(self, call_id: str) -> bool:
        return bool(await self.redis.exists(self.keys.call(call_id)))

    async def get_call(self, call_id: str) -> dict[str, Any] | None:
        raw = await self.redis.hgetall(self.keys.call(call_id))
        return _decode_call(raw) if raw else None

    async def start_call(self, call_id: str, agent_id: str, meta: Mapping[str, Any]) -> StoredEvent:
        now = time.time()
        fields = {
            "call_id": call_id,
            "agent_id": agent_id,
            "status": "live",
            "started_at": f"{now:.3f}",
            **{k: json.dumps(v, ensure_ascii=False) for k, v in meta.items()},
        }
        event = CallStarted(call_id=call_id, agent_id=agent_id, started_at=round(now, 3), **meta)
        async with self.redis.pipeline(transaction=False) as pipe:  # indexes first (see above)
            pipe.zadd(self.keys.live_calls, {call_id: now})
            pipe.zadd(self.keys.all_calls, {call_id: now})
            pipe.zadd(self.keys.agent_calls(agent_id), {call_id: now})
            await pipe.execute()
        return await self.announce(
            agent_id, event, lambda pipe: pipe.hset(self.keys.call(call_id), mapping=fields)
        )

    async def end_call(self, call_id: str, agent_id: str, reason: str, audio_seconds: float) -> StoredEvent:
        now = time.time()
        event = CallEnded(
            call_id=call_id, reason=reason, audio_seconds=round(audio_seconds, 3), ended_at=round(now, 3)
        )
        fields = {
            "status": "ended",
            "ended_at": f"{now:.3f}",
            "end_reason": json.dumps(reason),
            "audio_seconds": f"{audio_seconds:.3f}",
        }
        stored = await self.announce(
            agent_id, event, lambda pipe: pipe.hset(self.keys.call(call_id), mapping=fields)
        )
        await self.redis.zrem(
            self.keys.live_calls, call_id
        )  # after: an ended call still listed reads as ended
        self._moved.pop(call_id, None)  # the session itself announces to its current agent from here
        return stored

    async def list_calls(
        self, *, live: bool, agent_id: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Calls newest first. A live call whose server vanished (lease expired) is not listed as
        live; it shows as live among all calls until a server's sweeper has ended it."""
        if live:
            ids = [as_text(i) for i in await self.redis.zrevrange(self.keys.live_calls, 0, -1)]
        else:
            index = self.keys.all_calls if agent_id is None else self.keys.agent_calls(agent_id)
            ids = [as_text(i) for i in await self.redis.zrevrange(index, 0, limit - 1)]
        async with self.redis.pipeline(transaction=False) as pipe:
            for call_id in ids:
                pipe.hgetall(self.keys.call(call_id))
                pipe.exists(self.keys.lease(call_id))
            rows = await pipe.execute()
        calls: list[dict[str, Any]] = []
        for raw, leased in zip(rows[::2], rows[1::2], strict=True):
            if not raw:
                continue
            call = _decode_call(raw)
            if live and (not leased or call.get("status") != "live"):
                continue  # its server is gone: a sweeper ends it (server/services.py)
            if agent_id is None or call.get("agent_id") == agent_id:
                calls.append(call)
            if len(calls) >= limit:
                break
        return calls

    async def calls_started_before(self, cutoff: float) -> list[str]:
        return [as_text(c) for c in await self.redis.zrangebyscore(self.keys.all_calls, "-inf", f"({cutoff}")]

    async def delete_call(self, call_id: str, extra_keys: list[str] | tuple[str, ...] = ()) -> None:
        """Delete a call: its hash, transcript, events, index entries and `extra_keys`, and every
        copy of its events on the agent's feed (matched exactly: by call id, or by the id of the
        call-feed event it copies), nothing of other calls."""
        call = await self.get_call(call_id)
        copied = {
            as_text(entry_id) for entry_id, _ in await self.redis.xrange(self.keys.call_events(call_id))
        }
        async with self.redis.pipeline(transaction=True) as pipe:  # the call's own slot
            pipe.delete(
                self.keys.call(call_id),
                self.keys.lease(call_id),
                self.keys.transcript(call_id),
                self.keys.call_events(call_id),
                *extra_keys,
            )
            await pipe.execute()
        async with self.redis.pipeline(transaction=False) as pipe:  # indexes: their own slots
            pipe.zrem(self.keys.live_calls, call_id)
            pipe.zrem(self.keys.all_calls, call_id)
            if call is not None:
                pipe.zrem(self.keys.agent_calls(call["agent_id"]), call_id)
            await pipe.execute()
        if call is not None:
            await self._delete_feed_copies(self.keys.agent_events(call["agent_id"]), call_id, copied)

    async def _delete_feed_copies(
        self, feed: str, call_id: str, call_events: set[str], page: int = 1000
    ) -> None:
        """XDEL the entries of `feed` that belong to `call_id`, reading the feed a page at a time
        (it is capped at `events_max_len`)."""
        after = "-"
        while True:
            entries = await self.redis.xrange(feed, min=after, count=page)
            if not entries:
                return
            doomed = []
            for entry_id, fields in entries:
                decoded = _decode_fields(fields)
                if decoded.get("call_id") == call_id or decoded.get("call_event") in call_events:
                    doomed.append(entry_id)
            if doomed:
                await self.redis.xdel(feed, *doomed)
            if len(entries) < page:
                return
            after = f"({as_text(entries[-1][0])}"

    async def note_progress(self, call_id: str, audio_seconds: float) -> None:
        """How much audio a live call has received (kept with it, for when its server dies)."""
        await self.redis.hset(self.keys.call(call_id), "audio_seconds", f"{audio_seconds:.3f}")

    async def lost_calls(self) -> list[dict[str, Any]]:
        """Calls stored as live whose lease has expired: their server is gone."""
        ids = [as_text(i) for i in await self.redis.zrange(self.keys.live_calls, 0, -1)]
        async with self.redis.pipeline(transaction=False) as pipe:
            for call_id in ids:
                pipe.hgetall(self.keys.call(call_id))
                pipe.exists(self.keys.lease(call_id))
            rows = await pipe.execute()
        calls = [
            _decode_call(raw) for raw, leased in zip(rows[::2], rows[1::2], strict=True) if raw and not leased
        ]
        return [call for call in calls if call["status"] == "live"]

    async def claim_lost_call(self, call_id: str, owner: str, ttl_ms: int = 60_000) -> bool:
        """One server ends a lost call: the first to claim it (the claim expires by itself)."""
        return bool(await self.redis.set(self.keys.sweep(call_id), owner, nx=True, px=ttl_ms))

    async def end_lost_call(self, call: dict[str, Any]) -> None:
        """End a call whose server stopped without ending it (killed, or Redis restored from its AOF)."""
        await self.end_call(
            call["call_id"], call["agent_id"], "server_lost", float(call.get("audio_seconds", 0.0))
        )

    # --- transcript and events ---------------------------------------------------------------
    async def announce(
        self, agent_id: str, event: FeedEvent, before: Callable[[Any], Any] | None = None
    ) -> StoredEvent:
        """Write `event` to its call's feed (after `before`, the call's own writes, in the same
        transaction) and then to the agent's feed."""
        return await self._write_event(agent_id, event, before)

    async def announce_to_agent(self, agent_id: str, event: FeedEvent) -> None:
        """An event about a call that never started: on the agent's feed only (there is no call)."""
        await self.redis.xadd(
            self.keys.agent_events(agent_id),
            {"type": event_type(event), "data": event.model_dump_json(), "call_id": event.call_id},
            maxlen=self.events_max_len,
            approximate=True,
        )

    async def append_segment(self, call_id: str, agent_id: str, segment: TranscriptSegment) -> StoredEvent:
        """Store a final segment and announce it in one transaction: the transcript entry is
        written before the event, and both land or neither does."""
        return await self.announce(
            agent_id,
            Final.of(call_id, segment),
            lambda pipe: pipe.xadd(self.keys.transcript(call_id), segment.to_fields()),
        )

    async def last_text(self, call_id: str, role: str, lookback: int = 20) -> str | None:
        """The newest non-empty final text of `role` among the last `lookback` segments."""
        for _, fields in await self.redis.xrevrange(self.keys.transcript(call_id), count=lookback):
            row = _decode_fields(fields)
            if row.get("role") == role and row.get("text"):
                return row["text"]
        return None

    async def transcript(self, call_id: str) -> list[dict[str, str]]:
        entries = await self.redis.xrange(self.keys.transcript(call_id))
        return [{"id": as_text(entry_id), **_decode_fields(fields)} for entry_id, fields in entries]

    async def _write_event(
        self, agent_id: str, event: FeedEvent, before: Callable[[Any], Any] | None = None
    ) -> StoredEvent:
        """In one transaction on the call's slot: `before` (the call's own writes), then the event
        on the call's feed; then its copy on the agent's feed (another slot). One at a time per call.
        Only documented events reach a console: each is a model of agent/feed.py."""
        call_id, type_, data = event.call_id, event_type(event), event.model_dump(mode="json")
        text = json.dumps(data, ensure_ascii=False)
        async with self._in_order(call_id):
            agent_id = self._moved.get(call_id, agent_id)
            async with self.redis.pipeline(transaction=True) as pipe:
                if before is not None:
                    before(pipe)
                pipe.xadd(
                    self.keys.call_events(call_id),
                    {"type": type_, "data": text},
                    maxlen=self.events_max_len,
                    approximate=True,
                )
                results = await pipe.execute()
            stored = StoredEvent(as_text(results[-1]), type_, data)
            await self.redis.xadd(
                self.keys.agent_events(agent_id),
                {"type": type_, "data": text, "call_event": stored.id, "call_id": call_id},
                maxlen=self.events_max_len,
                approximate=True,
            )
        return stored

    async def transfer_call(self, call_id: str, old_agent: str, new_agent: str, by: str) -> StoredEvent:
        """The call is now `new_agent`'s: the call hash says so (and keeps who had it before), it
        joins the new agent's list, `call_transferred` is announced on the call's feed and both
        agents' feeds, and the new agent's feed gets a copy of the call's events so far (not
        partials, speech starts or streaming deltas), so their sidebar opens with the transcript,
        suggestions and summary. One at a time with the call's other writes."""
        call = await self.get_call(call_id)
        previous = [*(call or {}).get("previous_agents", []), old_agent]
        moved = CallTransferred(call_id=call_id, from_agent=old_agent, to_agent=new_agent, by=by,
                                at=round(time.time(), 3))  # fmt: skip
        data = moved.model_dump(mode="json")
        text = json.dumps(data, ensure_ascii=False)
        async with self._in_order(call_id):
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.hset(
                    self.keys.call(call_id),
                    mapping={
                        "agent_id": new_agent,
                        "previous_agents": json.dumps(list(dict.fromkeys(previous))),
                    },
                )
                pipe.xadd(self.keys.call_events(call_id), {"type": "call_transferred", "data": text},
                          maxlen=self.events_max_len, approximate=True)  # fmt: skip
                results = await pipe.execute()
            event = StoredEvent(as_text(results[-1]), "call_transferred", data)
            self._moved[call_id] = new_agent
            started = float((call or {}).get("started_at") or time.time())
            await self.redis.zadd(self.keys.agent_calls(new_agent), {call_id: started})
            await self.redis.xadd(
                self.keys.agent_events(old_agent),
                {"type": "call_transferred", "data": text, "call_event": event.id, "call_id": call_id},
                maxlen=self.events_max_len, approximate=True,
            )  # fmt: skip
            for entry_id, fields in await self.redis.xrange(self.keys.call_events(call_id), "-", event.id):
                if as_text(fields.get(b"type", b"")) in _NOT_COPIED_ON_TRANSFER:
                    continue
                await self.redis.xadd(
                    self.keys.agent_events(new_agent),
                    {**fields, b"call_event": entry_id, b"call_id": call_id.encode()},
                    maxlen=self.events_max_len, approximate=True,
                )  # fmt: skip
        return event

    async def read_events(self, stream: str, after: str, count: int = 500) -> list[StoredEvent]:
        """Events strictly after `after` ("0" for all), oldest first."""
        entries = await self.redis.xrange(stream, min=f"({after}" if after != "0" else "-", count=count)
        return [_to_event(entry_id, fields) for entry_id, fields in entries]

    async def last_event_of_type(self, stream: str, type_: str, lookback: int) -> str | None:
        """Id of the newest `type_` event among the last `lookback` events of `stream`."""
        for entry_id, fields in await self.redis.xrevrange(stream, count=lookback):
            if fields.get(b"type") == type_.encode():
                return as_text(entry_id)
        return None

    async def oldest_event_id(self, stream: str, lookback: int) -> str | None:
        """Id of the oldest among the last `lookback` events of `stream`."""
        entries = await self.redis.xrevrange(stream, count=lookback)
        return as_text(entries[-1][0]) if entries else None

    async def first_retained_after_gap(self, stream: str, after: str) -> str | None:
        """If entries after `after` were trimmed away (MAXLEN), the id of the first entry still kept.

        Trimming removes from the head, so when the stream has lost entries (`entries-added` >
        `length`) every lost id lies below the first retained one. A reader positioned below that
        id may have missed some; the rare reader positioned exactly on the last trimmed id is told
        too, which costs it nothing."""
        try:
            info = await self.redis.xinfo_stream(stream)
        except ResponseError:  # no such stream yet
            return None
        first = info.get("first-entry")
        if first is None or int(info.get("entries-added", 0)) <= int(info.get("length", 0)):
            return None
        first_id = as_text(first[0])
        return first_id if stream_id_order(after) < stream_id_order(first_id) else None


def _decode_fields(fields: Mapping[Any, Any]) -> dict[str, str]:
    return {as_text(k): as_text(v) for k, v in fields.items()}


def _to_event(entry_id: Any, fields: Mapping[Any, Any]) -> StoredEvent:
    decoded = _decode_fields(fields)
    return StoredEvent(as_text(entry_id), decoded["type"], json.loads(decoded["data"]))


_NOT_COPIED_ON_TRANSFER = {"partial", "speech_started", "suggestion_delta"}
_PLAIN_CALL_FIELDS = {"call_id", "agent_id", "status", "started_at", "ended_at", "audio_seconds"}


def _decode_call(raw: Mapping[Any, Any]) -> dict[str, Any]:
    call: dict[str, Any] = {}
    for key, value in _decode_fields(raw).items():
        if key in _PLAIN_CALL_FIELDS:
            call[key] = float(value) if key in ("started_at", "ended_at", "audio_seconds") else value
        else:
            call[key] = json.loads(value)
    return call
