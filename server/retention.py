"""Retention: calls older than `CALLASSIST_ARCHIVE_RETENTION_DAYS` are deleted with everything
kept about them (hash, transcript, events, suggestions, feedback, summary, archive entry, and
every copy of its events on the agent's feed); then Redis rewrites its append-only file, so that
what was deleted leaves the disk too (the old AOF still held it)."""

from __future__ import annotations

from collections.abc import Collection

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from agent.assist.records import AssistRecords
from agent.store import CallStore
from kb.archive import CallArchive
from server.settings import Settings

log = structlog.get_logger(__name__)


async def delete_calls_before(
    redis: Redis,
    settings: Settings,
    cutoff: float,
    archive: CallArchive | None = None,
    live: Collection[str] = (),
) -> list[str]:
    """Delete every call that started before `cutoff` (epoch seconds), except `live` ones."""
    from server.components import open_archive

    store = CallStore(redis, settings.redis_prefix, settings.events_max_len)
    archive = archive or await open_archive(redis, settings)
    ids = set(await store.calls_started_before(cutoff)) | set(await archive.calls_before(cutoff))
    records = AssistRecords(store)
    deleted = []
    for call_id in sorted(ids - set(live)):
        call = await store.get_call(call_id)
        if call is not None and call.get("status") == "live":
            continue  # still streaming somewhere
        await archive.delete_call(call_id)
        await store.delete_call(call_id, records.keys(call_id))
        deleted.append(call_id)
    if deleted:
        await rewrite_append_only_file(redis)
    return deleted


async def rewrite_append_only_file(redis: Redis, wait_s: float = 60.0) -> bool:
    """Start an AOF rewrite (BGREWRITEAOF): the new file holds only what Redis holds now, and the
    old one, with the deleted calls in it, is removed when the rewrite completes. A rewrite already
    running began before the deletion, so it is waited for (up to `wait_s`) and another started.
    False (logged) where the Redis refuses it (a managed service) or it could not start in time."""
    import asyncio
    import time

    from redis.asyncio.cluster import RedisCluster
    from redis.exceptions import RedisClusterException

    deadline = time.monotonic() + wait_s
    while True:
        try:
            if isinstance(redis, RedisCluster):  # every node holds some of what was deleted
                await redis.bgrewriteaof(target_nodes=RedisCluster.PRIMARIES)
            else:
                await redis.bgrewriteaof()
            return True
        except (RedisError, RedisClusterException) as exc:
            if "in progress" not in str(exc) or time.monotonic() > deadline:
                log.warning("aof_rewrite_not_started", error=str(exc))
                return False
        await asyncio.sleep(0.2)
