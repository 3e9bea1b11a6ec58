"""The whole server on a Redis with the Query Engine and no vector sets (Redis Stack 7.4, as a
managed Redis may be): guides searched through the redisvl backend, suggestions, the post-call
summary, and the call archive by keywords."""

from __future__ import annotations

from kb.vector_backends import QueryEngineBackend
from tests.live_server import LiveServer, archive_search_until_found, play_demo_call
from workbench.demo.synth import SynthesizedCall


async def test_a_call_on_redis_stack(
    assist_server, demo_call: SynthesizedCall, query_engine_url: str
) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await assist_server(redis_url=query_engine_url)
    services = server.app.state.services
    assert isinstance(services.assist.kb.index.backend, QueryEngineBackend)
    assert (await play_demo_call(server, demo_call, "stack-1"))["type"] == "stopped"
    events = [e.type for e in await server.store.read_events(server.store.keys.call_events("stack-1"), "0")]
    assert "suggestion" in events and events[-3:] == ["summary", "analytics", "call_ended"]
    found = await archive_search_until_found(server, "로밍 요금 감면")
    assert [hit["call_id"] for hit in found["results"]] == ["stack-1"], found
