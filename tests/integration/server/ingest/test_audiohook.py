"""Genesys AudioHook v2 replayed into the real server: the connection probe, a stereo session with
ping, pause/resume, update and close, and the protocol's error handling."""

from __future__ import annotations

import contextlib
import json
import uuid
from typing import Any

import numpy as np
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from server.ingest.audiohook import PROBE_CONVERSATION
from tests.helpers.streams import EDGE_TOLERANCE_S, match_edges
from tests.helpers.telephony import MONO_PCMU, STEREO_PCMU, AudioHookClient, mulaw_tracks, open_parameters
from tests.live_server import AGENT_A, INGEST, LiveServer
from workbench.demo.synth import SynthesizedCall


def headers(key: str = INGEST, session_id: str | None = None) -> dict[str, str]:
    return {
        "X-API-KEY": key,
        "Audiohook-Organization-Id": str(uuid.uuid4()),
        "Audiohook-Correlation-Id": str(uuid.uuid4()),
        "Audiohook-Session-Id": session_id or str(uuid.uuid4()),
    }


async def session(server: LiveServer, key: str = INGEST) -> tuple[Any, AudioHookClient]:
    session_id = str(uuid.uuid4())
    ws = await connect(
        f"{server.ws}/v1/audiohook", additional_headers=headers(key, session_id), max_size=None
    )
    return ws, AudioHookClient(ws, session_id)


async def test_connection_probe_is_answered_and_starts_no_call(server: LiveServer) -> None:
    ws, client = await session(server)
    await client.send("open", open_parameters(PROBE_CONVERSATION, [MONO_PCMU, STEREO_PCMU]))
    opened = await client.receive()
    assert opened["type"] == "opened" and opened["clientseq"] == 1 and opened["seq"] == 1
    assert opened["parameters"]["media"] == [STEREO_PCMU]
    await client.audio(b"\xff" * 320, 2)  # probe audio is ignored
    await client.send("close", {"reason": "end"})
    closed = await client.receive()
    assert closed["type"] == "closed" and closed["clientseq"] == 2
    await ws.wait_closed()
    assert ws.close_code == 1000
    assert await server.store.get_call(PROBE_CONVERSATION) is None


async def test_a_stereo_session_becomes_a_call(server: LiveServer, demo_call: SynthesizedCall) -> None:
    customer, agent = mulaw_tracks(demo_call.wav_path)
    stereo = np.stack([np.frombuffer(customer, np.uint8), np.frombuffer(agent, np.uint8)], axis=1).tobytes()
    conversation = str(uuid.uuid4())
    ws, client = await session(server)
    await client.send(
        "open", open_parameters(conversation, [STEREO_PCMU], agent_id="agent-a", tags=["genesys"])
    )
    assert (await client.receive())["type"] == "opened"
    frame = 8000 // 10 * 2  # 100 ms stereo
    for number, offset in enumerate(range(0, len(stereo), frame)):
        await client.audio(stereo[offset : offset + frame], 2)
        if number == 50:
            await client.send("ping", {"rtt": "PT0.05S"})
            pong = await client.receive()
            assert pong["type"] == "pong" and pong["clientseq"] == client.seq
        if number == 60:
            await client.send("update", {"language": "en-US"})
            assert (await client.receive())["type"] == "updated"
    await client.send("paused")
    await client.send("resumed", {"start": f"PT{client.position:.2f}S", "discarded": "PT2.0S"})
    await client.send("close", {"reason": "end"})
    assert (await client.receive())["type"] == "closed"
    await ws.wait_closed()
    assert ws.close_code == 1000

    call = await server.store.get_call(conversation)
    assert call is not None and call["status"] == "ended" and call["end_reason"] == "stop"
    assert call["agent_id"] == "agent-a" and call["channel_roles"] == ["customer", "agent"]
    assert call["metadata"]["audiohook"]["participant"]["ani"] == "tel:[전화번호]"  # redacted before storage
    assert call["audio_seconds"] == pytest.approx(
        demo_call.duration + 2.0, abs=0.02
    )  # the pause kept its time
    match_edges(demo_call, await server.store.transcript(conversation), EDGE_TOLERANCE_S[8000])
    kinds = [
        e.type for e in await server.store.read_events(server.store.keys.call_events(conversation), "0", 2000)
    ]
    assert "audio_paused" in kinds and "audio_resumed" in kinds


async def refused(server: LiveServer, steps: list[Any], key: str = INGEST) -> tuple[int, dict[str, Any]]:
    """Play the steps (client messages, raw text or binary frames); return the close code and the
    server's `disconnect` message."""
    ws, client = await session(server, key)
    with contextlib.suppress(ConnectionClosed):
        for step in steps:
            if isinstance(step, (bytes, str)):
                await ws.send(step)
            else:
                await client.send(step[0], step[1], **(step[2] if len(step) > 2 else {}))
    replies = []
    with contextlib.suppress(ConnectionClosed):
        while True:
            replies.append(json.loads(await ws.recv()))
    await ws.wait_closed()
    disconnect = next((r for r in replies if r["type"] == "disconnect"), {"type": "none", "replies": replies})
    return ws.close_code or 0, disconnect


GOOD_OPEN = ("open", open_parameters(str(uuid.uuid4()), [STEREO_PCMU], agent_id="agent-a"))


@pytest.mark.parametrize(
    ("steps", "key", "code", "reason", "fragment"),
    [
        ([GOOD_OPEN], AGENT_A, 4403, "unauthorized", "needs a ingest key"),
        ([GOOD_OPEN], "wrong-key", 4401, "unauthorized", "missing or unknown API key"),
        ([b"\xff" * 320], INGEST, 4400, "error", "audio before 'open'"),
        (["{nope"], INGEST, 4400, "error", "invalid JSON"),
        ([("ping", {})], INGEST, 4400, "error", "expected 'open' first"),
        (
            [("open", open_parameters(str(uuid.uuid4()), [STEREO_PCMU]), {"seq": 5})],
            INGEST,
            4400,
            "error",
            "seq 5 out of order",
        ),
        (
            [("open", open_parameters(str(uuid.uuid4()), [STEREO_PCMU]), {"serverseq": 3})],
            INGEST,
            4400,
            "error",
            "serverseq 3",
        ),
        (
            [("open", open_parameters(str(uuid.uuid4()), [{**STEREO_PCMU, "format": "L16"}]))],
            INGEST,
            4415,
            "error",
            "no PCMU 8000 Hz",
        ),
        (
            [("open", open_parameters(str(uuid.uuid4()), [STEREO_PCMU]), {"version": "1"})],
            INGEST,
            4400,
            "error",
            "protocol version",
        ),
        ([GOOD_OPEN, b"\xff" * 3], INGEST, 4400, "error", "not whole 2-channel"),
        ([GOOD_OPEN, ("teleport", {})], INGEST, 4400, "error", "unknown message type 'teleport'"),
    ],
)
async def test_errors_end_the_session_with_disconnect(
    server: LiveServer, steps: list[Any], key: str, code: int, reason: str, fragment: str
) -> None:
    got_code, reply = await refused(server, steps, key)
    assert reply["type"] == "disconnect" and reply["parameters"]["reason"] == reason, reply
    assert fragment in reply["parameters"]["info"] and got_code == code, (got_code, reply)
