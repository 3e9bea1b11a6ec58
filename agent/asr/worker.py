"""A recognition worker: takes jobs from the tier's stream and answers them (`callassist asr-worker`).

It loads its recognizer once (the same local engine and cross-call scheduler a server uses, so
jobs from every call and server it sees are batched together), reads jobs through the consumer
group `workers` (each job goes to one worker), and answers on the reply stream the job names.
A job whose deadline has passed is answered `stale` without decoding. Jobs another worker took
but has not acknowledged for `reclaim_ms` (it died or hangs) are claimed with `XAUTOCLAIM` and
done here; while a job is decoded here its claim is renewed, so a slow job is never reclaimed by
its own worker and decoded twice. A job delivered MAX_DELIVERIES times is given up: its ids and
the reason go to the dead-letter stream (never its audio), its server is answered `error`, and
`callassist_asr_dead_letters_total` counts it. A malformed job (missing fields, over-long audio,
a reply stream outside the deployment's prefix) is acknowledged and removed. Every HEARTBEAT_S the worker publishes its name, model, capacity, counters and what
its scheduler measures (whether it would take another call); the servers admit calls by that.
On stop it finishes what it holds, then leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from agent import metrics
from agent.asr.interface import Transcriber, Transcription
from agent.asr.remote import (
    DEAD_MAX_LEN,
    GROUP,
    HEARTBEAT_S,
    MAX_DELIVERIES,
    REPLY_TTL_S,
    decode_job,
)
from agent.events import probs_field
from kb.redis_keys import RedisKeys
from kb.redis_values import as_text

log = structlog.get_logger(__name__)

RECENT_CALLS_S = 10.0  # a call whose last job is older than this no longer counts as served here


class AsrWorker:
    def __init__(
        self,
        redis: Redis,
        prefix: str,
        transcriber: Transcriber,
        *,
        name: str | None = None,
        concurrency: int = 8,
        capacity_calls: int = 0,
        reclaim_ms: int = 2000,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.keys = RedisKeys(prefix)
        self.transcriber = transcriber
        self.name = name or f"{socket.gethostname()}-{id(self) & 0xFFFF:04x}"
        self.concurrency = concurrency  # jobs in flight at once (the scheduler batches them)
        self.capacity_calls = capacity_calls  # published for admission (0: not limited here)
        self.reclaim_ms = reclaim_ms
        self.done = self.stale = self.reclaimed = 0
        self._recent_calls: dict[str, float] = {}  # call id → when a job of it last arrived (monotonic)
        self._slots = asyncio.Semaphore(concurrency)
        self._running: set[asyncio.Task[None]] = set()
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Serve until `stop()`; then finish the jobs in flight."""
        with contextlib.suppress(ResponseError):  # BUSYGROUP: it exists already
            await self.redis.xgroup_create(self.keys.asr_jobs, GROUP, id="0", mkstream=True)
        heartbeat = asyncio.create_task(self._heartbeat(), name="asr-worker-heartbeat")
        log.info("asr_worker_started", worker=self.name, model=self.transcriber.description)
        try:
            while not self._stopping.is_set():
                try:
                    await self._take_jobs()
                except Exception as exc:  # Redis away: keep trying, do not die
                    log.warning("asr_worker_read_failed", error=str(exc)[:200])
                    await asyncio.sleep(1.0)
            if self._running:
                await asyncio.gather(*self._running, return_exceptions=True)
        finally:
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)
            with contextlib.suppress(Exception):
                await self.redis.hdel(self.keys.asr_workers, self.name)
            log.info("asr_worker_stopped", done=self.done, stale=self.stale, reclaimed=self.reclaimed)

    def stop(self) -> None:
        self._stopping.set()

    async def _take_jobs(self) -> None:
        await self._slots.acquire()  # wait for a free slot before asking for work
        self._slots.release()
        free = max(1, self.concurrency - len(self._running))
        claimed: Any = await self.redis.xautoclaim(
            self.keys.asr_jobs,
            GROUP,
            self.name,
            min_idle_time=self.reclaim_ms,
            start_id="0-0",
            count=free,
        )
        entries = list(claimed[1]) if claimed else []
        if entries:
            entries = await self._within_delivery_limit(entries)
            self.reclaimed += len(entries)
            log.info("asr_jobs_reclaimed", count=len(entries))
        else:
            result: Any = await self.redis.xreadgroup(
                GROUP, self.name, {self.keys.asr_jobs: ">"}, count=free, block=500
            )
            entries = [entry for _, stream_entries in result or [] for entry in stream_entries]
        for entry_id, fields in entries:
            if fields is None:
                continue  # trimmed away while pending
            await self._slots.acquire()
            task = asyncio.create_task(self._serve(as_text(entry_id), fields))
            self._running.add(task)
            task.add_done_callback(self._finished)

    async def _within_delivery_limit(self, entries: list[Any]) -> list[Any]:
        """The reclaimed `entries` still worth a try; those delivered MAX_DELIVERIES times or more
        are given up (dead letter, `error` answer, acknowledged and removed)."""
        keep = []
        for entry_id, fields in entries:
            pending: Any = await self.redis.xpending_range(
                self.keys.asr_jobs, GROUP, min=entry_id, max=entry_id, count=1
            )
            deliveries = int(pending[0]["times_delivered"]) if pending else 1
            if deliveries < MAX_DELIVERIES or fields is None:
                keep.append((entry_id, fields))
                continue
            await self._give_up(as_text(entry_id), fields, f"delivered {deliveries} times without an answer")
        return keep

    async def _give_up(self, entry_id: str, fields: dict[Any, Any], reason: str) -> None:
        text = {as_text(k): v for k, v in fields.items()}
        job_id, reply_to = as_text(text.get("id", b"")), as_text(text.get("reply_to", b""))
        metrics.ASR_DEAD_LETTERS.inc()
        log.warning("asr_job_given_up", entry=entry_id, reason=reason)
        record: dict[Any, Any] = {"entry": entry_id, "id": job_id[:64], "call_id": as_text(text.get("call_id", b""))[:128],
                  "kind": as_text(text.get("kind", b""))[:16], "reason": reason, "worker": self.name}  # fmt: skip
        await self.redis.xadd(self.keys.asr_dead, record, maxlen=DEAD_MAX_LEN, approximate=True)
        if job_id and reply_to.startswith(self.keys.asr_replies("")):
            with contextlib.suppress(Exception):  # its reply stream may be what made it fail
                await self._answer(reply_to, {"id": job_id, "worker": self.name, "status": "error"})
        await self.redis.xack(self.keys.asr_jobs, GROUP, entry_id)
        await self.redis.xdel(self.keys.asr_jobs, entry_id)

    async def _answer(self, reply_to: str, reply: dict[Any, Any]) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.xadd(reply_to, reply, maxlen=10_000, approximate=True)
            pipe.expire(reply_to, REPLY_TTL_S)  # unread (its server gone), it does not stay
            await pipe.execute()

    async def _keep_claim(self, entry_id: str) -> None:
        """Renew this worker's claim on `entry_id` while it is decoded (JUSTID: the delivery count
        stays), so that no one, this worker included, reclaims a job that is only slow."""
        while True:
            await asyncio.sleep(self.reclaim_ms / 3000)
            with contextlib.suppress(Exception):
                await self.redis.xclaim(
                    self.keys.asr_jobs,
                    GROUP,
                    self.name,
                    min_idle_time=0,
                    message_ids=[entry_id],
                    justid=True,
                )

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self._slots.release()

    async def _serve(self, entry_id: str, fields: dict[Any, Any]) -> None:
        try:
            job_id, reply_to, enqueued, deadline, request = decode_job(fields, self.prefix)
        except (KeyError, ValueError) as exc:  # JobRefused too
            log.warning("asr_job_malformed", entry=entry_id, error=str(exc)[:200])
            with contextlib.suppress(Exception):
                await self._give_up(entry_id, fields, f"malformed: {str(exc)[:200]}")
            return
        now = time.time()
        self._recent_calls[request.call_id] = time.monotonic()
        metrics.REMOTE_QUEUE_WAIT.observe(max(0.0, now - enqueued))
        reply: dict[Any, Any] = {"id": job_id, "worker": self.name}
        if now > deadline:
            self.stale += 1
            reply["status"] = "stale"
        else:
            started = time.perf_counter()
            claim = asyncio.create_task(self._keep_claim(entry_id), name=f"asr-claim:{entry_id}")
            try:
                result = await self.transcriber.transcribe(request)
                reply.update(_reply_fields(result))
            except Exception as exc:
                log.error("asr_job_failed", error=repr(exc), exc_info=exc)
                reply["status"] = "error"
            finally:
                claim.cancel()
            metrics.REMOTE_JOB_SECONDS.observe(time.perf_counter() - started)
            self.done += 1
        try:
            await self._answer(reply_to, reply)
            await self.redis.xack(self.keys.asr_jobs, GROUP, entry_id)
            await self.redis.xdel(self.keys.asr_jobs, entry_id)
        except Exception as exc:  # Redis away: unacknowledged, the job is reclaimed and redone
            log.warning("asr_reply_not_written", error=repr(exc))

    def beat(self) -> dict[str, Any]:
        """The heartbeat: who this is, its counters, and what its own scheduler measures: `calls`
        it served in the last RECENT_CALLS_S, and `refuses`, why it would take no further call
        (the scheduler's admission from measured batch times and utilization; empty if it would)."""
        now = time.monotonic()
        for call_id, seen in list(self._recent_calls.items()):
            if now - seen > RECENT_CALLS_S:
                del self._recent_calls[call_id]
        calls = len(self._recent_calls)
        return {
            "at": time.time(),
            "model": self.transcriber.label.get("model"),
            "label": self.transcriber.label,
            "concurrency": self.concurrency,
            "capacity_calls": self.capacity_calls,
            "in_flight": len(self._running),
            "done": self.done,
            "stale": self.stale,
            "reclaimed": self.reclaimed,
            "calls": calls,
            "refuses": self.transcriber.admit(calls) or "",
        }

    async def _heartbeat(self) -> None:
        while True:
            with contextlib.suppress(Exception):
                await self.redis.hset(self.keys.asr_workers, self.name, json.dumps(self.beat()))
            await asyncio.sleep(HEARTBEAT_S)


def _reply_fields(result: Transcription | None) -> dict[str, str]:
    if result is None:
        return {"status": "none"}
    return {
        "status": "ok",
        "text": result.text,
        "source": result.source,
        "avg_logprob": "" if result.avg_logprob is None else repr(result.avg_logprob),
        "no_speech_prob": "" if result.no_speech_prob is None else repr(result.no_speech_prob),
        "guard": result.guard or "",
        "word_probs": probs_field(result.word_probs),
    }
