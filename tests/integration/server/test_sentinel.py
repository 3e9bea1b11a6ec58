"""`redis+sentinel://` against a real Sentinel: a Redis 8 master and a sentinel watching it (both
the packaged redis-server, on loopback ports), a server configured with the sentinel URL takes a
call through to its end, and its console feed reader and stores use the master Sentinel names."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from server.redis_runtime import find_redis_server, parse_sentinel_url
from tests.helpers.streams import FRAME
from tests.live_server import INGEST, LiveServer, start_message
from workbench.bench.harness import free_port


def test_sentinel_urls_parse() -> None:
    assert parse_sentinel_url("redis+sentinel://h1:26379,h2:26380/main/2") == (
        [("h1", 26379), ("h2", 26380)],
        "main",
        2,
        None,
    )
    assert parse_sentinel_url("redis+sentinel://:s3cret@h1/main") == ([("h1", 26379)], "main", 0, "s3cret")
    with pytest.raises(ValueError):
        parse_sentinel_url("redis+sentinel://h1:26379")


@pytest.fixture
def sentinel(tmp_path: Path) -> Iterator[str]:
    binary = str(find_redis_server(""))
    master, watcher = free_port(), free_port()
    config = tmp_path / "sentinel.conf"
    config.write_text(f"port {watcher}\nbind 127.0.0.1\nsentinel monitor main 127.0.0.1 {master} 1\n")
    processes = [
        subprocess.Popen([binary, "--port", str(master), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
                         stdout=subprocess.DEVNULL),
        subprocess.Popen([binary, str(config), "--sentinel"], stdout=subprocess.DEVNULL),
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(redis.exceptions.ConnectionError):
                if redis.Redis(port=watcher).sentinel_get_master_addr_by_name("main"):
                    break
            assert time.monotonic() < deadline, "sentinel did not come up"
            time.sleep(0.2)
        yield f"redis+sentinel://127.0.0.1:{watcher}/main/0"
    finally:
        for process in processes:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)


async def test_a_call_through_sentinel(make_server, sentinel: str) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(redis_url=sentinel)
    async with server.connect("/v1/agents/agent-a/events", "agent-a-key") as feed:
        async with server.connect("/v1/calls/sentinel-1/audio", INGEST) as ws:
            await ws.send(start_message())
            assert json.loads(await ws.recv())["type"] == "started"
            for _ in range(50):
                await ws.send(b"\x00" * FRAME)
            await ws.send(json.dumps({"type": "stop"}))
            assert json.loads(await ws.recv())["type"] == "stopped"
        seen: list[str] = []
        while "call_ended" not in seen:
            seen.append(json.loads(await asyncio.wait_for(feed.recv(), 10))["type"])
    call = await server.store.get_call("sentinel-1")
    assert call is not None and call["end_reason"] == "stop"
