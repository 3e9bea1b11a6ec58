"""`callassist asr-worker` processes for tests and benchmarks: started with extra settings (and,
if asked, pinned to one core), waited for through their heartbeats, and always stopped on the way
out, even when frozen (SIGCONT, SIGTERM, then SIGKILL)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

from kb.redis_keys import RedisKeys


async def start_worker(
    env: dict[str, str], name: str, *, concurrency: int = 4, core: int | None = None
) -> asyncio.subprocess.Process:
    pin = ["taskset", "-c", str(core)] if core is not None else []
    return await asyncio.create_subprocess_exec(
        *pin, sys.executable, "-m", "server.cli", "asr-worker", "--name", name, "--concurrency", str(concurrency),
        env={**os.environ, **env}, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


@contextlib.asynccontextmanager
async def running_workers(
    env: dict[str, str], names: list[str], *, concurrency: int = 4, pinned: bool = False
) -> AsyncIterator[list[asyncio.subprocess.Process]]:
    """Workers named `names`; with `pinned`, the n-th on core n (modulo the cores there are)."""
    cores = os.cpu_count() or 1
    processes = [
        await start_worker(env, name, concurrency=concurrency, core=n % cores if pinned else None)
        for n, name in enumerate(names)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGCONT)
                process.terminate()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(process.wait(), 10)
                if process.returncode is None:
                    process.kill()
                    await process.wait()


async def wait_for_workers(redis: Any, prefix: str, count: int, within_s: float = 60.0) -> None:
    """Until `count` workers have published a heartbeat."""
    deadline = time.monotonic() + within_s
    while await redis.hlen(RedisKeys(prefix).asr_workers) < count:
        assert time.monotonic() < deadline, f"{count} recognition worker(s) did not come up"
        await asyncio.sleep(0.2)
