"""`stop_reader` ends a reader even when its first cancellation is lost (as redis-py can lose one
that lands while a blocking command's reply is read): it closes the reader's connections, which
fails the read, and cancels again."""

from __future__ import annotations

import asyncio

from agent.readers import stop_reader


class Pool:
    """Stands in for the reader's connection pool: `disconnect` fails the pending read."""

    def __init__(self) -> None:
        self.dropped = asyncio.Event()

    async def disconnect(self) -> None:
        self.dropped.set()


class Client:
    def __init__(self) -> None:
        self.connection_pool = Pool()

    async def blocking_read(self) -> None:
        await self.connection_pool.dropped.wait()
        raise ConnectionError("connection closed")


async def test_a_reader_that_loses_its_cancellation_is_still_stopped() -> None:
    client = Client()
    swallowed = 0

    async def reader() -> None:
        nonlocal swallowed
        while True:
            try:
                await client.blocking_read()
            except asyncio.CancelledError:
                if swallowed == 0:  # the lost cancellation: the read goes on
                    swallowed += 1
                    continue
                raise
            except ConnectionError:
                await asyncio.sleep(0.05)  # back-off, where the second cancellation lands

    task = asyncio.create_task(reader())
    await asyncio.sleep(0.01)
    await asyncio.wait_for(stop_reader(task, client, grace_s=0.2), 2)
    assert task.cancelled() and swallowed == 1 and client.connection_pool.dropped.is_set()


async def test_a_reader_that_stops_at_once_keeps_its_connections() -> None:
    client = Client()
    task = asyncio.create_task(client.blocking_read())
    await asyncio.sleep(0.01)
    await stop_reader(task, client, grace_s=0.2)
    assert task.cancelled() and not client.connection_pool.dropped.is_set()
