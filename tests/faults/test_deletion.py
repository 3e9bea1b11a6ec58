"""Deletion and retention remove every trace: the call's keys, its archive entry, every copy of its
events on the agent's feed (exactly: another call of the same agent keeps its own), and, after the
append-only file is rewritten, its words on disk. A CLI command that would read or delete calls
from a data directory that was never a server's says where it looked instead of answering from an
empty store."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from redis.asyncio import Redis

from agent.events import Role, TranscriptSegment
from agent.store import CallStore
from kb.redis_values import as_text
from server.retention import delete_calls_before
from server.settings import Settings
from tests.helpers.calls import call_meta


async def _call(store: CallStore, call_id: str, words: str) -> None:
    await store.start_call(call_id, "agent-a", call_meta())
    segment = TranscriptSegment(0, 0, Role.CUSTOMER, 0.0, 1.5, "silence", words, source="script")
    await store.append_segment(call_id, "agent-a", segment)
    await store.end_call(call_id, "agent-a", "stop", 2.0)


def on_disk(directory: Path, words: str) -> bool:
    """Whether any append-only file under `directory` holds `words`."""
    return any(
        words.encode() in p.read_bytes() for p in directory.rglob("*") if p.is_file() and ".aof" in p.name
    )


async def _rewrite_done(redis: Redis) -> None:
    for _ in range(300):
        info = await redis.info("persistence")
        if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the AOF rewrite did not finish")


async def test_deleted_calls_leave_no_trace_in_feeds_or_on_disk(redis: Redis, settings: Settings) -> None:
    store = CallStore(redis, settings.redis_prefix, settings.events_max_len)
    gone, kept = f"zebra{uuid.uuid4().hex}", f"heron{uuid.uuid4().hex}"
    await _call(store, "del-1", f"제 이름은 {gone} 입니다")
    await _call(store, "del-2", f"다른 통화 {kept} 입니다")
    aof = Path(as_text((await redis.config_get("dir"))["dir"]))
    await redis.bgrewriteaof()  # let the words reach the AOF the way a long-running server's would
    await _rewrite_done(redis)
    await asyncio.sleep(1.2)  # appendfsync everysec
    assert on_disk(aof, gone)

    deleted = await delete_calls_before(redis, settings, time.time() + 1, live=("del-2",))
    assert deleted == ["del-1"]
    feed = await store.read_events(store.keys.agent_events("agent-a"), "0", 10_000)
    left = [(e.id, e.type, e.data) for e in feed if gone in str(e.data)]
    assert not left, left  # exactly its own copies, by id (what is left, to say which copy stayed)
    assert any(kept in str(e.data) for e in feed)
    assert await store.get_call("del-1") is None and await store.get_call("del-2") is not None
    await _rewrite_done(redis)
    await asyncio.sleep(1.2)
    assert not on_disk(aof, gone) and on_disk(aof, kept)


def test_a_data_directory_that_was_never_a_servers_is_refused(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLASSIST_")}
    env |= {
        "CALLASSIST_DATA_DIR": "relative/data",
        "CALLASSIST_CACHE_DIR": os.environ.get("CALLASSIST_CACHE_DIR", ""),
    }
    if not env["CALLASSIST_CACHE_DIR"]:
        env.pop("CALLASSIST_CACHE_DIR")
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "calls", "purge", "--older-than-days", "30"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0, done.stdout
    assert f"no callassist data in {tmp_path / 'relative' / 'data'}" in done.stderr
    assert "CALLASSIST_DATA_DIR" in done.stderr and not (tmp_path / "relative").exists()
