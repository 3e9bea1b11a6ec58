"""WebRTC ingest with a real aiortc peer: two audio tracks (customer, agent) of the synthesized
call sent over loopback to the server, in real time, then hung up."""

from __future__ import annotations

import asyncio

import httpx
import numpy as np
import soxr
from aiortc import RTCPeerConnection, RTCSessionDescription

from agent.audio.wav import read_wav
from tests.helpers.webrtc import RATE, ArrayTrack, StallingTrack, ended_call
from tests.live_server import AGENT_A, INGEST, LiveServer, eventually
from workbench.demo.synth import SynthesizedCall

CLIP_S = 15.0  # the first two utterances: agent greeting, customer question


def tracks(call: SynthesizedCall) -> list[ArrayTrack]:
    rate, audio = read_wav(call.wav_path)
    audio = soxr.resample(audio[: int(CLIP_S * rate)], rate, RATE)
    return [ArrayTrack((np.clip(audio[:, c], -1, 1) * 32767).astype(np.int16)) for c in range(2)]


async def test_two_tracks_from_an_aiortc_peer_become_a_call(
    server: LiveServer, demo_call: SynthesizedCall, pc: RTCPeerConnection
) -> None:
    await _play_and_hang_up(server, pc, demo_call)
    call = await server.store.get_call("rtc-1")
    assert call is not None and call["status"] == "ended" and call["end_reason"] == "stop"
    assert call["channel_roles"] == ["customer", "agent"] and call["metadata"]["source"] == "webrtc"
    transcript = await server.store.transcript("rtc-1")
    expected = [u for u in demo_call.utterances if u["end"] < CLIP_S - 0.5]
    assert len(expected) >= 2
    for truth in expected:  # each utterance once, on its own channel and role, close to its true time
        found = [s for s in transcript if int(s["channel"]) == truth["channel"]
                 and float(s["start"]) < truth["end"] and float(s["end"]) > truth["start"]]  # fmt: skip
        assert len(found) == 1, (truth, transcript)
        assert found[0]["role"] == truth["role"]
        assert abs(float(found[0]["start"]) - truth["start"]) < 0.4, (truth, found)


async def test_offers_that_do_not_fit_are_refused(server: LiveServer, pc: RTCPeerConnection) -> None:
    pc.addTrack(ArrayTrack(np.zeros(RATE, np.int16)))
    await pc.setLocalDescription(await pc.createOffer())
    sdp = pc.localDescription.sdp
    async with httpx.AsyncClient(base_url=server.http) as http:
        offer = {"sdp": sdp, "type": "offer", "agent_id": "agent-a", "track_roles": ["customer"]}
        assert (await http.post("/v1/calls/rtc-2/webrtc", json=offer)).status_code == 401
        auth = {"Authorization": f"Bearer {INGEST}"}
        three = {**offer, "track_roles": ["customer", "agent", "customer"]}
        assert (await http.post("/v1/calls/rtc-2/webrtc", json=three, headers=auth)).status_code == 422
        wrong = await http.post(
            "/v1/calls/rtc-2/webrtc", json={**offer, "sdp": sdp.replace("m=audio", "m=video")}, headers=auth
        )
        assert wrong.status_code == 415 and "0 audio track(s) but 1 role(s)" in wrong.json()["detail"]
        no_agent = await http.post("/v1/calls/rtc-2/webrtc", json={**offer, "agent_id": None}, headers=auth)
        assert no_agent.status_code == 422
        other = await http.post(
            "/v1/calls/rtc-2/webrtc",
            json={**offer, "agent_id": "agent-b"},
            headers={"Authorization": f"Bearer {AGENT_A}"},
        )
        assert other.status_code == 403


async def test_a_track_that_stops_sending_ends_the_call(make_server, pc: RTCPeerConnection) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(idle_timeout_seconds=2.0)
    pc.addTrack(StallingTrack(np.zeros(RATE, np.int16)))  # one second of silence, then a frozen sender
    await pc.setLocalDescription(await pc.createOffer())
    async with httpx.AsyncClient(
        base_url=server.http, headers={"Authorization": f"Bearer {AGENT_A}"}
    ) as http:
        body = {"sdp": pc.localDescription.sdp, "type": "offer", "track_roles": ["agent"]}
        response = await http.post("/v1/calls/rtc-3/webrtc", json=body)
        assert response.status_code == 200, response.text
        await pc.setRemoteDescription(RTCSessionDescription(sdp=response.json()["sdp"], type="answer"))
    call = await eventually(lambda: ended_call(server, "rtc-3"), within_s=15)
    assert call["end_reason"] == "error:idle_timeout" and call["agent_id"] == "agent-a"


async def _play_and_hang_up(server: LiveServer, pc: RTCPeerConnection, demo_call: SynthesizedCall) -> None:
    for track in tracks(demo_call):
        pc.addTrack(track)
    await pc.setLocalDescription(await pc.createOffer())
    # the hang-up answers once the summary and archive entry are written: seconds, but on a CPU
    # shared with the rest of the suite that work may run into its own 60 s bound
    headers = {"Authorization": f"Bearer {INGEST}"}
    async with httpx.AsyncClient(base_url=server.http, headers=headers, timeout=150) as http:
        body = {
            "sdp": pc.localDescription.sdp,
            "type": "offer",
            "agent_id": "agent-a",
            "track_roles": ["customer", "agent"],
        }
        response = await http.post("/v1/calls/rtc-1/webrtc", json=body)
        assert response.status_code == 200, response.text
        await pc.setRemoteDescription(RTCSessionDescription(sdp=response.json()["sdp"], type="answer"))
        await eventually(lambda: asyncio.sleep(0, result=pc.connectionState == "connected"), 10)
        await asyncio.sleep(CLIP_S + 1.0)
        assert (await http.delete("/v1/calls/rtc-1/webrtc")).json() == {"call_id": "rtc-1", "status": "ended"}
        assert (await http.delete("/v1/calls/rtc-1/webrtc")).status_code == 404
