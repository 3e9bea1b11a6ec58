"""What every transport must do alike, one test parametrized over the four (native websocket,
Twilio Media Streams, Genesys AudioHook, WebRTC): a call that goes past
`CALLASSIST_MAX_CALL_SECONDS` of audio is ended as `max_duration`, having taken no more audio
than that (and one frame), and a key that may not start calls starts none (an agent key; for
WebRTC, where an agent's softphone may start its own call, an unknown key)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import numpy as np
import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from server.demo.telephony import STEREO_PCMU, AudioHookClient, open_parameters, twilio_messages
from tests.helpers.webrtc import RATE, ArrayTrack, ended_call
from tests.live_server import AGENT_A, INGEST, LiveServer, eventually, start_message

SECONDS = 6  # of audio offered; the maximum is 2


async def native(server: LiveServer, call_id: str, key: str, _: RTCPeerConnection) -> None:
    async with server.connect(f"/v1/calls/{call_id}/audio", key) as ws:
        with contextlib.suppress(ConnectionClosed):
            await ws.send(start_message())
            await ws.recv()
            for _ in range(SECONDS * 50):
                await ws.send(b"\x00" * 1280)  # 20 ms of 16 kHz stereo
            await ws.recv()


async def twilio(server: LiveServer, call_id: str, key: str, _: RTCPeerConnection) -> None:
    silence = b"\xff" * (8000 * SECONDS)  # μ-law silence, one track a side
    params = {"key": key, "agent_id": "agent-a"}
    async with connect(f"{server.ws}/v1/twilio/media", max_size=None) as ws:
        with contextlib.suppress(ConnectionClosed):
            for message in twilio_messages([silence, silence], call_id, params):
                await ws.send(json.dumps(message))
            await ws.wait_closed()


async def audiohook(server: LiveServer, call_id: str, key: str, _: RTCPeerConnection) -> None:
    session_id = str(uuid.uuid4())
    headers = {"X-API-KEY": key, "Audiohook-Organization-Id": str(uuid.uuid4()),
               "Audiohook-Correlation-Id": str(uuid.uuid4()), "Audiohook-Session-Id": session_id}  # fmt: skip
    async with connect(f"{server.ws}/v1/audiohook", additional_headers=headers, max_size=None) as ws:
        client = AudioHookClient(ws, session_id)
        with contextlib.suppress(ConnectionClosed):
            await client.send("open", open_parameters(call_id, [STEREO_PCMU], agent_id="agent-a"))
            await client.receive()  # opened
            for _ in range(SECONDS * 50):
                await client.audio(b"\xff" * 320, 2)  # 20 ms of 8 kHz stereo μ-law
            while True:
                await client.receive()


async def webrtc(server: LiveServer, call_id: str, key: str, pc: RTCPeerConnection) -> None:
    pc.addTrack(ArrayTrack(np.zeros(SECONDS * 2 * RATE, np.int16)))
    await pc.setLocalDescription(await pc.createOffer())
    async with httpx.AsyncClient(base_url=server.http, headers={"Authorization": f"Bearer {key}"}) as http:
        body = {
            "sdp": pc.localDescription.sdp,
            "type": "offer",
            "agent_id": "agent-a",
            "track_roles": ["agent"],
        }
        response = await http.post(f"/v1/calls/{call_id}/webrtc", json=body)
    if response.status_code == 200:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=response.json()["sdp"], type="answer"))


TRANSPORTS: dict[str, Callable[[LiveServer, str, str, RTCPeerConnection], Awaitable[None]]] = {
    "native": native, "twilio": twilio, "audiohook": audiohook, "webrtc": webrtc,
}  # fmt: skip


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
async def test_every_transport_ends_a_call_at_the_maximum_duration(
    make_server: Callable[..., Any], pc: RTCPeerConnection, transport: str
) -> None:
    server: LiveServer = await make_server(asr_model="none", max_call_seconds=2.0)
    call_id = f"long-{transport}"
    await asyncio.wait_for(TRANSPORTS[transport](server, call_id, INGEST, pc), 30)
    call = await eventually(lambda: ended_call(server, call_id), within_s=15)
    assert call["end_reason"] == "max_duration", call
    assert 2.0 <= float(call["audio_seconds"]) < 2.5, call


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
async def test_no_transport_starts_a_call_for_a_key_without_the_ingest_role(
    make_server: Callable[..., Any], pc: RTCPeerConnection, transport: str
) -> None:
    server: LiveServer = await make_server(asr_model="none")
    call_id = f"refused-{transport}"
    await asyncio.wait_for(
        TRANSPORTS[transport](server, call_id, AGENT_A if transport != "webrtc" else "x", pc), 30
    )
    assert await server.store.get_call(call_id) is None
