"""Simulated telephony clients: a two-track call as Twilio Media Streams would send it, and as
Genesys AudioHook would. Used by the replay tests and the load benchmark; they follow the
public protocol descriptions, message by message."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import soxr
from websockets.asyncio.client import connect

from agent.audio.codecs import Encoding, encode
from agent.audio.wav import read_wav

CHUNK_MS = 20
RATE = 8000


def mulaw_tracks(wav: Path) -> list[bytes]:
    """Each channel of a WAV as 8 kHz μ-law bytes."""
    rate, audio = read_wav(wav)
    audio = soxr.resample(audio, rate, RATE, quality="HQ")
    return [encode(np.ascontiguousarray(audio[:, c]), Encoding.MULAW) for c in range(audio.shape[1])]


def twilio_messages(
    tracks: list[bytes],
    call_sid: str,
    parameters: dict[str, str],
    track_names: tuple[str, ...] = ("inbound", "outbound"),
) -> Iterator[dict[str, Any]]:
    """connected, start, media of every track in time order (20 ms chunks), stop."""
    stream_sid = "MZ" + uuid.uuid4().hex
    sequence = iter(range(1, 10**9))
    yield {"event": "connected", "protocol": "Call", "version": "1.0.0"}
    yield {
        "event": "start", "sequenceNumber": str(next(sequence)), "streamSid": stream_sid,
        "start": {
            "accountSid": "AC" + "0" * 32, "streamSid": stream_sid, "callSid": call_sid,
            "tracks": list(track_names[: len(tracks)]), "customParameters": parameters,
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": RATE, "channels": 1},
        },
    }  # fmt: skip
    step = RATE * CHUNK_MS // 1000
    length = max(len(t) for t in tracks)
    for number, offset in enumerate(range(0, length, step), 1):
        for name, track in zip(track_names, tracks, strict=False):
            payload = track[offset : offset + step]
            if payload:
                yield {
                    "event": "media", "sequenceNumber": str(next(sequence)), "streamSid": stream_sid,
                    "media": {"track": name, "chunk": str(number), "timestamp": str(offset * 1000 // RATE),
                              "payload": base64.b64encode(payload).decode()},
                }  # fmt: skip
    yield {"event": "stop", "sequenceNumber": str(next(sequence)), "streamSid": stream_sid,
           "stop": {"accountSid": "AC" + "0" * 32, "callSid": call_sid}}  # fmt: skip


async def play_twilio(
    base_url: str,
    messages: list[dict[str, Any]],
    *,
    speed: float = 1.0,
    headers: dict[str, str] | None = None,
) -> tuple[int | None, str | None, float]:
    """Send the messages (paced by media timestamps at `speed` × real time; 0: at once).
    Returns the close code and reason, and the seconds from the first media message to the close."""
    url = base_url.replace("http://", "ws://").rstrip("/") + "/v1/twilio/media"
    async with connect(url, additional_headers=headers or {}, max_size=None) as ws:
        began = time.monotonic()
        for message in messages:
            if speed > 0 and message["event"] == "media":
                due = began + int(message["media"]["timestamp"]) / 1000 / speed
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            await ws.send(json.dumps(message))
        await ws.wait_closed()
        return ws.close_code, ws.close_reason, time.monotonic() - began


class AudioHookClient:
    """The Genesys side of an AudioHook session, for tests: sequence numbers kept for you."""

    def __init__(self, ws: Any, session_id: str) -> None:
        self.ws = ws
        self.session_id = session_id
        self.seq = 0
        self.serverseq = 0
        self.position = 0.0

    async def send(self, type_: str, parameters: dict[str, Any] | None = None, **override: Any) -> None:
        self.seq += 1
        message = {
            "version": "2", "id": self.session_id, "type": type_, "seq": self.seq, "serverseq": self.serverseq,
            "position": f"PT{self.position:.2f}S", "parameters": parameters or {}, **override,
        }  # fmt: skip
        await self.ws.send(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await self.ws.recv())
        self.serverseq = message["seq"]
        return message

    async def audio(self, data: bytes, channels: int) -> None:
        await self.ws.send(data)
        self.position += len(data) / channels / RATE


def open_parameters(conversation_id: str, media: list[dict[str, Any]], **custom: Any) -> dict[str, Any]:
    return {
        "organizationId": str(uuid.uuid4()), "conversationId": conversation_id,
        "participant": {"id": str(uuid.uuid4()), "ani": "tel:+821012345678", "aniName": "", "dnis": "tel:+8215881234"},
        "media": media, "language": "ko-KR", "customConfig": custom,
    }  # fmt: skip


STEREO_PCMU = {"type": "audio", "format": "PCMU", "channels": ["external", "internal"], "rate": RATE}
MONO_PCMU = {"type": "audio", "format": "PCMU", "channels": ["external"], "rate": RATE}
