"""Retention: calls older than `CALLASSIST_ARCHIVE_RETENTION_DAYS` are deleted with everything
kept about them (hash, transcript, events, suggestions, feedback, summary, archive entry); the
agent's feed loses its events up to the end of each deleted call."""

from __future__ import annotations

from collections.abc import Collection

from redis.asyncio import Redis

from agent.assist.records import AssistRecords
from agent.store import CallStore
from kb.archive import CallArchive
from server.settings import Settings


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
    return deleted
