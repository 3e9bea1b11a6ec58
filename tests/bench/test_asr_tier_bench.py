"""Recognition throughput of the worker tier with one worker vs two (one core each, pinned with
taskset), on the same workload in the same run: the demo call's utterances as final jobs, all
submitted at once through the server's remote recognizer, answered by `callassist asr-worker`
processes running the default tuned model with one CTranslate2 thread. Each configuration runs
the workload TRIALS times after every worker has warmed up and keeps its best. `make bench`;
writes .bench/asr_tier.json; asserts only that every job was answered."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from pathlib import Path

import pytest
from redis.asyncio import Redis

from agent.asr.interface import JobKind, TranscriptionRequest
from agent.asr.remote import RemoteTranscriber
from agent.audio.wav import read_wav
from agent.events import Role
from kb.redis_keys import RedisKeys
from tests.helpers.asr_workers import running_workers, wait_for_workers
from workbench.demo.synth import SynthesizedCall

TRIALS = 3
ROUNDS = 6  # the call's 16 utterances, this many times over


def jobs(call: SynthesizedCall) -> list[TranscriptionRequest]:
    rate, audio = read_wav(call.wav_path)
    assert rate == 16000
    script = json.loads(call.wav_path.with_suffix(".json").read_text("utf-8"))
    requests = []
    for n in range(ROUNDS):
        for line in script["utterances"]:
            start, end = float(line["start"]), float(line["end"])
            mono = audio[int(start * rate) : int(end * rate), line["channel"]]
            requests.append(TranscriptionRequest(
                call_id=f"bench-{n}", channel=line["channel"], role=Role(call.channel_roles[line["channel"]]),
                kind=JobKind.FINAL, start=start, end=end, audio=mono.astype("float32"),
            ))  # fmt: skip
    return requests


async def every_worker_warm(redis: Redis, prefix: str, workers: int) -> bool:
    beats = [json.loads(v) for v in (await redis.hgetall(RedisKeys(prefix).asr_workers)).values()]
    return len(beats) >= workers and all(beat["done"] >= 2 for beat in beats)


async def throughput(redis_url: str, workers: int, requests: list[TranscriptionRequest]) -> dict[str, float]:
    prefix = f"tierbench-{uuid.uuid4().hex[:8]}:"
    env = {"CALLASSIST_REDIS_URL": redis_url, "CALLASSIST_REDIS_PREFIX": prefix,
           "CALLASSIST_ASR_CPU_THREADS": "1", "CALLASSIST_LOG_LEVEL": "warning"}  # fmt: skip
    redis = Redis.from_url(redis_url)
    client = RemoteTranscriber(Redis.from_url(redis_url), prefix, "bench", Redis.from_url(redis_url))
    try:
        async with running_workers(env, [f"w{n}" for n in range(workers)], concurrency=8, pinned=True):
            await wait_for_workers(redis, prefix, workers, within_s=120)
            await client.start()
            while not await every_worker_warm(redis, prefix, workers):  # each model's first calls are slow
                await asyncio.gather(*(client.transcribe(r) for r in requests[: 2 * workers]))
            timings = []
            for _ in range(TRIALS):  # the best of a few: other work on the machine only ever slows a trial
                started = time.perf_counter()
                answers = await asyncio.gather(*(client.transcribe(r) for r in requests))
                timings.append(time.perf_counter() - started)
                assert all(a is not None for a in answers), "a job went unanswered"
            seconds = min(timings)
    finally:
        await client.close()
        await redis.aclose()
    audio_s = sum(r.end - r.start for r in requests)
    return {"workers": workers, "jobs": len(requests), "seconds": round(seconds, 2),
            "trials_s": [round(t, 2) for t in timings], "jobs_per_s": round(len(requests) / seconds, 2), "audio_s_per_s": round(audio_s / seconds, 2)}  # fmt: skip


@pytest.mark.timeout(1200)
def test_two_workers_against_one(redis_url: str, demo_call: SynthesizedCall) -> None:
    requests = jobs(demo_call)
    one = asyncio.run(throughput(redis_url, 1, requests))
    two = asyncio.run(throughput(redis_url, 2, requests))
    ratio = round(two["jobs_per_s"] / one["jobs_per_s"], 2)
    print(f"\nrecognition tier, {len(requests)} finals: 1 worker {one['jobs_per_s']} jobs/s "
          f"({one['audio_s_per_s']} s of audio per s), 2 workers {two['jobs_per_s']} jobs/s: {ratio}×")  # fmt: skip
    out = Path(os.environ.get("CALLASSIST_BENCH_OUT", ".bench"))
    out.mkdir(exist_ok=True)
    (out / "asr_tier.json").write_text(json.dumps({"one": one, "two": two, "ratio": ratio}, indent=1))
