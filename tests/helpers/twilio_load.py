"""Concurrent Twilio Media Streams calls against a server in its own process: what was lost, how
far behind it fell, its CPU."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
from websockets.asyncio.client import connect

from server.settings import default_cache_dir
from tests.helpers.telephony import RATE, mulaw_tracks, play_twilio, twilio_messages
from workbench.bench.harness import INGEST_KEY, SUPERVISOR_KEY, ServerProcess
from workbench.demo.synth import synthesize_call

KEYS = {"CALLASSIST_INGEST_KEYS": INGEST_KEY, "CALLASSIST_SUPERVISOR_KEYS": "load-super"}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def watch(base: str, call_id: str, began: dict[str, float], lags: list[tuple[float, float]]) -> None:
    """speech_started arrival vs when that audio was sent: (position in the call, lag in s)."""
    url = f"{base.replace('http', 'ws')}/v1/calls/{call_id}/events?key={SUPERVISOR_KEY}"
    for _ in range(100):  # the call exists once its start message is in
        try:
            async with connect(url) as ws:
                async for raw in ws:
                    event = json.loads(raw)
                    if event["type"] == "speech_started" and call_id in began:
                        sent_at = began[call_id] + event["start"]
                        lags.append((event["start"], time.monotonic() - sent_at))
            return
        except Exception:
            await asyncio.sleep(0.1)


def load(redis_url: str, calls: int, seconds: float) -> dict[str, Any]:
    """Run `calls` Twilio calls of `seconds` each against a server in its own process."""
    call = synthesize_call(default_cache_dir())
    tracks = mulaw_tracks(call.wav_path)

    async def against_server() -> dict[str, Any]:
        prefix = f"load{uuid.uuid4().hex[:8]}:"
        env = {
            "CALLASSIST_REDIS_URL": redis_url,
            "CALLASSIST_REDIS_PREFIX": prefix,
            "CALLASSIST_ASR_MODEL": "none",
        }
        async with ServerProcess(env) as server:
            return await run(server.url, tracks, calls, seconds, server.pid)

    return asyncio.run(against_server())


async def run(base: str, tracks: list[bytes], calls: int, seconds: float, pid: int) -> dict[str, Any]:
    import httpx

    length = int(seconds * RATE)
    began: dict[str, float] = {}
    lags: list[tuple[float, float]] = []
    streams = []
    for n in range(calls):
        offset = (n * 4 * RATE) % max(1, len(tracks[0]) - length)  # each call starts at another point
        cut = [t[offset : offset + length] for t in tracks]
        params = {"key": INGEST_KEY, "agent_id": f"agent-{n % 5}"}
        streams.append((f"CALOAD{n:03d}", list(twilio_messages(cut, f"CALOAD{n:03d}", params))))

    async def one(call_id: str, messages: list[dict[str, Any]]) -> tuple[int | None, float]:
        began[call_id] = time.monotonic()
        code, _, seconds = await play_twilio(base, messages, speed=1.0)
        return code, seconds

    watchers = [asyncio.create_task(watch(base, call_id, began, lags)) for call_id, _ in streams]
    cpu_before, wall_before = cpu_seconds(pid), time.monotonic()
    results = await asyncio.gather(*(one(call_id, messages) for call_id, messages in streams))
    cpu = cpu_seconds(pid) - cpu_before
    wall = time.monotonic() - wall_before
    await asyncio.wait(watchers, timeout=10)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {SUPERVISOR_KEY}"}
    ) as http:
        ended = [(await http.get(f"/v1/calls/{call_id}")).json()["call"] for call_id, _ in streams]
    lost = sum(max(0.0, seconds - float(c.get("audio_seconds", 0))) for c in ended)
    lags.sort()
    third = seconds / 3
    first = [lag for at, lag in lags if at < third]
    last = [lag for at, lag in lags if at >= 2 * third]
    return {
        "calls": calls, "seconds": seconds, "closed_normally": sum(code == 1000 for code, _ in results),
        "audio_lost_s": round(lost, 3), "speech_starts": len(lags),
        "lag_first_ms": round(float(np.median(first)) * 1000, 1) if first else None,
        "lag_last_ms": round(float(np.median(last)) * 1000, 1) if last else None,
        "lag_p95_ms": round(float(np.percentile([lag for _, lag in lags], 95)) * 1000, 1) if lags else None,
        "stop_to_close_s_max": round(max(s for _, s in results) - seconds, 3),
        "server_cpu_percent": round(cpu / wall * 100, 1),
        "cpu_percent_per_call": round(cpu / wall * 100 / calls, 2),
    }  # fmt: skip
