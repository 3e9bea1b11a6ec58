"""Twilio Media Streams replayed into the real server: both tracks, marks, DTMF, duplicated,
reordered and missing chunks, and every kind of bad input."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest
from websockets.asyncio.client import connect

from tests.helpers.streams import EDGE_TOLERANCE_S, match_edges
from tests.helpers.telephony import mulaw_tracks, play_twilio, twilio_messages
from tests.live_server import AGENT_A, INGEST, LiveServer
from workbench.demo.synth import SynthesizedCall

PARAMS = {"key": INGEST, "agent_id": "agent-a", "tags": "vip,twilio-test", "crm_id": "C-77"}


def messages(
    call: SynthesizedCall, call_sid: str, params: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    return list(twilio_messages(mulaw_tracks(call.wav_path), call_sid, params or PARAMS))


def disturb(sequence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a real network does: one chunk twice, two chunks swapped, one chunk lost; plus a mark
    and a DTMF press."""
    media = [i for i, m in enumerate(sequence) if m["event"] == "media" and m["media"]["track"] == "inbound"]
    out = list(sequence)
    del out[media[300]]  # lost (edits from the back, so earlier indexes stay valid)
    out[media[200]], out[media[201]] = out[media[201]], out[media[200]]  # reordered
    out.insert(media[100] + 1, copy.deepcopy(out[media[100]]))  # duplicated
    out.insert(5, {"event": "mark", "sequenceNumber": "0", "streamSid": "x", "mark": {"name": "greeting"}})
    out.insert(
        6,
        {
            "event": "dtmf",
            "sequenceNumber": "0",
            "streamSid": "x",
            "dtmf": {"track": "inbound_track", "digit": "7"},
        },
    )
    return out


async def test_a_two_track_stream_becomes_one_call(server: LiveServer, demo_call: SynthesizedCall) -> None:
    code, reason, _ = await play_twilio(server.http, disturb(messages(demo_call, "CA0001")), speed=0)
    assert code == 1000, reason
    call = await server.store.get_call("CA0001")
    assert call is not None and call["status"] == "ended" and call["end_reason"] == "stop"
    assert call["agent_id"] == "agent-a" and call["channel_roles"] == ["customer", "agent"]
    assert call["metadata"]["twilio"]["callSid"] == "CA0001"
    assert call["metadata"]["twilio"]["parameters"] == {"crm_id": "C-77"}  # the key is not kept
    assert call["metadata"]["tags"] == ["vip", "twilio-test"]
    assert call["audio_seconds"] == pytest.approx(
        demo_call.duration, abs=0.03
    )  # the lost chunk became silence
    match_edges(demo_call, await server.store.transcript("CA0001"), EDGE_TOLERANCE_S[8000])
    events = await server.store.read_events(server.store.keys.call_events("CA0001"), "0", 2000)
    dtmf = [e.data for e in events if e.type == "dtmf"]
    assert dtmf == [{"call_id": "CA0001", "role": "customer"}]  # the digit itself is never stored


async def test_inbound_only_stream_is_a_one_channel_call(
    server: LiveServer, demo_call: SynthesizedCall
) -> None:
    inbound = mulaw_tracks(demo_call.wav_path)[:1]
    code, _, _ = await play_twilio(server.http, list(twilio_messages(inbound, "CA0002", PARAMS)), speed=0)
    assert code == 1000
    call = await server.store.get_call("CA0002")
    assert call is not None and call["channel_roles"] == ["customer"]


async def twilio_error(
    server: LiveServer, sequence: list[Any], headers: dict[str, str] | None = None
) -> tuple[int, str, dict[str, Any]]:
    async with connect(f"{server.ws}/v1/twilio/media", additional_headers=headers or {}) as ws:
        for message in sequence:
            await ws.send(message if isinstance(message, (str, bytes)) else json.dumps(message))
        reply = json.loads(await ws.recv())
        await ws.wait_closed()
        return ws.close_code or 0, ws.close_reason or "", reply


def start(**changes: Any) -> dict[str, Any]:
    message = copy.deepcopy(
        next(m for m in twilio_messages([b"\xff" * 160], "CA0100", PARAMS) if m["event"] == "start")
    )
    message["start"].update(changes)
    return message


def media(
    track: str = "inbound", payload: str = base64.b64encode(b"\xff" * 160).decode(), timestamp: str = "0"
) -> dict[str, Any]:
    return {
        "event": "media",
        "sequenceNumber": "3",
        "media": {"track": track, "chunk": "1", "timestamp": timestamp, "payload": payload},
    }


@pytest.mark.parametrize(
    ("sequence", "code", "fragment"),
    [
        ([start(customParameters={"agent_id": "agent-a"})], 4401, "missing or unknown API key"),
        ([start(customParameters={"key": AGENT_A, "agent_id": "agent-a"})], 4403, "needs an ingest key"),
        ([media()], 4400, "expected 'start' before 'media'"),
        (["{not json"], 4400, "invalid JSON"),
        ([b"\x00\x01"], 4400, "JSON text, not binary"),
        (
            [start(mediaFormat={"encoding": "audio/l16", "sampleRate": 16000, "channels": 1})],
            4415,
            "audio/x-mulaw",
        ),
        ([start(tracks=["inbound", "sideways"])], 4415, "tracks must be among"),
        ([start(customParameters={"key": INGEST})], 4400, "agent_id"),
        ([start(callSid="bad sid!")], 4400, "callSid"),
        ([start(), media(track="outbound2")], 4400, "media for track 'outbound2'"),
        ([start(), media(payload="%%%")], 4400, "base64 payload"),
        ([start(), media(timestamp="soon")], 4400, "numeric timestamp"),
        ([start(), {"event": "teleport"}], 4400, "unknown Twilio event 'teleport'"),
        ([start(), start()], 4400, "already received"),
    ],
)
async def test_bad_input_is_refused_with_a_reason(
    server: LiveServer, sequence: list[Any], code: int, fragment: str
) -> None:
    got_code, reason, reply = await twilio_error(server, sequence)
    assert got_code == code and reply["type"] == "error" and fragment in reply["message"], (reason, reply)


async def test_a_broken_stream_ends_its_call_and_only_its_call(server: LiveServer) -> None:
    code, _, _ = await twilio_error(server, [start(callSid="CA0200"), media(), "{oops"])
    assert code == 4400
    call = await server.store.get_call("CA0200")
    assert call is not None and call["status"] == "ended" and call["end_reason"] == "error:bad_request"
