"""Data stored under the key names used before Cluster hash tags is renamed once, at start, to
today's names, and is then read as usual: the call, its transcript and summary, the guides."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from agent.assist.records import AssistRecords
from agent.store import CallStore
from kb.document_store import DocumentStore
from kb.redis_keys import RedisKeys
from server.key_layout import LAYOUT, adopt_hash_tags, new_name


def test_old_names_map_to_hash_tagged_ones() -> None:
    assert new_name("ca:", "ca:call:c-1") == "ca:call:{c-1}"
    assert new_name("ca:", "ca:call:c-1:events") == "ca:call:{c-1}:events"
    assert new_name("ca:", "ca:call:{c-1}:events") is None  # already today's
    assert new_name("ca:", "ca:kb:chunk:doc#3") == "ca:{kb}:chunk:doc#3"
    assert new_name("ca:", "ca:archive:call:c-1") == "ca:{archive}:call:c-1"
    assert new_name("ca:", "ca:calls:live") is None and new_name("ca:", "ca:agent:a:events") is None


async def test_an_old_layout_is_renamed_once_and_read(redis: Redis, prefix: str) -> None:
    await redis.hset(f"{prefix}call:old-1", mapping={"call_id": "old-1", "agent_id": "a", "status": "ended",
                                                      "started_at": "1.0", "end_reason": json.dumps("stop")})  # fmt: skip
    await redis.xadd(f"{prefix}call:old-1:transcript", {"seq": "0", "role": "customer", "text": "요금 문의"})
    await redis.set(f"{prefix}call:old-1:summary", json.dumps({"kind": "final"}))
    await redis.hset(f"{prefix}kb:meta", mapping={"embedder": "lexical", "dim": "0", "version": "3"})
    await redis.hset(f"{prefix}archive:call:old-1", mapping={"agent_id": "a"})
    await redis.set(f"{prefix}call:{{old-1}}:summary", json.dumps({"kind": "newer"}))  # already there

    assert await adopt_hash_tags(redis, prefix) == 4
    store = CallStore(redis, prefix)
    call = await store.get_call("old-1")
    assert call is not None and call["end_reason"] == "stop"
    assert [row["text"] for row in await store.transcript("old-1")] == ["요금 문의"]
    assert (await AssistRecords(store).summary("old-1")) == {"kind": "newer"}  # never overwritten
    assert await redis.exists(f"{prefix}call:old-1:summary")  # left where it was, and logged
    assert await redis.hget(DocumentStore(redis, prefix).keys.kb_meta, "version") == b"3"
    assert await redis.exists(f"{prefix}{{archive}}:call:old-1")
    assert await redis.get(RedisKeys(prefix).layout) == LAYOUT.encode()
    assert await adopt_hash_tags(redis, prefix) == 0  # once
