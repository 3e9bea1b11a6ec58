"""The recognition tier across processes: a server in CALLASSIST_ASR_MODE=remote and recognition
workers (`callassist asr-worker`), all on one Redis. A call streams while its first worker is
frozen holding jobs and then killed; a second worker takes those jobs over (XAUTOCLAIM) and every
final of the call still gets its text. Without any worker, a new call is refused with 1013."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time

from redis.asyncio import Redis
from websockets.asyncio.client import connect

from agent.asr.remote import GROUP, jobs_key, workers_key
from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from agent.store import CallStore
from server.bench.harness import INGEST_KEY, ServerProcess
from server.demo.player import encode_call, play
from server.demo.synth import SynthesizedCall
from tests.live_server import receive_until_closed, start_message


async def start_worker(env: dict[str, str], name: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", "asr-worker", "--name", name, "--concurrency", "4",
        env={**os.environ, **env}, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def wait_for_worker(redis: Redis, prefix: str, name: str) -> None:
    deadline = time.monotonic() + 60
    while not await redis.hexists(workers_key(prefix), name):
        assert time.monotonic() < deadline, f"worker {name} did not come up"
        await asyncio.sleep(0.2)


async def first_final(store: CallStore, call_id: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(e.type == "final" for e in await store.read_events(store.call_events_key(call_id), "0")):
            return
        await asyncio.sleep(0.2)
    raise AssertionError("no final within 60 s")


async def test_a_frozen_then_killed_worker_loses_no_final(
    redis_url: str, prefix: str, demo_call: SynthesizedCall
) -> None:
    script = f"script:{demo_call.wav_path.with_suffix('.json')}"
    common = {
        "CALLASSIST_REDIS_URL": redis_url,
        "CALLASSIST_REDIS_PREFIX": prefix,
        "CALLASSIST_ASR_RECLAIM_MS": "1000",
    }
    worker_env = {**common, "CALLASSIST_ASR_MODEL": script, "CALLASSIST_LOG_LEVEL": "warning"}
    rate, audio = read_wav(demo_call.wav_path)
    data, rate = encode_call(audio[: len(audio) // 2], rate, Encoding.PCM_S16LE, None)
    redis = Redis.from_url(redis_url)
    first: asyncio.subprocess.Process | None = None
    second: asyncio.subprocess.Process | None = None
    try:
        async with ServerProcess({**common, "CALLASSIST_ASR_MODE": "remote"}) as server:
            # with no worker alive yet, calls are refused clearly
            async with connect(
                f"{server.url.replace('http', 'ws')}/v1/calls/early-1/audio?key={INGEST_KEY}"
            ) as ws:
                await ws.send(start_message())
                await asyncio.wait_for(receive_until_closed(ws), 10)
            assert ws.close_code == 1013 and "worker" in (ws.close_reason or ""), ws.close_reason
            first = await start_worker(worker_env, "w-first")
            await wait_for_worker(redis, prefix, "w-first")
            await asyncio.sleep(2.5)  # the server reads heartbeats every 2 s

            store = CallStore(redis, prefix)
            streaming = asyncio.create_task(play(
                server.url, "tier-1", INGEST_KEY, data, encoding=Encoding.PCM_S16LE, sample_rate=rate,
                channel_roles=demo_call.channel_roles, agent_id="agent-a", speed=4.0, settle_s=1.0,
            ))  # fmt: skip
            await first_final(store, "tier-1")
            first.send_signal(signal.SIGSTOP)  # frozen: what it has read stays pending, unanswered
            await asyncio.sleep(1.0)  # its blocked read still takes jobs for it meanwhile
            held = (await redis.xpending(jobs_key(prefix), GROUP))["consumers"]
            held_by_first = sum(int(c["pending"]) for c in held if c["name"] in (b"w-first", "w-first"))
            second = await start_worker(worker_env, "w-second")
            await wait_for_worker(redis, prefix, "w-second")
            first.kill()
            result = await asyncio.wait_for(streaming, 120)
            assert result["type"] == "stopped", result

            events = await store.read_events(store.call_events_key("tier-1"), "0")
            finals = [e.data for e in events if e.type == "final"]
            assert len(finals) >= 5, len(finals)
            untranscribed = [f for f in finals if f.get("source") != "script" or f.get("text") is None]
            assert not untranscribed, untranscribed  # every final got its text from some worker
            pending = await redis.xpending(jobs_key(prefix), GROUP)
            assert pending["pending"] == 0, pending  # nothing left unanswered
            await asyncio.sleep(2.5)  # the next heartbeat
            beat = json.loads(await redis.hget(workers_key(prefix), "w-second"))
            assert beat["done"] > 0 and beat["reclaimed"] >= held_by_first, (beat, held_by_first)
            print(f"\nfrozen worker held {held_by_first} job(s); the other reclaimed {beat['reclaimed']}")
    finally:
        for process in (first, second):
            if process is not None and process.returncode is None:
                process.send_signal(signal.SIGCONT)
                process.terminate()
                await process.wait()
        await redis.aclose()
