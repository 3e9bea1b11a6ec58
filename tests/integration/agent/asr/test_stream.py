"""Websocket → VAD → recognizer → stored and announced finals (and partials), end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from agent.audio.codecs import Encoding, encode
from tests.helpers.streams import FRAME, call_bytes, send_audio
from tests.live_server import INGEST, LiveServer, eventually, start_message
from workbench.demo.player import play, play_wav
from workbench.demo.synth import SynthesizedCall

GUARD_REASONS = {
    "compression_ratio",
    "empty",
    "known_hallucination",
    "no_speech",
    "repetition",
    "low_confidence",
    "no_words",
    "silence",
    "tone",
    "unvoiced",
}


async def events_of(server: LiveServer, call_id: str) -> list:
    return await server.store.read_events(server.store.keys.call_events(call_id), "0", 2000)


async def test_whisper_finals_for_every_utterance(
    make_server, asr_model_dir: Path, demo_call: SynthesizedCall
) -> None:  # type: ignore[no-untyped-def]
    server = await make_server(asr_model=str(asr_model_dir), asr_device="cpu")
    result = await play_wav(
        server.http,
        "asr-1",
        INGEST,
        demo_call.wav_path,
        channel_roles=demo_call.channel_roles,
        agent_id="agent-a",
        speed=0,
    )
    assert result["type"] == "stopped"
    finals = [e.data for e in await events_of(server, "asr-1") if e.type == "final"]
    assert len(finals) == len(demo_call.utterances)
    for final in finals:
        assert final["source"] == "whisper"
        assert final["avg_logprob"] is not None and 0.0 <= final["no_speech_prob"] <= 1.0
        # Random weights produce noise: either some text, or an explained rejection.
        assert final["text"] or final["guard"] in GUARD_REASONS
    transcript = await server.store.transcript("asr-1")
    assert [int(s["seq"]) for s in transcript] == list(range(len(finals)))
    assert all(s["source"] == "whisper" for s in transcript)


async def test_script_partials_grow_into_the_final(make_server, demo_call: SynthesizedCall) -> None:  # type: ignore[no-untyped-def]
    script = demo_call.wav_path.with_suffix(".json")
    server = await make_server(asr_model=f"script:{script}", asr_partial_interval_ms=700)
    await play_wav(
        server.http,
        "script-1",
        INGEST,
        demo_call.wav_path,
        channel_roles=demo_call.channel_roles,
        agent_id="agent-a",
        speed=0,
    )
    events = await events_of(server, "script-1")
    finals = [e.data for e in events if e.type == "final"]
    assert [f["text"] for f in finals if f["channel"] == 1][0] == demo_call.utterances[0]["text"]
    assert all(f["source"] == "script" for f in finals)
    partials = [e.data for e in events if e.type == "partial"]
    assert partials, "long utterances get partial text while they are spoken"
    for partial in partials:
        final = next(
            f for f in finals if f["channel"] == partial["channel"] and f["start"] == partial["start"]
        )
        # the word still being said may become part of a mask once the final has all of it
        settled = partial["text"].rsplit(" ", 1)[0] if " " in partial["text"] else ""
        assert final["text"].startswith(settled) and partial["source"] == "script"
    # Every partial is announced before the final of its utterance.
    order = [
        (e.type, e.data.get("channel"), e.data.get("start")) for e in events if e.type in ("partial", "final")
    ]
    for index, (kind, channel, start) in enumerate(order):
        if kind == "partial":
            assert ("final", channel, start) in order[index + 1 :]


async def test_silence_and_noise_produce_no_text(make_server, asr_model_dir: Path) -> None:  # type: ignore[no-untyped-def]
    server = await make_server(asr_model=str(asr_model_dir), asr_device="cpu")
    rng = np.random.default_rng(5)
    seconds = 12
    silence = np.zeros((seconds * 16000, 2), dtype=np.float32)
    noise = (rng.standard_normal((seconds * 16000, 2)) * 0.03).astype(np.float32)  # steady hiss, -30 dBFS
    for call_id, audio in (("silence-1", silence), ("noise-1", noise)):
        data = encode(audio.reshape(-1), Encoding.PCM_S16LE)
        await play(
            server.http,
            call_id,
            INGEST,
            data,
            encoding=Encoding.PCM_S16LE,
            sample_rate=16000,
            channel_roles=["customer", "agent"],
            agent_id="agent-a",
            speed=0,
        )
        events = await events_of(server, call_id)
        kinds = [e.type for e in events]
        # no speech: no partial or final, and a summary of nothing
        assert kinds == ["call_started", "audio_ended", "summary", "call_ended"], (call_id, kinds)
        assert events[2].data["finals"] == 0
        assert await server.store.transcript(call_id) == []


async def test_calls_are_refused_at_capacity_while_running_calls_continue(  # type: ignore[no-untyped-def]
    make_server, asr_model_dir: Path, demo_call: SynthesizedCall
) -> None:
    server = await make_server(asr_model=str(asr_model_dir), asr_device="cpu", asr_max_final_delay=0.000001)
    data = call_bytes(demo_call)
    half = len(data) // 2 // FRAME * FRAME
    async with server.connect("/v1/calls/cap-1/audio", INGEST) as running:
        await running.send(start_message())
        assert json.loads(await running.recv())["type"] == "started"  # an idle server takes one call
        await send_audio(running, data[:half])

        async def first_final() -> bool:
            return any(e.type == "final" for e in await events_of(server, "cap-1"))

        await eventually(first_final, within_s=30)  # the model has now been timed
        async with server.connect("/v1/calls/cap-2/audio", INGEST) as refused:
            await refused.send(start_message())
            error = json.loads(await refused.recv())
            assert error["code"] == 1013 and "at capacity" in error["message"]
        await send_audio(running, data[half:])
        await running.send(json.dumps({"type": "stop"}))
        assert json.loads(await running.recv())["type"] == "stopped"
    assert await server.store.get_call("cap-2") is None
    agent_feed = await server.store.read_events(server.store.keys.agent_events("agent-a"), "0", 2000)
    refusals = [e.data for e in agent_feed if e.type == "call_refused"]
    assert [r["call_id"] for r in refusals] == ["cap-2"] and "at capacity" in refusals[0]["reason"]
    finals = [e for e in await events_of(server, "cap-1") if e.type == "final"]
    assert len(finals) == len(demo_call.utterances)
