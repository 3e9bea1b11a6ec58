"""SIGTERM drains instead of cutting: readiness goes false and new calls are refused (1013), a call
that stops within the grace period ends normally, one still streaming when it runs out is ended
as `server_shutdown` with close 1001 and a reason, both get their final summary and archive entry,
and the process exits 0."""

from __future__ import annotations

import asyncio
import json

import httpx
from redis.asyncio import Redis
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from agent.store import CallStore
from kb.redis_keys import RedisKeys
from tests.live_server import start_message
from workbench.bench.harness import INGEST_KEY, ServerProcess

SILENCE = b"\x00" * 1280  # 20 ms of 16 kHz stereo


async def stream(url: str, call_id: str, stop_after_s: float | None) -> tuple[int | None, str, list[dict]]:
    """Send silence in real time (with a few loud frames, so there is speech); stop after
    `stop_after_s` if given. Returns the close code, its reason and the server's messages."""
    messages: list[dict] = []
    async with connect(f"{url.replace('http', 'ws')}/v1/calls/{call_id}/audio?key={INGEST_KEY}") as ws:
        await ws.send(start_message())
        messages.append(json.loads(await ws.recv()))
        sent = 0.0
        try:
            while stop_after_s is None or sent < stop_after_s:
                await ws.send(SILENCE)
                sent += 0.02
                await asyncio.sleep(0.02)
            await ws.send(json.dumps({"type": "stop"}))
            async for raw in ws:
                messages.append(json.loads(raw))
        except ConnectionClosed:
            pass
        with __import__("contextlib").suppress(ConnectionClosed):
            async for raw in ws:
                messages.append(json.loads(raw))
        return ws.close_code, ws.close_reason or "", messages


async def test_sigterm_drains_live_calls(redis_url: str, prefix: str) -> None:
    env = {"CALLASSIST_REDIS_URL": redis_url, "CALLASSIST_REDIS_PREFIX": prefix, "CALLASSIST_ASR_MODEL": "none",
           "CALLASSIST_DRAIN_SECONDS": "3"}  # fmt: skip
    async with ServerProcess(env) as server:
        finishing = asyncio.create_task(stream(server.url, "drain-stops", stop_after_s=2.5))
        running = asyncio.create_task(stream(server.url, "drain-runs", stop_after_s=None))
        await asyncio.sleep(1.0)
        stopping = asyncio.create_task(server.stop(grace_s=60))
        await asyncio.sleep(0.5)
        async with httpx.AsyncClient(base_url=server.url) as http:
            ready = await http.get("/readyz")
        assert ready.status_code == 503 and "draining" in ready.json(), ready.text
        refused = await stream(server.url, "drain-new", stop_after_s=0.1)
        assert refused[0] == 1013 and "shutting down" in refused[1], refused
        code_a, _, messages_a = await finishing
        assert code_a == 1000 and messages_a[-1]["type"] == "stopped", messages_a
        code_b, reason_b, messages_b = await running
        assert code_b == 1001 and "shutting down" in reason_b, (code_b, reason_b)
        assert messages_b[-1]["type"] == "error" and messages_b[-1]["code"] == 1001
        assert await stopping == 0
        assert "Traceback" not in server.log and "CancelledError" not in server.log, server.log[-3000:]

    redis = Redis.from_url(redis_url)
    try:
        store = CallStore(redis, prefix)
        for call_id, reason in [("drain-stops", "stop"), ("drain-runs", "server_shutdown")]:
            call = await store.get_call(call_id)
            assert call is not None and call["status"] == "ended" and call["end_reason"] == reason, call
            assert call["audio_seconds"] > 1.0
            summary = await redis.get(store.keys.summary(call_id))
            assert summary is not None and json.loads(summary)["kind"] == "final"
            assert await redis.exists(RedisKeys(prefix).archive_call(call_id))
        assert await store.get_call("drain-new") is None
    finally:
        await redis.aclose()
