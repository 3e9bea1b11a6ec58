"""A synthesized two-channel Korean call streamed through the real server, faster than real time."""

from __future__ import annotations

import json

import pytest

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from tests.helpers.calls import call_meta
from tests.helpers.streams import EDGE_TOLERANCE_S, match_edges
from tests.live_server import INGEST, SUPERVISOR, LiveServer
from workbench.demo.player import encode_call, play
from workbench.demo.synth import SynthesizedCall


async def stream(
    server: LiveServer, call: SynthesizedCall, call_id: str, encoding: Encoding, rate: int
) -> dict:
    source_rate, audio = read_wav(call.wav_path)
    data, rate = encode_call(audio, source_rate, encoding, rate)
    return await play(
        server.http,
        call_id,
        INGEST,
        data,
        encoding=encoding,
        sample_rate=rate,
        channel_roles=call.channel_roles,
        agent_id="agent-a",
        speed=0,
    )


@pytest.mark.parametrize(("encoding", "rate"), [(Encoding.PCM_S16LE, 16000), (Encoding.MULAW, 8000)])
async def test_utterances_match_true_speech_edges(
    server: LiveServer, demo_call: SynthesizedCall, encoding: Encoding, rate: int
) -> None:
    result = await stream(server, demo_call, "edges-1", encoding, rate)
    assert result["type"] == "stopped"
    assert result["audio_seconds"] == pytest.approx(demo_call.duration, abs=0.02)

    transcript = await server.store.transcript("edges-1")
    match_edges(demo_call, transcript, EDGE_TOLERANCE_S[rate])
    # Stored in the order they were finalized; each channel's segments in time order.
    assert [int(s["seq"]) for s in transcript] == list(range(len(transcript)))
    for channel in (0, 1):
        starts = [float(s["start"]) for s in transcript if int(s["channel"]) == channel]
        assert starts == sorted(starts)
    assert all("text" not in s for s in transcript)  # no ASR configured: timing only

    events = await server.store.read_events(server.store.keys.call_events("edges-1"), "0", 1000)
    types = [e.type for e in events]
    assert types[0] == "call_started" and types[-1] == "call_ended"
    assert types.count("final") == len(transcript) == types.count("speech_started")
    ended = events[-1].data
    assert ended["reason"] == "stop"

    call = await server.store.get_call("edges-1")
    assert call is not None and call["status"] == "ended" and call["channel_roles"] == ["customer", "agent"]


async def test_every_final_follows_its_speech_started(server: LiveServer, demo_call: SynthesizedCall) -> None:
    await stream(server, demo_call, "order-1", Encoding.PCM_S16LE, 16000)
    events = await server.store.read_events(server.store.keys.call_events("order-1"), "0", 1000)
    announced: list[tuple[int, float]] = []
    finals = 0
    for event in events:
        key = (event.data.get("channel"), event.data.get("start"))
        if event.type == "speech_started":
            announced.append(key)
        elif event.type == "final":
            assert key in announced  # its speech_started came first
            announced.remove(key)
            finals += 1
    assert announced == [] and finals == len(demo_call.utterances)


async def test_rest_api_returns_the_stored_call(server: LiveServer, demo_call: SynthesizedCall) -> None:
    import httpx

    await stream(server, demo_call, "rest-1", Encoding.PCM_S16LE, 16000)
    async with httpx.AsyncClient(base_url=server.http) as client:
        detail = (
            await client.get("/v1/calls/rest-1", headers={"Authorization": f"Bearer {SUPERVISOR}"})
        ).json()
        assert detail["call"]["agent_id"] == "agent-a"
        assert len(detail["transcript"]) == len(demo_call.utterances)
        assert detail["transcript"][0]["text"] is None
        listed = (await client.get("/v1/calls?status=all", headers={"X-API-Key": "agent-a-key"})).json()[
            "calls"
        ]
        assert [c["call_id"] for c in listed] == ["rest-1"]
        assert (await client.get("/v1/calls?status=all", headers={"X-API-Key": "agent-b-key"})).json()[
            "calls"
        ] == []
        assert (await client.get("/v1/calls/rest-1", headers={"X-API-Key": "agent-b-key"})).status_code == 403
        assert (await client.get("/v1/calls/nope", headers={"X-API-Key": SUPERVISOR})).status_code == 404
        assert (await client.get("/v1/calls")).status_code == 401
        assert (await client.get("/v1/calls", headers={"X-API-Key": INGEST})).status_code == 403
        assert json.loads((await client.get("/healthz")).text) == {"status": "ok"}
        ready = (await client.get("/readyz")).json()
        assert ready["status"] == "ready" and ready["redis"] == "ok"
        metrics = (await client.get("/metrics")).text
        assert 'callassist_utterances_total{role="customer"}' in metrics


async def test_calls_of_a_vanished_server_are_swept(server: LiveServer) -> None:
    store = server.store
    # A call whose server was killed: stored as live, with 12 s of audio, but no lease keeps it alive.
    await store.start_call("lost-1", "agent-a", call_meta(encoding="mulaw"))
    await store.note_progress("lost-1", 12.0)
    assert [c["call_id"] for c in await store.list_calls(live=True)] == []
    assert await server.app.state.services.sweep_lost_calls() == ["lost-1"]
    call = await store.get_call("lost-1")
    assert call is not None and call["status"] == "ended" and call["end_reason"] == "server_lost"
    assert call["audio_seconds"] == 12.0
    events = await store.read_events(store.keys.call_events("lost-1"), "0")
    assert [e.type for e in events] == ["call_started", "summary", "call_ended"]
    assert events[1].data["kind"] == "final"
    assert [c["call_id"] for c in await store.list_calls(live=False, agent_id="agent-a")] == ["lost-1"]
    assert await server.app.state.services.sweep_lost_calls() == []  # once


async def test_agent_listing_reaches_past_other_agents_calls(server: LiveServer) -> None:
    store = server.store
    await store.start_call("mine-1", "agent-a", call_meta())
    for i in range(30):
        await store.start_call(f"theirs-{i}", "agent-b", call_meta())
    assert [c["call_id"] for c in await store.list_calls(live=False, agent_id="agent-a", limit=5)] == [
        "mine-1"
    ]
