"""A client of the native ingest protocol: streams a WAV file into `/v1/calls/{id}/audio`.

Used by `make demo`, by `callassist play`, and as a reference for integrators.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import soxr
from websockets.asyncio.client import connect

from agent.audio.codecs import Encoding, encode
from agent.audio.wav import read_wav

FRAME_MS = 20


def encode_call(
    audio: np.ndarray, rate: int, encoding: Encoding, target_rate: int | None
) -> tuple[bytes, int]:
    """(samples, channels) float32 → interleaved bytes in `encoding`, resampled to `target_rate`."""
    target = target_rate or rate
    if target != rate:
        audio = soxr.resample(audio, rate, target, quality="HQ")
    return encode(np.asarray(audio, dtype=np.float32).reshape(-1), encoding), target


class CallRefused(RuntimeError):
    """The server answered `start` with something other than `started`."""


async def play(
    base_url: str,
    call_id: str,
    key: str,
    data: bytes,
    *,
    encoding: Encoding,
    sample_rate: int,
    channel_roles: Sequence[str],
    agent_id: str,
    speed: float = 1.0,
    metadata: dict[str, Any] | None = None,
    on_started: Callable[[float], Awaitable[None]] | None = None,
    settle_s: float = 0.0,
    stop_timeout_s: float | None = None,
) -> dict[str, Any]:
    """Send `data` in 20 ms frames, paced at `speed` × real time (0: as fast as the server takes it).
    Returns the server's `stopped` (or `error`) message.

    `on_started(t)` is awaited once the call is accepted, with the monotonic time its audio starts
    (a client that watches the call's feed opens it there); `settle_s` waits between the last frame
    and `stop` (the last utterance's hangover); `stop_timeout_s` bounds the wait for `stopped`."""
    channels = len(channel_roles)
    bytes_per_sample = 2 if encoding is Encoding.PCM_S16LE else 1
    frame = sample_rate * FRAME_MS // 1000 * channels * bytes_per_sample
    url = (
        base_url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/")
        + f"/v1/calls/{call_id}/audio"
    )
    start = {
        "type": "start",
        "agent_id": agent_id,
        "encoding": encoding.value,
        "sample_rate": sample_rate,
        "channels": channels,
        "channel_roles": list(channel_roles),
        "metadata": metadata or {},
    }
    async with connect(url, additional_headers={"Authorization": f"Bearer {key}"}, max_size=None) as ws:
        await ws.send(json.dumps(start))
        reply = json.loads(await ws.recv())
        if reply.get("type") != "started":
            raise CallRefused(f"server refused the call: {reply}")
        began = time.monotonic()
        if on_started is not None:
            await on_started(began)
        for index, offset in enumerate(range(0, len(data), frame)):
            if speed > 0:
                delay = began + index * FRAME_MS / 1000 / speed - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            await ws.send(data[offset : offset + frame])
        if settle_s > 0:
            await asyncio.sleep(settle_s)
        await ws.send(json.dumps({"type": "stop"}))
        async with asyncio.timeout(stop_timeout_s):
            while True:
                reply = json.loads(await ws.recv())
                if reply.get("type") in ("stopped", "error"):
                    return reply


async def play_wav(
    base_url: str,
    call_id: str,
    key: str,
    wav: Path,
    *,
    channel_roles: Sequence[str],
    agent_id: str,
    encoding: Encoding = Encoding.PCM_S16LE,
    sample_rate: int | None = None,
    speed: float = 1.0,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    rate, audio = read_wav(wav)
    if audio.shape[1] != len(channel_roles):
        raise ValueError(f"{wav} has {audio.shape[1]} channel(s) but {len(channel_roles)} role(s) were given")
    data, rate = encode_call(audio, rate, encoding, sample_rate)
    return await play(
        base_url,
        call_id,
        key,
        data,
        encoding=encoding,
        sample_rate=rate,
        channel_roles=channel_roles,
        agent_id=agent_id,
        speed=speed,
        metadata=metadata,
    )
