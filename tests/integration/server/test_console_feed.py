"""Console feeds: history then live, resume without gaps or duplicates, access control."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import ClientConnection

from agent.feed import Dtmf
from tests.helpers.streams import FRAME, call_bytes, send_audio
from tests.live_server import (
    AGENT_A,
    AGENT_B,
    INGEST,
    SUPERVISOR,
    LiveServer,
    receive_until_closed,
    start_message,
)
from workbench.demo.synth import SynthesizedCall


async def read_events(ws: ClientConnection, count: int) -> list[dict]:
    events: list[dict] = []
    while len(events) < count:
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if "id" in message:
            events.append(message)
    return events


async def test_resume_after_disconnect_sees_every_event_once(
    server: LiveServer, demo_call: SynthesizedCall
) -> None:
    data = call_bytes(demo_call)
    half = len(data) // 2 // FRAME * FRAME
    async with server.connect("/v1/calls/resume-1/audio", INGEST) as ingest:
        await ingest.send(start_message())
        assert json.loads(await ingest.recv())["type"] == "started"
        await send_audio(ingest, data[: half // 2])

        seen: list[dict] = []
        async with server.connect("/v1/calls/resume-1/events", SUPERVISOR) as console:
            seen += await read_events(console, 3)  # call_started and the first speech
        # The console is gone while the call goes on.
        await send_audio(ingest, data[half // 2 : half])
        async with server.connect(
            "/v1/calls/resume-1/events", AGENT_A, last_event_id=seen[-1]["id"]
        ) as console:
            seen += await read_events(console, 2)
        await send_audio(ingest, data[half:])
        await ingest.send(json.dumps({"type": "stop"}))
        assert json.loads(await ingest.recv())["type"] == "stopped"

    async with server.connect(
        "/v1/calls/resume-1/events", SUPERVISOR, last_event_id=seen[-1]["id"]
    ) as console:
        rest = [m for m in await receive_until_closed(console) if "id" in m]
        assert console.close_code == 1000

    stored = await server.store.read_events(server.store.keys.call_events("resume-1"), "0", 1000)
    received = seen + rest
    assert [m["id"] for m in received] == [e.id for e in stored]  # all of them, once, in order
    assert received[-1]["type"] == "call_ended"
    assert sum(m["type"] == "final" for m in received) == len(demo_call.utterances)


async def test_live_events_arrive_while_the_call_runs(server: LiveServer, demo_call: SynthesizedCall) -> None:
    data = call_bytes(demo_call)
    async with server.connect("/v1/calls/live-1/audio", INGEST) as ingest:
        await ingest.send(start_message())
        await ingest.recv()
        async with server.connect("/v1/calls/live-1/events", SUPERVISOR) as console:
            (started,) = await read_events(console, 1)
            assert started["type"] == "call_started"
            live_marker = json.loads(await asyncio.wait_for(console.recv(), 5))
            assert live_marker == {"type": "live"}
            await send_audio(ingest, data[: 16000 * 4 * 10])  # 10 s
            kinds = [e["type"] for e in await read_events(console, 3)]
            assert kinds[0] == "speech_started" and "final" in kinds


async def test_agent_feed_follows_the_agents_latest_call(
    server: LiveServer, demo_call: SynthesizedCall
) -> None:
    data = call_bytes(demo_call)[: 16000 * 4 * 10]
    for call_id in ("agent-call-1", "agent-call-2"):
        async with server.connect(f"/v1/calls/{call_id}/audio", INGEST) as ingest:
            await ingest.send(start_message())
            await ingest.recv()
            await send_audio(ingest, data)
            await ingest.send(json.dumps({"type": "stop"}))
            await ingest.recv()
    async with server.connect("/v1/agents/agent-a/events", AGENT_A) as feed:
        first = (await read_events(feed, 1))[0]
        assert first["type"] == "call_started" and first["call_id"] == "agent-call-2"  # not the older call
        events = [first, *await read_events(feed, 2)]
    async with server.connect("/v1/agents/agent-a/events", AGENT_A, last_event_id=events[-1]["id"]) as feed:
        after = await read_events(feed, 1)
    stored = await server.store.read_events(server.store.keys.agent_events("agent-a"), "0", 1000)
    ids = [e.id for e in stored]
    assert ids.index(after[0]["id"]) == ids.index(events[-1]["id"]) + 1


@pytest.mark.parametrize(
    ("path", "key", "code"),
    [
        ("/v1/calls/secret-1/events", AGENT_B, 4403),  # another agent's call
        ("/v1/calls/secret-1/events", INGEST, 4403),  # wrong role
        ("/v1/calls/secret-1/events", None, 4401),
        ("/v1/calls/secret-1/events", "made-up", 4401),
        ("/v1/calls/no-such-call/events", SUPERVISOR, 4404),
        ("/v1/agents/agent-a/events", AGENT_B, 4403),
    ],
)
async def test_feed_access_control(server: LiveServer, path: str, key: str | None, code: int) -> None:
    async with server.connect("/v1/calls/secret-1/audio", INGEST) as ingest:
        await ingest.send(start_message())
        await ingest.recv()
        async with server.connect(path, key) as console:
            messages = await receive_until_closed(console)
        assert console.close_code == code
        assert messages[-1]["type"] == "error" and messages[-1]["code"] == code


async def test_bad_last_event_id_is_refused(server: LiveServer) -> None:
    async with server.connect("/v1/agents/agent-a/events", AGENT_A, last_event_id="yesterday") as console:
        messages = await receive_until_closed(console)
    assert console.close_code == 4400 and "last_event_id" in messages[-1]["message"]


async def test_trimmed_history_is_announced(make_server, demo_call: SynthesizedCall) -> None:  # type: ignore[no-untyped-def]
    server = await make_server(events_max_len=5)
    async with server.connect("/v1/calls/trim-1/audio", INGEST) as ingest:
        await ingest.send(start_message())
        await ingest.recv()
        for _ in range(200):  # exact trimming (MAXLEN ~) happens in whole stream nodes
            await server.store.announce("agent-a", Dtmf(call_id="trim-1", role="customer"))
        async with server.connect("/v1/calls/trim-1/events", SUPERVISOR, last_event_id="0-1") as console:
            notice = json.loads(await asyncio.wait_for(console.recv(), 5))
        assert notice["type"] == "events_skipped" and "resume_from" in notice


async def test_a_console_that_never_reads_does_not_stall_ingest(
    server: LiveServer, demo_call: SynthesizedCall
) -> None:
    data = call_bytes(demo_call)
    async with server.connect("/v1/calls/stall-1/audio", INGEST) as ingest:
        await ingest.send(start_message())
        await ingest.recv()
        consoles = [
            await server.connect("/v1/calls/stall-1/events", SUPERVISOR).__aenter__() for _ in range(3)
        ]
        try:
            await asyncio.wait_for(send_audio(ingest, data), 30)
            await ingest.send(json.dumps({"type": "stop"}))
            assert json.loads(await asyncio.wait_for(ingest.recv(), 30))["type"] == "stopped"
        finally:
            for console in consoles:
                console.transport.abort()  # a dead console: its full receive queue hides any close frame


async def test_a_quiet_call_keeps_its_console(make_server) -> None:  # type: ignore[no-untyped-def]
    """No event for longer than the Redis socket timeout must not look like a failure."""
    server = await make_server(redis_socket_timeout=1.0)
    async with server.connect("/v1/calls/quiet-1/audio", INGEST) as ingest:
        await ingest.send(start_message())
        await ingest.recv()
        async with server.connect("/v1/calls/quiet-1/events", SUPERVISOR) as console:
            await read_events(console, 1)  # call_started
            assert json.loads(await console.recv()) == {"type": "live"}
            await asyncio.sleep(2.5)  # quiet for more than twice the socket timeout
            await server.store.announce("agent-a", Dtmf(call_id="quiet-1", role="customer"))
            (note,) = await read_events(console, 1)
            assert note["type"] == "dtmf"
