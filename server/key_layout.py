"""Keys written before the layout had Redis Cluster hash tags are renamed once to today's names.

    before                     now
    Pcall:ID, Pcall:ID:PART    Pcall:{ID}, Pcall:{ID}:PART
    Pkb:REST                   P{kb}:REST
    Parchive:REST              P{archive}:REST

Done at start by servers and CLI commands on a single Redis (a Cluster never held the old names:
they would have needed cross-slot transactions). `Playout` records that it is done, so later starts
cost one GET. RENAMENX never overwrites a key that already has its new name; the old one is then
left in place and logged. Two processes starting at once both try; whichever renames a key first
wins and the other skips it.
"""

from __future__ import annotations

import re
from typing import Any

import structlog
from redis.exceptions import ResponseError

from kb.redis_keys import RedisKeys
from kb.redis_values import as_text
from server.redis_runtime import is_cluster

log = structlog.get_logger(__name__)

LAYOUT = "hash-tags-1"


def new_name(prefix: str, key: str) -> str | None:
    """Today's name of an old-layout key, or None if `key` is not one."""
    rest, keys = key[len(prefix) :], RedisKeys(prefix)
    if rest.startswith("call:") and not rest.startswith("call:{"):
        call_id, sep, part = rest[len("call:") :].partition(":")
        return f"{keys.call(call_id)}{sep}{part}" if call_id else None
    for space, today in (("kb", keys.kb_meta), ("archive", keys.archive_meta)):
        if rest.startswith(f"{space}:"):  # the same name under the space's hash tag
            return today.removesuffix("meta") + rest[len(space) + 1 :]
    return None


async def adopt_hash_tags(redis: Any, prefix: str) -> int:
    """Rename every old-layout key under `prefix`; returns how many were renamed."""
    if is_cluster(redis) or as_text(await redis.get(RedisKeys(prefix).layout) or b"") == LAYOUT:
        return 0
    renamed = 0
    glob = _escape_glob(prefix)
    for pattern in (f"{glob}call:*", f"{glob}kb:*", f"{glob}archive:*"):
        renamed += await _rename_matching(redis, prefix, pattern)
    await redis.set(RedisKeys(prefix).layout, LAYOUT)
    if renamed:
        log.info("redis_keys_renamed_to_hash_tags", count=renamed, prefix=prefix)
    return renamed


async def _rename_matching(redis: Any, prefix: str, pattern: str) -> int:
    old_keys = [as_text(raw) async for raw in redis.scan_iter(match=pattern, count=1000)]
    renamed = 0
    for key in old_keys:
        target = new_name(prefix, key)
        if target is None:
            continue
        try:
            if await redis.renamenx(key, target):
                renamed += 1
            else:
                log.warning("redis_key_not_renamed", key=key, exists=target)
        except ResponseError:  # gone meanwhile: another process renamed it
            continue
    return renamed


def _escape_glob(text: str) -> str:
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)
