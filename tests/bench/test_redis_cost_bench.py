"""What one call costs Redis, for the capacity model in docs/scaling.md: the commands it causes and
the memory its keys hold once it has ended (transcript, events, summary, archive entry), measured
on the 98 s demo call streamed into `callassist serve` in its own process (script recognizer,
extractive assistance). `make bench`; writes .bench/redis_cost.json; asserts only that the call
ran and left keys."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

from redis.asyncio import Redis

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from server.redis_runtime import EmbeddedRedis, find_redis_server
from workbench.bench.harness import INGEST_KEY, ServerProcess
from workbench.demo.player import encode_call, play
from workbench.demo.synth import SynthesizedCall


async def measure(call: SynthesizedCall) -> dict[str, object]:
    rate, audio = read_wav(call.wav_path)
    data, rate = encode_call(audio, rate, Encoding.PCM_S16LE, None)
    env = {"CALLASSIST_ASR_MODEL": f"script:{call.wav_path.with_suffix('.json')}"}
    async with ServerProcess(env) as server:
        redis = Redis.from_url(EmbeddedRedis(find_redis_server(""), server.data_dir).url)

        async def one(call_id: str, agent: str, speed: float) -> dict:
            return await play(server.url, call_id, INGEST_KEY, data, encoding=Encoding.PCM_S16LE, sample_rate=rate,
                              channel_roles=call.channel_roles, agent_id=agent, speed=speed)  # fmt: skip

        async def commands() -> int:
            return sum(v["calls"] for v in (await redis.info("commandstats")).values())

        try:
            await one("warm-0", "agent-a", 0)  # models and indexes warm
            await asyncio.sleep(2)
            before, memory_before = await commands(), (await redis.info("memory"))["used_memory"]
            result = await one("cost-1", "agent-b", 1.0)  # real time: partials as in a live call
            await asyncio.sleep(3)
            after, memory_after = await commands(), (await redis.info("memory"))["used_memory"]
            keys = [k async for k in redis.scan_iter(match="*cost-1*")] + [b"ca:agent:agent-b:events"]
            usage = {k.decode(): await redis.memory_usage(k) or 0 for k in keys}
        finally:
            await redis.aclose()
    audio_s = float(result["audio_seconds"])
    return {
        "audio_s": audio_s,
        "commands": after - before,
        "commands_per_call_second": round((after - before) / audio_s, 2),
        "memory_delta_bytes": memory_after - memory_before,
        "key_bytes": sum(usage.values()),
        "bytes_per_call_hour": round(sum(usage.values()) * 3600 / audio_s),
        "keys": usage,
    }


def test_redis_cost_of_one_call(demo_call: SynthesizedCall) -> None:
    cost = asyncio.run(measure(demo_call))
    print("\nRedis cost of one call:", json.dumps({k: v for k, v in cost.items() if k != "keys"}))
    assert cost["commands"] and cost["key_bytes"]
    out = Path(os.environ.get("CALLASSIST_BENCH_OUT", ".bench"))
    out.mkdir(exist_ok=True)
    (out / "redis_cost.json").write_text(json.dumps(cost, indent=1))
