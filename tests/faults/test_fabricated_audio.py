"""Audio time comes from audio: a transport's timestamps may place chunks and fill short gaps
(CALLASSIST_MAX_TIMESTAMP_GAP_S), never invent hours of silence; and every transport obeys the
maximum call length. Twilio's media timestamps and WebRTC's RTP timestamps, against a live server."""

from __future__ import annotations

import asyncio
import base64
import json

import httpx
import numpy as np
import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription

from tests.helpers.webrtc import RATE, ArrayTrack, ended_call
from tests.live_server import AGENT_A, INGEST, LiveServer, eventually, receive_until_closed

CHUNK = base64.b64encode(b"\xff" * 160).decode()  # 20 ms of μ-law silence


def twilio_start(call_sid: str) -> str:
    return json.dumps({
        "event": "start",
        "start": {
            "callSid": call_sid, "streamSid": f"MZ{call_sid}", "tracks": ["inbound"],
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
            "customParameters": {"key": INGEST, "agent_id": "agent-a"},
        },
    })  # fmt: skip


def media(timestamp: int | float) -> str:
    return json.dumps(
        {"event": "media", "media": {"track": "inbound", "timestamp": str(timestamp), "payload": CHUNK}}
    )


@pytest.mark.parametrize(
    ("timestamps", "fragment"),
    [
        ([0, 20, 14_000_000], "jumps 14000.0 s past its audio"),
        ([0, 20, 40, 9_000], "jumps 8.9 s past its audio"),  # over the 5 s bound by a little
        ([10**15], "timestamp"),  # past any call's length: refused as input, no MemoryError
    ],
)
async def test_twilio_timestamps_cannot_make_audio(make_server, timestamps: list[int], fragment: str) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(asr_model="none")
    call_sid = f"CAjump{len(timestamps)}{timestamps[-1] % 997}"
    async with server.connect("/v1/twilio/media", None) as ws:
        await ws.send(twilio_start(call_sid))
        for stamp in timestamps:
            await ws.send(media(stamp))
        await asyncio.wait_for(receive_until_closed(ws), 15)
        assert ws.close_code == 4400 and fragment in (ws.close_reason or ""), ws.close_reason
    call = await eventually(lambda: ended_call(server, call_sid), within_s=10)
    assert call["end_reason"] == "error:bad_request" and float(call["audio_seconds"]) < 1.0


async def test_a_gap_within_the_bound_is_filled_once(make_server) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(asr_model="none")
    async with server.connect("/v1/twilio/media", None) as ws:
        await ws.send(twilio_start("CAgap"))
        for stamp in (0, 20, 3_000, 3_020):  # three seconds the network lost
            await ws.send(media(stamp))
        await ws.send(json.dumps({"event": "stop"}))
        await asyncio.wait_for(receive_until_closed(ws), 15)
    call = await eventually(lambda: ended_call(server, "CAgap"), within_s=10)
    assert call["end_reason"] == "stop" and float(call["audio_seconds"]) == pytest.approx(3.04, abs=0.01)


class JumpingTrack(ArrayTrack):
    """Real-time audio whose timestamps leap `jump_s` ahead after its first second."""

    def __init__(self, samples: np.ndarray, jump_s: float) -> None:
        super().__init__(samples)
        self.jump = int(jump_s * RATE)

    async def recv(self):  # type: ignore[no-untyped-def]
        frame = await super().recv()
        if self.sent > RATE:
            frame.pts += self.jump
        return frame


async def _offer(server: LiveServer, pc: RTCPeerConnection, call_id: str, track: ArrayTrack) -> None:
    pc.addTrack(track)
    await pc.setLocalDescription(await pc.createOffer())
    async with httpx.AsyncClient(
        base_url=server.http, headers={"Authorization": f"Bearer {AGENT_A}"}
    ) as http:
        body = {"sdp": pc.localDescription.sdp, "type": "offer", "track_roles": ["agent"]}
        response = await http.post(f"/v1/calls/{call_id}/webrtc", json=body)
        assert response.status_code == 200, response.text
    await pc.setRemoteDescription(RTCSessionDescription(sdp=response.json()["sdp"], type="answer"))


async def test_webrtc_timestamps_cannot_make_audio(make_server, pc: RTCPeerConnection) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(asr_model="none")
    await _offer(server, pc, "rtc-jump", JumpingTrack(np.zeros(10 * RATE, np.int16), 900.0))
    call = await eventually(lambda: ended_call(server, "rtc-jump"), within_s=15)
    assert call["end_reason"] == "error:bad_request" and float(call["audio_seconds"]) < 6.0


async def test_webrtc_obeys_the_maximum_call_length(make_server, pc: RTCPeerConnection) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(asr_model="none", max_call_seconds=2.0)
    await _offer(server, pc, "rtc-long", ArrayTrack(np.zeros(20 * RATE, np.int16)))
    call = await eventually(lambda: ended_call(server, "rtc-long"), within_s=10)
    assert call["end_reason"] == "max_duration" and 2.0 <= float(call["audio_seconds"]) < 3.0
