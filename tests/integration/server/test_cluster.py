"""`redis+cluster://` against a real 3-node Redis Cluster (the packaged redis-server with
--cluster-enabled, started here): the whole server — guides indexed and searched, the demo call
with suggestions, the post-call summary and the archive — on a Cluster, with every key of a call in
one slot, and consoles fed by the polling reader (one XREAD cannot span slots)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.redis_runtime import parse_cluster_url
from server.retention import delete_calls_before
from tests.helpers.redis_cluster import LocalCluster, local_cluster
from tests.live_server import AGENT_A, SUPERVISOR, LiveServer, archive_search_until_found, play_demo_call
from workbench.demo.synth import SynthesizedCall


def test_cluster_urls_parse() -> None:
    assert parse_cluster_url("redis+cluster://h1:7000,h2") == (
        [("h1", 7000), ("h2", 6379)],
        None,
        None,
        False,
    )
    assert parse_cluster_url("rediss+cluster://app:s%40cret@h1:7000/") == (
        [("h1", 7000)],
        "app",
        "s@cret",
        True,
    )
    with pytest.raises(ValueError):
        parse_cluster_url("redis+cluster:///")


async def types_until_ended(feed) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    while "call_ended" not in seen:
        seen.append(json.loads(await asyncio.wait_for(feed.recv(), 10))["type"])
    return seen


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[LocalCluster]:
    with local_cluster(tmp_path) as running:
        yield running


async def test_a_call_on_a_cluster(assist_server, demo_call: SynthesizedCall, cluster: LocalCluster) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await assist_server(redis_url=cluster.url)
    store = server.store
    assert server.app.state.services.feeds.polling
    async with server.connect("/v1/agents/agent-a/events", AGENT_A) as sidebar:  # live, while it runs
        assert (await play_demo_call(server, demo_call, "cluster-1"))["type"] == "stopped"
        seen = await types_until_ended(sidebar)
        assert "final" in seen and "suggestion" in seen and "summary" in seen
    async with server.connect("/v1/calls/cluster-1/events", SUPERVISOR, last_event_id="0") as console:
        assert await types_until_ended(console) == [  # the call's own feed, replayed whole
            e.type for e in await store.read_events(store.keys.call_events("cluster-1"), "0")
        ]
    events = [e.type for e in await store.read_events(store.keys.call_events("cluster-1"), "0")]
    assert events[-3:] == ["summary", "analytics", "call_ended"]
    call_keys = [
        store.keys.call("cluster-1"), store.keys.lease("cluster-1"), store.keys.transcript("cluster-1"),
        store.keys.call_events("cluster-1"), store.keys.sweep("cluster-1"),
        store.keys.summary("cluster-1"), store.keys.suggestions("cluster-1"), store.keys.feedback("cluster-1"),
    ]  # fmt: skip
    slots = {int(cluster.node(0).execute_command("CLUSTER", "KEYSLOT", key)) for key in call_keys}
    assert len(slots) == 1
    owners = {cluster.slot_owner(store.keys.call(f"c-{n}")) for n in range(30)}
    assert owners == {0, 1, 2}  # calls spread over every node
    async with httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": SUPERVISOR}) as client:
        listed = (await client.get("/v1/calls", params={"status": "all"})).json()
        assert "cluster-1" in [call["call_id"] for call in listed["calls"]], listed
    found = await archive_search_until_found(server, "로밍 요금 감면")
    assert [hit["call_id"] for hit in found["results"]] == ["cluster-1"], found
    services = server.app.state.services
    deleted = await delete_calls_before(
        services.redis, server.settings, time.time() + 1, services.assist.archive
    )
    assert deleted == ["cluster-1"]  # retention: the call's slot, the indexes and the archive
    assert await store.get_call("cluster-1") is None and not await store.transcript("cluster-1")
