"""A recognizer that is a client of the recognition tier (`CALLASSIST_ASR_MODE=remote`).

Each transcription becomes a job on one Redis stream that every `callassist asr-worker` reads
through a consumer group (`agent/asr/worker.py`); the worker that takes it answers on this
server's own reply stream. Audio travels as 16-bit PCM (2 bytes a sample, never float JSON).
A job carries its deadline: a worker skips it when it is stale (a partial nobody waits for any
more) and says so. Finals are at-least-once: a job whose worker died is reclaimed by another,
and if both answer, the first answer wins and the second finds nobody waiting (the final is
stored once). Workers publish a heartbeat with their capacity; with none alive, new calls are
refused (1013) instead of waiting on silence.

A job is at most MAX_JOB_SECONDS of audio (refused at submit; a worker drops a larger one it
finds), is delivered at most MAX_DELIVERIES times (then moved, without its audio, to the
dead-letter stream), and names a reply stream under this deployment's prefix (a job naming any
other key is malformed: acknowledged and removed). An answer is deleted as soon as the server has
read it, and a reply stream nobody reads expires: recognized text does not rest in Redis.

Keys (`kb/redis_keys.py`): the job stream (consumer group `workers`), one reply stream per
server (expiring unread), the workers' heartbeat hash and the dead-letter stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from typing import Any

import numpy as np
import structlog
from redis.asyncio import Redis

from agent.asr.interface import JobKind, Transcription, TranscriptionRequest
from agent.events import Role, parse_probs
from agent.readers import stop_reader
from agent.redaction.redactor import Redactor
from kb.redis_keys import RedisKeys
from kb.redis_values import as_text

log = structlog.get_logger(__name__)

GROUP = "workers"
JOBS_MAX_LEN = 20_000  # the queue is trimmed past this (a fleet that far behind has other problems)
HEARTBEAT_S = 2.0
WORKER_ALIVE_S = 10.0  # a worker whose heartbeat is older than this counts as gone
PARTIAL_DEADLINE_S = 2.0  # a partial older than this is not worth decoding
FINAL_DEADLINE_S = 60.0
MAX_JOB_SECONDS = 30.0  # Whisper's window: the segmenter cuts utterances long before this
MAX_JOB_BYTES = int(MAX_JOB_SECONDS * 16_000 * 2)  # 16-bit PCM at 16 kHz
MAX_DELIVERIES = 3  # a job delivered this often (its workers died or it kills them) is given up
REPLY_TTL_S = 120  # a reply stream nobody reads (its server is gone) expires
DEAD_MAX_LEN = 10_000


_PROMPT_REDACTOR = Redactor()  # a job's previous text travels through Redis: its numbers masked


class JobRefused(ValueError):
    """A job the tier does not take (too long, malformed); the message says why."""


def encode_job(request: TranscriptionRequest, job_id: str, reply_to: str, now: float) -> dict[str, Any]:
    """A request as stream fields: metadata as text, audio as 16-bit PCM; JobRefused past
    MAX_JOB_SECONDS of audio."""
    seconds = len(request.audio) / 16_000
    if seconds > MAX_JOB_SECONDS:
        raise JobRefused(f"a recognition job is at most {MAX_JOB_SECONDS:g} s of audio, not {seconds:.1f} s")
    pcm = (np.clip(request.audio, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    deadline = now + (PARTIAL_DEADLINE_S if request.kind is JobKind.PARTIAL else FINAL_DEADLINE_S)
    return {
        "id": job_id,
        "reply_to": reply_to,
        "call_id": request.call_id,
        "channel": str(request.channel),
        "role": request.role.value,
        "kind": request.kind.value,
        "start": repr(request.start),
        "end": repr(request.end),
        "prompt": _PROMPT_REDACTOR.redact(request.prompt) if request.prompt else "",  # no raw numbers at rest
        "enqueued": repr(now),
        "deadline": repr(deadline),
        "audio": pcm,
    }


def decode_job(fields: dict[Any, Any], prefix: str) -> tuple[str, str, float, float, TranscriptionRequest]:
    """(job id, reply stream, enqueued at, deadline, request) from stream fields; JobRefused when
    the audio is over MAX_JOB_BYTES or the reply stream is not one of this deployment's."""
    text = {as_text(k): v for k, v in fields.items()}
    if len(text["audio"]) > MAX_JOB_BYTES or len(text["audio"]) % 2:
        raise JobRefused(f"audio of {len(text['audio'])} bytes (at most {MAX_JOB_BYTES}, whole samples)")
    reply_to = as_text(text["reply_to"])
    replies = RedisKeys(prefix).asr_replies("")
    if not reply_to.startswith(replies) or len(reply_to) == len(replies):
        raise JobRefused(f"reply_to {reply_to[:80]!r} is not a reply stream of this deployment")
    audio = np.frombuffer(text["audio"], dtype="<i2").astype(np.float32) / 32768.0
    request = TranscriptionRequest(
        call_id=as_text(text["call_id"]),
        channel=int(as_text(text["channel"])),
        role=Role(as_text(text["role"])),
        kind=JobKind(as_text(text["kind"])),
        start=float(as_text(text["start"])),
        end=float(as_text(text["end"])),
        audio=audio,
        prompt=as_text(text["prompt"]) or None,
    )
    return (
        as_text(text["id"]),
        reply_to,
        float(as_text(text["enqueued"])),
        float(as_text(text["deadline"])),
        request,
    )


class RemoteTranscriber:
    """The session's recognizer when recognition runs on workers (see the module docstring)."""

    def __init__(self, redis: Redis, prefix: str, server: str, reply_redis: Redis) -> None:
        self.redis = redis  # the shared pool: short commands only
        self.reply_redis = reply_redis  # a connection of its own for the blocking reply reader
        self.prefix = prefix
        self.keys = RedisKeys(prefix)
        self.reply_to = RedisKeys(prefix).asr_replies(server)
        self._waiting: dict[str, asyncio.Future[Transcription | None]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._workers: dict[str, dict[str, Any]] = {}
        self._workers_read = 0.0

    @property
    def description(self) -> str:
        alive = self._alive()
        models = sorted({w.get("model") or "?" for w in alive.values()})
        return f"remote: {len(alive)} recognition worker(s) ({', '.join(models) or 'none alive'})"

    @property
    def label(self) -> dict[str, str | None]:
        alive = list(self._alive().values())
        if alive and isinstance(alive[0].get("label"), dict):
            return {**alive[0]["label"], "note": f"recognized by the worker tier ({len(alive)} worker(s))"}
        return {"model": None, "kind": "remote", "note": "recognized by the worker tier"}

    def _alive(self) -> dict[str, dict[str, Any]]:
        now = time.time()
        return {n: w for n, w in self._workers.items() if now - float(w.get("at", 0)) < WORKER_ALIVE_S}

    async def start(self) -> None:
        await self.refresh_workers()
        self._reader = asyncio.create_task(self._read_replies(), name="asr-replies")

    async def refresh_workers(self) -> None:
        raw = await self.redis.hgetall(self.keys.asr_workers)
        self._workers = {as_text(k): json.loads(as_text(v)) for k, v in raw.items()}
        self._workers_read = time.monotonic()

    def admit(self, live_calls: int) -> str | None:
        alive = self._alive()
        if not alive:
            return "no recognition worker is running (start `callassist asr-worker`); try again later"
        capacity = sum(int(w.get("capacity_calls", 0)) for w in alive.values())
        if capacity and live_calls >= capacity:
            return f"the recognition workers are at capacity ({capacity} calls); try again later"
        refusing = [w["refuses"] for w in alive.values() if w.get("refuses")]
        if len(refusing) == len(alive):  # each worker's own scheduler, from what it measures
            return f"every recognition worker is at capacity ({refusing[0]}); try again later"
        return None

    async def transcribe(self, request: TranscriptionRequest) -> Transcription | None:
        job_id = uuid.uuid4().hex
        future: asyncio.Future[Transcription | None] = asyncio.get_running_loop().create_future()
        self._waiting[job_id] = future
        try:
            try:
                fields: dict[Any, Any] = encode_job(request, job_id, self.reply_to, time.time())
            except JobRefused as refused:
                log.warning("remote_asr_job_refused", reason=str(refused))
                return Transcription(text="", source="whisper", guard="too_long")
            await self.redis.xadd(self.keys.asr_jobs, fields, maxlen=JOBS_MAX_LEN, approximate=True)
            wait_s = PARTIAL_DEADLINE_S + 1.0 if request.kind is JobKind.PARTIAL else FINAL_DEADLINE_S
            try:
                return await asyncio.wait_for(future, wait_s)
            except TimeoutError:
                log.warning("remote_asr_timeout", kind=request.kind.value, waited_s=wait_s)
                return None
        finally:
            self._waiting.pop(job_id, None)

    async def _read_replies(self) -> None:
        after, backoff = "0-0", 0.1  # the stream is this process's own: every entry in it is an answer
        while True:
            try:
                if time.monotonic() - self._workers_read > HEARTBEAT_S:
                    await self.refresh_workers()
                result: Any = await self.reply_redis.xread({self.reply_to: after}, count=200, block=1000)
                backoff = 0.1
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis away: requests time out meanwhile
                log.warning("remote_asr_reply_read_failed", error=repr(exc), retry_in_s=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            for _, entries in result or []:
                for entry_id, fields in entries:
                    after = as_text(entry_id)
                    self._resolve({as_text(k): as_text(v) for k, v in fields.items()})
                if entries:  # read: gone (recognized text is not left in Redis)
                    with contextlib.suppress(Exception):
                        await self.redis.xdel(self.reply_to, *[entry_id for entry_id, _ in entries])

    def _resolve(self, reply: dict[str, str]) -> None:
        future = self._waiting.get(reply.get("id", ""))
        if future is None or future.done():
            return  # answered already (a reclaimed job answered twice), or nobody waits any more
        if reply.get("status") != "ok":
            future.set_result(None)
            return
        future.set_result(
            Transcription(
                text=reply.get("text", ""),
                source=reply.get("source", "whisper"),
                avg_logprob=float(reply["avg_logprob"]) if reply.get("avg_logprob") else None,
                no_speech_prob=float(reply["no_speech_prob"]) if reply.get("no_speech_prob") else None,
                guard=reply.get("guard") or None,
                word_probs=parse_probs(reply.get("word_probs")),
            )
        )

    async def close(self) -> None:
        if self._reader is not None:
            await stop_reader(self._reader, self.reply_redis)
        for future in self._waiting.values():
            if not future.done():
                future.set_result(None)
        await self.reply_redis.aclose()
