"""The call store on a real Redis: events written at once for one call reach the agent's feed in
the order of the call's own feed (each copy carries its call-feed id), although the two feeds are
written separately (they may live in different Cluster slots)."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from agent.feed import Partial
from agent.store import CallStore
from tests.helpers.calls import call_meta


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


async def test_a_write_racing_a_transfer_reaches_the_new_agent_after_the_history(
    redis: Redis, prefix: str
) -> None:
    """Writes already on their way to the previous agent when a transfer takes the call's turn go
    to the new agent, after the copy of what was said so far; none reaches the previous agent."""
    store = CallStore(redis, prefix)
    await store.start_call("c-2", "a-1", call_meta())

    def partial(n: int) -> Partial:
        return Partial(call_id="c-2", channel=0, role="customer", start=0.0, end=n / 10, text=f"부분 {n}",
                       source="script")  # fmt: skip

    await store.announce("a-1", partial(0))
    async with store._in_order("c-2"):  # the call's turn is taken: the transfer queues first …
        moving = asyncio.create_task(store.transfer_call("c-2", "a-1", "a-2", "test"))
        await asyncio.sleep(0.1)
        late = [asyncio.create_task(store.announce("a-1", partial(n))) for n in range(1, 4)]
        await asyncio.sleep(0.1)  # … then writers that still say a-1
    await asyncio.gather(moving, *late)
    new_feed = [e.type for e in await store.read_events(store.keys.agent_events("a-2"), "0")]
    assert new_feed == ["call_started", "call_transferred", "partial", "partial", "partial"]
    old_feed = [e.type for e in await store.read_events(store.keys.agent_events("a-1"), "0")]
    assert old_feed == ["call_started", "partial", "call_transferred"]
    await store.end_call("c-2", "a-2", "stop", 1.0)
    assert not store._moved  # forgotten once the call ends
