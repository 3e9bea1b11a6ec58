"""The call store on a real Redis: events written at once for one call reach the agent's feed in
the order of the call's own feed (each copy carries its call-feed id), although the two feeds are
written separately (they may live in different Cluster slots)."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from agent.feed import Partial
from agent.store import CallStore


async def test_concurrent_events_keep_one_order_in_both_feeds(redis: Redis, prefix: str) -> None:
    store = CallStore(redis, prefix)
    partials = [
        Partial(
            call_id="c-1",
            channel=n % 2,
            role="customer",
            start=0.0,
            end=n / 10,
            text=f"부분 {n}",
            source="script",
        )
        for n in range(60)
    ]
    written = await asyncio.gather(*(store.announce("a-1", p) for p in partials))
    call_feed = await store.read_events(store.keys.call_events("c-1"), "0")
    assert [e.id for e in call_feed] == sorted(e.id for e in written)
    copies = await redis.xrange(store.keys.agent_events("a-1"))
    assert [fields[b"call_event"].decode() for _, fields in copies] == [e.id for e in call_feed]
    assert not store._writing  # no lock outlives the writes
