"""kill -9 of the embedded Redis mid-call: the live call is ended with 1013 and a reason (not a
dropped socket), readiness is 503 while Redis is down, the server restarts Redis (which reloads
its AOF) and takes new calls again, `/healthz` stays 200 because the process recovered, and it
still stops cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
from pathlib import Path

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.live_server import start_message
from workbench.bench.harness import INGEST_KEY, ServerProcess

SILENCE = b"\x00" * 1280  # 20 ms of 16 kHz stereo


def redis_pid(data_dir: Path) -> int:
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            cmdline = (proc / "cmdline").read_bytes()  # Redis rewrites its title: search it whole
            if b"redis-server" in cmdline and str(data_dir).encode() in cmdline:
                return int(proc.name)
    raise AssertionError(f"no redis-server for {data_dir}")


async def stream_until_closed(
    url: str, call_id: str, started: asyncio.Event
) -> tuple[int | None, str, list[dict]]:
    messages: list[dict] = []
    async with connect(f"{url.replace('http', 'ws')}/v1/calls/{call_id}/audio?key={INGEST_KEY}") as ws:
        await ws.send(start_message())
        messages.append(json.loads(await ws.recv()))
        started.set()
        with contextlib.suppress(ConnectionClosed):
            for _ in range(3000):  # at most a minute
                await ws.send(SILENCE)
                await asyncio.sleep(0.02)
        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                messages.append(json.loads(raw))
        return ws.close_code, ws.close_reason or "", messages


async def test_embedded_redis_death_is_survived() -> None:
    env = {"CALLASSIST_ASR_MODEL": "none", "CALLASSIST_CALL_LEASE_SECONDS": "1.5"}
    async with ServerProcess(env) as server, httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        started = asyncio.Event()
        call = asyncio.create_task(stream_until_closed(server.url, "during-1", started))
        await asyncio.wait_for(started.wait(), 30)  # a loaded machine may take a while to open it
        await asyncio.sleep(1.0)
        os.kill(redis_pid(server.data_dir), signal.SIGKILL)
        killed = time.monotonic()
        code, reason, messages = await asyncio.wait_for(call, 30)
        assert code == 1013 and "Redis" in reason, (code, reason, messages)
        assert messages[-1]["type"] == "error" and messages[-1]["code"] == 1013
        assert time.monotonic() - killed < 10

        ready = (await http.get("/readyz")).status_code
        while ready != 200 and time.monotonic() - killed < 30:
            await asyncio.sleep(0.2)
            ready = (await http.get("/readyz")).status_code
        assert ready == 200, "Redis was not restarted"
        assert (await http.get("/healthz")).json() == {"status": "ok"}

        async with connect(
            f"{server.url.replace('http', 'ws')}/v1/calls/after-1/audio?key={INGEST_KEY}"
        ) as ws:
            await ws.send(start_message())
            assert json.loads(await ws.recv())["type"] == "started"
            for _ in range(50):
                await ws.send(SILENCE)
            await ws.send(json.dumps({"type": "stop"}))
            stopped = json.loads(await ws.recv())
        assert stopped["type"] == "stopped" and abs(stopped["audio_seconds"] - 1.0) < 0.05
        assert await server.stop() == 0
        assert "Traceback" not in server.log, server.log[-3000:]
