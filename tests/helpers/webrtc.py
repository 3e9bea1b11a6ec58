"""A real aiortc peer for the WebRTC tests: audio tracks from arrays, paced in real time, and a
local peer connection closed after each test."""

from __future__ import annotations

import asyncio
import fractions
import time
from collections.abc import AsyncIterator

import numpy as np
import pytest_asyncio
from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection

from tests.live_server import LiveServer

RATE = 48000
FRAME = 960  # 20 ms


class ArrayTrack(MediaStreamTrack):
    """Audio from an array, paced in real time like a microphone."""

    kind = "audio"

    def __init__(self, samples: np.ndarray) -> None:
        super().__init__()
        self.samples = samples
        self.sent = 0
        self.began: float | None = None

    async def recv(self):  # type: ignore[no-untyped-def]
        import av

        self.began = self.began or time.monotonic()
        due = self.began + self.sent / RATE
        if (delay := due - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        chunk = self.samples[self.sent : self.sent + FRAME]
        if len(chunk) < FRAME:
            chunk = np.pad(chunk, (0, FRAME - len(chunk)))
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, self.sent, fractions.Fraction(1, RATE)
        self.sent += FRAME
        return frame


class StallingTrack(ArrayTrack):
    """Sends its samples, then nothing at all (a sender that froze without closing)."""

    async def recv(self):  # type: ignore[no-untyped-def]
        if self.sent >= len(self.samples):
            await asyncio.Event().wait()
        return await super().recv()


@pytest_asyncio.fixture
async def pc() -> AsyncIterator[RTCPeerConnection]:
    """A local peer, closed after the test whatever happened (an open one outlives the test)."""
    peer = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    yield peer
    await peer.close()


async def ended_call(server: LiveServer, call_id: str) -> dict | None:
    call = await server.store.get_call(call_id)
    return call if call and call["status"] == "ended" else None
