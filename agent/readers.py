"""Stopping a task that sits in a blocking Redis read.

Cancelling such a task is not always enough: redis-py can lose a cancellation that arrives while
a blocking command's reply is being read, and the task then waits on a socket that has nothing
more to say. `stop_reader` cancels, and if the task is still there after `grace_s`, closes the
reader's own connections (its read then fails) and cancels again, so shutdown never hangs."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog

log = structlog.get_logger(__name__)


async def stop_reader(task: asyncio.Task[Any], client: Any, grace_s: float = 1.0) -> None:
    """Stop `task`, which reads with `client` (a client of its own, closed here if need be)."""
    for attempt in range(3):
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=grace_s)
        if done:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                task.result()
            return
        log.warning("reader_not_cancelled", task=task.get_name(), attempt=attempt + 1)
        with contextlib.suppress(Exception):
            pool = getattr(client, "connection_pool", None)
            await (pool.disconnect() if pool is not None else client.aclose())
    log.error("reader_left_running", task=task.get_name())
