"""kill -9 of a server mid-call: every final it stored survives, and another server's sweeper
ends the call within a few lease periods as `server_lost`, with the audio time it had reached,
its final summary and its archive entry; the call id is then refused with 4409 and a reason."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

from redis.asyncio import Redis
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from agent.store import CallStore
from kb.redis_keys import RedisKeys
from tests.live_server import start_message
from workbench.bench.harness import INGEST_KEY, ServerProcess
from workbench.demo.player import encode_call, play
from workbench.demo.synth import SynthesizedCall

LEASE_S = 2.0


async def test_a_killed_servers_call_is_ended_by_another(
    redis_url: str, prefix: str, demo_call: SynthesizedCall
) -> None:
    env = {"CALLASSIST_REDIS_URL": redis_url, "CALLASSIST_REDIS_PREFIX": prefix,
           "CALLASSIST_ASR_MODEL": f"script:{demo_call.wav_path.with_suffix('.json')}",
           "CALLASSIST_CALL_LEASE_SECONDS": str(LEASE_S)}  # fmt: skip
    rate, audio = read_wav(demo_call.wav_path)
    data, rate = encode_call(audio, rate, Encoding.PCM_S16LE, None)
    redis = Redis.from_url(redis_url)
    store = CallStore(redis, prefix)
    try:
        async with ServerProcess(env) as doomed, ServerProcess(env) as survivor:
            streaming = asyncio.create_task(play(
                doomed.url, "killed-1", INGEST_KEY, data, encoding=Encoding.PCM_S16LE, sample_rate=rate,
                channel_roles=demo_call.channel_roles, agent_id="agent-a", speed=2.0,
            ))  # fmt: skip
            finals: list[str] = []
            deadline = time.monotonic() + 60
            while len(finals) < 2 and time.monotonic() < deadline:  # some finals stored, then the kill
                await asyncio.sleep(0.5)
                events = await store.read_events(store.keys.call_events("killed-1"), "0")
                finals = [e.id for e in events if e.type == "final"]
            await doomed.kill()
            killed_at = time.monotonic()
            with contextlib.suppress(Exception):
                await streaming
            call = await store.get_call("killed-1")
            while (call is None or call["status"] == "live") and time.monotonic() - killed_at < 10 * LEASE_S:
                await asyncio.sleep(0.2)
                call = await store.get_call("killed-1")
            swept_after = time.monotonic() - killed_at
            assert call is not None and call["end_reason"] == "server_lost", (call, swept_after)
            assert swept_after < 3 * LEASE_S, swept_after  # expiry, then the next sweep
            assert call["audio_seconds"] > 3.0, call
            events = await store.read_events(store.keys.call_events("killed-1"), "0")
            kept = [e.id for e in events if e.type == "final"]
            assert set(finals) <= set(kept), "a final stored before the kill was lost"
            summary = [e for e in events if e.type == "summary" and e.data["kind"] == "final"]
            assert summary and summary[-1].data["finals"] >= len(finals), summary
            assert events[-1].type == "call_ended"
            assert await redis.exists(RedisKeys(prefix).archive_call("killed-1"))

            url = f"{survivor.url.replace('http', 'ws')}/v1/calls/killed-1/audio?key={INGEST_KEY}"
            async with connect(url) as ws:
                await ws.send(start_message())
                with contextlib.suppress(ConnectionClosed):
                    reply = json.loads(await asyncio.wait_for(ws.recv(), 10))
                    assert reply["type"] == "error", reply
                    await asyncio.wait_for(ws.recv(), 10)
            assert ws.close_code == 4409 and "already ended" in (ws.close_reason or ""), ws.close_reason
    finally:
        await redis.aclose()
