"""What every transport must do alike, each test parametrized over the four (native websocket,
Twilio Media Streams, Genesys AudioHook, WebRTC), all run by one call handle
(`server/ingest/call_handle.py`): a call that goes past `CALLASSIST_MAX_CALL_SECONDS` of audio
is ended as `max_duration`, having taken no more audio than that (and one frame); a key that may
not start calls starts none (an agent key; for WebRTC, where an agent's softphone may start its
own call, an unknown key); a stop ends a call as `stop`; no audio for
`CALLASSIST_IDLE_TIMEOUT_SECONDS` ends it as `error:idle_timeout`; the server's drain ends it as
`server_shutdown` and closes its connection."""

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

from tests.helpers.telephony import STEREO_PCMU, AudioHookClient, open_parameters, twilio_messages
from tests.helpers.webrtc import RATE, ArrayTrack, StallingTrack, ended_call
from tests.live_server import AGENT_A, INGEST, LiveServer, eventually, start_message

SECONDS = 6  # of audio offered to reach the maximum, which is 2


class Client:
    """How each transport's client offers `seconds` of silence and then either stops the call
    (`stop`) or holds the connection open, sending nothing, until the server closes it."""

    def __init__(self, server: LiveServer, call_id: str, key: str, pc: RTCPeerConnection) -> None:
        self.server, self.call_id, self.key, self.pc = server, call_id, key, pc

    async def native(self, seconds: float, stop: bool) -> None:
        async with self.server.connect(f"/v1/calls/{self.call_id}/audio", self.key) as ws:
            with contextlib.suppress(ConnectionClosed):
                await ws.send(start_message())
                await ws.recv()
                for _ in range(int(seconds * 50)):
                    await ws.send(b"\x00" * 1280)  # 20 ms of 16 kHz stereo
                if stop:
                    await ws.send(json.dumps({"type": "stop"}))
                while True:
                    await ws.recv()

    async def twilio(self, seconds: float, stop: bool) -> None:
        silence = b"\xff" * int(8000 * seconds)  # μ-law silence, one track a side
        messages = list(
            twilio_messages([silence, silence], self.call_id, {"key": self.key, "agent_id": "agent-a"})
        )
        async with connect(f"{self.server.ws}/v1/twilio/media", max_size=None) as ws:
            with contextlib.suppress(ConnectionClosed):
                for message in messages if stop else messages[:-1]:
                    await ws.send(json.dumps(message))
                await ws.wait_closed()

    async def audiohook(self, seconds: float, stop: bool) -> None:
        session_id = str(uuid.uuid4())
        headers = {"X-API-KEY": self.key, "Audiohook-Organization-Id": str(uuid.uuid4()),
                   "Audiohook-Correlation-Id": str(uuid.uuid4()), "Audiohook-Session-Id": session_id}  # fmt: skip
        url = f"{self.server.ws}/v1/audiohook"
        async with connect(url, additional_headers=headers, max_size=None) as ws:
            client = AudioHookClient(ws, session_id)
            with contextlib.suppress(ConnectionClosed):
                await client.send("open", open_parameters(self.call_id, [STEREO_PCMU], agent_id="agent-a"))
                await client.receive()  # opened
                for _ in range(int(seconds * 50)):
                    await client.audio(b"\xff" * 320, 2)  # 20 ms of 8 kHz stereo μ-law
                if stop:
                    await client.send("close", {"reason": "end"})
                while True:
                    await client.receive()

    async def webrtc(self, seconds: float, stop: bool) -> None:
        samples = np.zeros(int(seconds * RATE), np.int16)
        self.pc.addTrack(ArrayTrack(samples) if stop else StallingTrack(samples))
        await self.pc.setLocalDescription(await self.pc.createOffer())
        headers = {"Authorization": f"Bearer {self.key}"}
        async with httpx.AsyncClient(base_url=self.server.http, headers=headers, timeout=60) as http:
            body = {"sdp": self.pc.localDescription.sdp, "type": "offer", "agent_id": "agent-a",
                    "track_roles": ["agent"]}  # fmt: skip
            response = await http.post(f"/v1/calls/{self.call_id}/webrtc", json=body)
            if response.status_code != 200:
                return
            answer = RTCSessionDescription(sdp=response.json()["sdp"], type="answer")
            await self.pc.setRemoteDescription(answer)
            if stop:  # an ArrayTrack never ends: hang up once its audio has been sent
                await asyncio.sleep(seconds + 1.0)
                await http.delete(f"/v1/calls/{self.call_id}/webrtc")


TRANSPORTS = ["audiohook", "native", "twilio", "webrtc"]


def play(server: LiveServer, call_id: str, key: str, pc: RTCPeerConnection, transport: str,
         seconds: float, stop: bool) -> Awaitable[None]:  # fmt: skip
    return getattr(Client(server, call_id, key, pc), transport)(seconds, stop)  # type: ignore[no-any-return]


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_every_transport_ends_a_call_at_the_maximum_duration(
    make_server: Callable[..., Any], pc: RTCPeerConnection, transport: str
) -> None:
    server: LiveServer = await make_server(asr_model="none", max_call_seconds=2.0)
    call_id = f"long-{transport}"
    await asyncio.wait_for(play(server, call_id, INGEST, pc, transport, SECONDS, False), 30)
    call = await eventually(lambda: ended_call(server, call_id), within_s=15)
    assert call["end_reason"] == "max_duration", call
    assert 2.0 <= float(call["audio_seconds"]) < 2.5, call


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_no_transport_starts_a_call_for_a_key_without_the_ingest_role(
    make_server: Callable[..., Any], pc: RTCPeerConnection, transport: str
) -> None:
    server: LiveServer = await make_server(asr_model="none")
    call_id = f"refused-{transport}"
    key = AGENT_A if transport != "webrtc" else "x"  # an agent's softphone may start its own call
    await asyncio.wait_for(play(server, call_id, key, pc, transport, 1.0, True), 30)
    assert await server.store.get_call(call_id) is None


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_every_transport_stops_a_call_the_same_way(
    make_server: Callable[..., Any], pc: RTCPeerConnection, transport: str
) -> None:
    server: LiveServer = await make_server(asr_model="none")
    call_id = f"stopped-{transport}"
    await asyncio.wait_for(play(server, call_id, INGEST, pc, transport, 1.0, True), 30)
    call = await eventually(lambda: ended_call(server, call_id), within_s=15)
    assert call["end_reason"] == "stop", call
    assert 0.9 <= float(call["audio_seconds"]) <= 2.5, call  # a WebRTC track sends until hang-up


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_every_transport_ends_a_call_with_no_audio_for_the_idle_timeout(
    make_server: Callable[..., Any], pc: RTCPeerConnection, transport: str
) -> None:
    server: LiveServer = await make_server(asr_model="none", idle_timeout_seconds=3.0)
    call_id = f"idle-{transport}"
    await asyncio.wait_for(play(server, call_id, INGEST, pc, transport, 1.0, False), 30)
    call = await eventually(lambda: ended_call(server, call_id), within_s=15)
    assert call["end_reason"] == "error:idle_timeout", call
    assert float(call["audio_seconds"]) <= 1.1, call


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_every_transport_ends_its_calls_at_the_drain(
    make_server: Callable[..., Any], pc: RTCPeerConnection, transport: str
) -> None:
    server: LiveServer = await make_server(asr_model="none")
    call_id = f"drained-{transport}"
    client = asyncio.create_task(play(server, call_id, INGEST, pc, transport, 1.0, False))

    async def live() -> bool | None:
        call = await server.store.get_call(call_id)
        return True if call and call["status"] == "live" else None

    await eventually(live, within_s=15)
    await asyncio.sleep(1.5)  # its audio has arrived
    await server.app.state.services.drain(0.0)
    call = await eventually(lambda: ended_call(server, call_id), within_s=15)
    assert call["end_reason"] == "server_shutdown", call
    await asyncio.wait_for(client, 15)  # the server closed its connection
