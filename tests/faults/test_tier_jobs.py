"""The recognition tier against jobs that would lock it up or leak: a malformed job, one whose
reply stream is no stream, one naming a key outside the prefix, 60 MB of audio written straight
into the queue, a job slower than the reclaim time, and an over-long job submitted by a server.
A real worker (`AsrWorker`) on the real Redis; its recognizer answers with timing only, slowed on
purpose where a slow job is the point."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import numpy as np
from redis.asyncio import Redis

from agent.asr.interface import JobKind, NoTranscriber, Transcription, TranscriptionRequest
from agent.asr.remote import (
    GROUP,
    MAX_DELIVERIES,
    RemoteTranscriber,
    encode_job,
)
from agent.asr.worker import AsrWorker
from agent.events import Role
from kb.redis_keys import RedisKeys
from tests.live_server import eventually


class SlowRecognizer(NoTranscriber):
    """Timing only, `seconds` per job, counting its calls."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds, self.calls, self.prompts = seconds, 0, []

    async def transcribe(self, request: TranscriptionRequest) -> Transcription | None:
        self.calls += 1
        self.prompts.append(request.prompt)
        await asyncio.sleep(self.seconds)
        return Transcription(text="네", source="whisper")


def request(seconds: float = 1.0, prompt: str | None = None) -> TranscriptionRequest:
    return TranscriptionRequest(
        call_id="tier-1", channel=0, role=Role.CUSTOMER, kind=JobKind.FINAL, start=0.0, end=seconds,
        audio=np.zeros(int(seconds * 16_000), np.float32), prompt=prompt,
    )  # fmt: skip


async def _running(worker: AsrWorker) -> asyncio.Task[None]:
    task = asyncio.create_task(worker.run())
    await asyncio.sleep(0.2)
    return task


async def _stop(worker: AsrWorker, task: asyncio.Task[None]) -> None:
    worker.stop()
    await asyncio.wait_for(task, 10)


async def test_bad_jobs_are_removed_or_given_up_and_never_loop(redis: Redis, prefix: str) -> None:
    worker = AsrWorker(redis, prefix, SlowRecognizer(), name="w1", reclaim_ms=200)
    task = await _running(worker)
    jobs = RedisKeys(prefix).asr_jobs
    good = encode_job(request(), "j-good", RedisKeys(prefix).asr_replies("s1"), time.time())
    await redis.hset(RedisKeys(prefix).asr_replies("not-a-stream"), "x", "1")  # WRONGTYPE for XADD
    await redis.xadd(jobs, {"id": "j-malformed", "reply_to": ""})
    await redis.xadd(jobs, {**good, "id": "j-outside", "reply_to": "elsewhere:replies"})
    await redis.xadd(jobs, {**good, "id": "j-huge", "audio": b"\x00" * (60 << 20)})
    await redis.xadd(
        jobs, {**good, "id": "j-hash", "reply_to": RedisKeys(prefix).asr_replies("not-a-stream")}
    )
    await redis.xadd(jobs, good)
    try:
        await eventually(lambda: _drained(redis, prefix), within_s=15)
    finally:
        await _stop(worker, task)
    dead = {
        fields[b"id"].decode(): fields[b"reason"].decode()
        for _, fields in await redis.xrange(RedisKeys(prefix).asr_dead)
    }
    assert set(dead) == {"j-malformed", "j-outside", "j-huge", "j-hash"}, dead
    assert "reply stream" in dead["j-outside"] and "bytes" in dead["j-huge"]
    assert f"delivered {MAX_DELIVERIES} times" in dead["j-hash"]
    assert not await redis.exists("elsewhere:replies")  # nothing written outside the prefix
    replies = {
        f[b"id"].decode(): f[b"status"].decode()
        for _, f in await redis.xrange(RedisKeys(prefix).asr_replies("s1"))
    }
    assert replies == {"j-good": "ok", "j-huge": "error"}, replies  # a server waiting on a bad job is told
    assert 0 < await redis.ttl(RedisKeys(prefix).asr_replies("s1")) <= 120
    assert worker.done == 1 + (MAX_DELIVERIES - 1)  # the good job once; the one whose answer cannot be
    # written on its two deliveries before the limit (not 17 times in 35 s)


async def _drained(redis: Redis, prefix: str) -> bool:
    pending: Any = await redis.xpending(RedisKeys(prefix).asr_jobs, GROUP)
    return await redis.xlen(RedisKeys(prefix).asr_jobs) == 0 and pending["pending"] == 0


async def test_a_slow_job_is_decoded_once(redis: Redis, prefix: str) -> None:
    recognizer = SlowRecognizer(1.5)
    worker = AsrWorker(redis, prefix, recognizer, name="w1", reclaim_ms=300)
    task = await _running(worker)
    try:
        await redis.xadd(
            RedisKeys(prefix).asr_jobs,
            encode_job(request(), "j-slow", RedisKeys(prefix).asr_replies("s1"), time.time()),
        )
        await eventually(lambda: _drained(redis, prefix), within_s=10)
    finally:
        await _stop(worker, task)
    assert recognizer.calls == 1 and worker.reclaimed == 0


async def test_a_server_refuses_an_over_long_job_masks_prompts_and_deletes_what_it_read(
    redis: Redis, prefix: str
) -> None:
    recognizer = SlowRecognizer()
    worker = AsrWorker(redis, prefix, recognizer, name="w1", reclaim_ms=500)
    task = await _running(worker)
    server = RemoteTranscriber(redis, prefix, "s1", Redis(connection_pool=redis.connection_pool))
    await server.start()
    try:
        refused = await server.transcribe(request(45.0))
        assert (
            refused is not None
            and refused.guard == "too_long"
            and await redis.xlen(RedisKeys(prefix).asr_jobs) == 0
        )
        answered = await server.transcribe(request(2.0, prompt="제 번호는 공일공 일이삼사 오육칠팔이에요"))
        assert answered is not None and answered.text == "네"
        assert recognizer.prompts == ["제 번호는 [전화번호]이에요"]  # the job carried no raw number
        await eventually(lambda: _empty(redis, RedisKeys(prefix).asr_replies("s1")), within_s=5)
    finally:
        await server.close()
        await _stop(worker, task)


async def _empty(redis: Redis, stream: str) -> bool:
    return await redis.xlen(stream) == 0  # the answer was deleted once read
