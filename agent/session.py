"""One live call, declared as a chain of stages (`agent/stages/`), frames in, stored and announced
events out:

    transport (server/ingest/) ──feed()──▶ AudioStage        [frames, bounded]
                                             │ worker pool: decode ▸ resample ▸ silero-vad ▸ segmenter
                                             ▼                [events, bounded]
                                           RecognitionStage  speech_started → announced at once
                                             │                partial       → recognized, redacted, announced
                                             │                pause         → end-of-turn guess ▸ segmenter
                                             │                utterance     → final submitted now (batched)
                                             ▼                [finals, bounded, in order]
                                           TranscriptStage   await each ▸ RedactionStage ▸ Redis
                                             │
                                             ▼ subscribers to stored finals (each only enqueues):
                                               CallAssistant (agent/assist/assistant.py): triggers ▸ kb search
                                                 ▸ suggestion announced to the console; rolling summaries
                                               LiveAnalytics (agent/analytics/live.py): categories, sentiment

Every queue is bounded: if this call's consumers fall behind, `feed()` waits, which pushes back
on this call's socket only. CPU work runs in the shared, bounded worker pool, one chunk per call
at a time, so the event loop never blocks and no call can hold more than one worker. At the end,
the chain is drained in order, then the post-call work (`_after_audio`) runs within one budget.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial
from typing import Any

import structlog
from redis.exceptions import RedisError

from agent import metrics
from agent.analytics.live import LiveAnalytics
from agent.asr.interface import Transcriber
from agent.assist.assistant import AssistServices, CallAssistant
from agent.audio.codecs import AudioFormat
from agent.events import PipelineEvent, Role
from agent.feed import AudioEnded
from agent.pipeline import AudioPipeline
from agent.redaction.redactor import Redactor, redact_strings
from agent.stages import END
from agent.stages.audio import AudioStage
from agent.stages.recognition import PendingFinal, RecognitionStage
from agent.stages.redaction import RedactionStage
from agent.stages.transcript import FinalSubscriber, TranscriptStage
from agent.store import CallStore
from agent.vad.segmenter import SegmenterConfig
from agent.vad.silero import SileroVad

log = structlog.get_logger(__name__)


class SessionFailed(RuntimeError):
    """The call's pipeline stopped on an internal error; the call has been ended. `storage`: the
    error was Redis going away (not a fault of this call)."""

    def __init__(self, message: str, *, storage: bool = False) -> None:
        super().__init__(message)
        self.storage = storage


@dataclass(frozen=True)
class SessionResources:
    """Shared by all calls of the process, built once at start."""

    store: CallStore
    vad: SileroVad
    executor: Executor
    transcriber: Transcriber
    segmenter: SegmenterConfig
    owner: str  # this process's lease token
    redactor: Redactor
    assist: AssistServices | None = None  # None: transcripts only
    audio_queue_frames: int = 256
    frames_per_job: int = 50  # frames coalesced into one worker job when the call is behind
    event_queue_size: int = 256
    lease_ttl_ms: int = 30_000
    post_call_s: float = 45.0  # the bound on post-call work (server.components.finish_budget)
    uncertain_below: float = 0.5  # words the recognizer gave less are uncertain (0: none)


class CallSession:
    def __init__(
        self,
        call_id: str,
        agent_id: str,
        fmt: AudioFormat,
        roles: Sequence[Role],
        resources: SessionResources,
    ) -> None:
        self.call_id = call_id
        self.agent_id = agent_id
        self.format = fmt
        self.roles = tuple(roles)
        self._r = resources
        # the chain, in the order a frame meets it; the queues between stages are bounded
        events: asyncio.Queue[PipelineEvent | None] = asyncio.Queue(resources.event_queue_size)
        finals: asyncio.Queue[PendingFinal | None] = asyncio.Queue(resources.event_queue_size)
        pipeline = AudioPipeline(fmt, self.roles, resources.vad, resources.segmenter)
        self._audio = AudioStage(
            pipeline, resources.executor, resources.audio_queue_frames, resources.frames_per_job, events
        )
        self._redaction = RedactionStage(resources.redactor, self.roles, resources.uncertain_below)
        self._recognition = RecognitionStage(
            self, resources.transcriber, self.roles, self._redaction, resources.store, events, finals,
            pipeline.judged,
        )  # fmt: skip
        self._transcript = TranscriptStage(
            self, resources.store, self._recognition, self._redaction, finals, self._subscribers,
            resources.uncertain_below,
        )  # fmt: skip
        self._assistant: CallAssistant | None = None
        self._analytics: LiveAnalytics | None = None
        self._pipeline_tasks: list[asyncio.Task[None]] = []  # one per stage: the call's work
        self._lease_task: asyncio.Task[None] | None = None
        self._received_bytes = 0
        self._failure: BaseException | None = None
        self._ended = False
        self._transferring = asyncio.Lock()
        self._end_reason: str | None = None
        self._after_audio_done = False
        self._end_stored = False

    @property
    def received_seconds(self) -> float:
        """Audio received so far, on the call's clock (not wall time)."""
        return self.format.duration(self._received_bytes)

    async def start(self, metadata: dict[str, Any]) -> None:
        # a caller's number is PII too; up to 8 KB of it is worth a worker thread, not the event loop
        metadata = await asyncio.get_running_loop().run_in_executor(
            self._r.executor, partial(redact_strings, numbers=True), metadata, self._r.redactor
        )
        meta = {
            "encoding": self.format.encoding.value,
            "sample_rate": self.format.sample_rate,
            "channels": self.format.channels,
            "channel_roles": [r.value for r in self.roles],
            "metadata": metadata,
            "asr": self._r.transcriber.label,  # which model's text this call's transcript is
        }
        await self._r.store.start_call(self.call_id, self.agent_id, meta)
        metrics.LIVE_CALLS.inc()
        if self._r.assist is not None:
            tags = metadata.get("tags", [])
            tags = [str(t) for t in tags] if isinstance(tags, list) else []
            self._assistant = CallAssistant(self.call_id, self.agent_id, self._r.assist, tags)
            self._assistant.start()
            if self._r.assist.analytics is not None:
                self._analytics = LiveAnalytics(
                    self.call_id, self.agent_id, self._r.assist.analytics, self._r.assist.records
                )
                self._analytics.start()
        self._pipeline_tasks = [
            asyncio.create_task(self._audio.run(), name=f"audio:{self.call_id}"),
            asyncio.create_task(self._recognition.run(), name=f"recognition:{self.call_id}"),
            asyncio.create_task(self._transcript.run(), name=f"transcript:{self.call_id}"),
        ]
        for task in self._pipeline_tasks:
            task.add_done_callback(self._on_task_done)
        self._lease_task = asyncio.create_task(self._keep_lease(), name=f"lease:{self.call_id}")
        self._lease_task.add_done_callback(self._on_task_done)  # storage lost: the call ends
        log.info(  # metadata by its keys only: values may name a person, and logs outlive retention
            "call_started",
            agent_id=self.agent_id,
            format={k: v for k, v in meta.items() if k != "metadata"},
            metadata_keys=sorted(map(str, metadata))[:32],
        )

    async def feed(self, frame: bytes) -> None:
        if self._failure is not None:
            raise SessionFailed(str(self._failure), storage=isinstance(self._failure, RedisError))
        self._received_bytes += len(frame)
        metrics.AUDIO_SECONDS.inc(self.format.duration(len(frame)))
        await self._audio.put(frame)

    async def transfer(self, agent_id: str, by: str) -> bool:
        """Hand the call to another agent mid-call (False when it is theirs already): what comes
        next goes to their feed, which also gets what was said so far."""
        async with self._transferring:  # one transfer at a time (REST and telephony may race)
            return await self._transfer(agent_id, by)

    async def _transfer(self, agent_id: str, by: str) -> bool:
        old = self.agent_id
        if agent_id == old or self._ended:
            return False
        # the store copies what was said so far to the new agent before anything else reaches their
        # feed (a write on its way meanwhile is redirected there), then writers switch
        await self._r.store.transfer_call(self.call_id, old, agent_id, by)
        self.agent_id = agent_id
        for subscriber in self._subscribers():
            subscriber.agent_id = agent_id
        log.info("call_transferred", from_agent=old, to_agent=agent_id, by=by)
        return True

    async def end(self, reason: str) -> None:
        """Flush what was received, store the last utterances, mark the call ended. Idempotent, and
        retryable: when Redis was away for the last writes, calling it again stores the end."""
        if not self._ended:
            self._ended = True
            if self._failure is None:
                await self._audio.put(END)  # drained stage by stage, in order
                await asyncio.gather(*self._pipeline_tasks, return_exceptions=True)
            leftovers: list[asyncio.Future[Any]] = [*self._pipeline_tasks, *self._transcript.pending()]
            leftovers += self._recognition.pending()
            if self._lease_task is not None:
                leftovers.append(self._lease_task)
            for task in leftovers:
                task.cancel()
            await asyncio.gather(*leftovers, return_exceptions=True)
            if self._failure is not None and not isinstance(self._failure, RedisError):
                reason = "internal_error"  # a fault of ours; Redis going away keeps the reason given
            self._end_reason = reason
        await self._store_end()

    async def _store_end(self) -> None:
        if self._end_stored:
            return
        reason = self._end_reason or "internal_error"
        if not self._after_audio_done:
            await self._after_audio(reason)
            self._after_audio_done = True
        await self._r.store.end_call(self.call_id, self.agent_id, reason, self.received_seconds)
        await self._r.store.release_lease(self.call_id, self._r.owner)
        self._end_stored = True
        metrics.LIVE_CALLS.dec()
        metrics.CALLS_ENDED.labels(reason=reason).inc()
        log.info("call_ended", reason=reason, audio_seconds=round(self.received_seconds, 3))

    async def _after_audio(self, reason: str) -> None:
        """Hang-up: announce it, then the final summary and the archive entry (bounded in time;
        a failure there is logged and the call still ends)."""
        if self._assistant is None:
            return
        started = time.perf_counter()
        if (
            self._analytics is not None
        ):  # the live analysis of the last finals first (a quarter of the budget)
            await self._analytics.finish(self._r.post_call_s / 4)
        await self._r.store.announce(
            self.agent_id,
            AudioEnded(call_id=self.call_id, reason=reason, audio_seconds=round(self.received_seconds, 3)),
        )
        left = max(1.0, self._r.post_call_s - (time.perf_counter() - started))  # one budget for all of it
        try:
            await asyncio.wait_for(self._assistant.finish(), left)
        except Exception as exc:
            log.error("post_call_failed", error=repr(exc), exc_info=exc)
        log.info("post_call_done", ms=round((time.perf_counter() - started) * 1000, 1))

    def _subscribers(self) -> list[FinalSubscriber]:
        """What reads this call's stored finals: the assistant (suggestions, summaries) and the
        live analytics (categories, sentiment)."""
        return [s for s in (self._assistant, self._analytics) if s is not None]

    async def _keep_lease(self) -> None:
        interval = self._r.lease_ttl_ms / 3000
        while True:
            await asyncio.sleep(interval)
            if not await self._r.store.refresh_lease(self.call_id, self._r.owner, self._r.lease_ttl_ms):
                log.warning("call_lease_lost")
            await self._r.store.note_progress(self.call_id, self.received_seconds)

    def storage_lost(self, why: str) -> None:
        """The call's storage went away under it (the embedded Redis died and restarts from its
        AOF, which may lack the last second): the call ends as `error:storage` at its next frame,
        whether or not one of its own writes failed first."""
        if self._failure is None and not self._ended:
            self._fail(RedisError(why), None)

    def _on_task_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled() or task.exception() is None:
            return
        self._fail(task.exception(), task)

    def _fail(self, failure: BaseException | None, task: asyncio.Task[None] | None) -> None:
        self._failure = failure
        if isinstance(self._failure, RedisError):  # Redis went away: not a bug, no traceback
            log.warning("call_storage_lost", error=repr(self._failure))
        else:
            log.error("call_pipeline_failed", error=repr(self._failure), exc_info=self._failure)
        for other in self._pipeline_tasks:
            if other is not task:
                other.cancel()
        self._audio.drop_waiting()  # a feeder waiting on a full queue: its next feed() raises SessionFailed
