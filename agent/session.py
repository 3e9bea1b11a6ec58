"""One live call: frames in, stored and announced events out.

    socket ──feed()──▶ [frames, bounded] ──audio task──▶ worker pool: AudioPipeline
                                                   │
                               [events, bounded] ◀─┘
                                     │ event task: speech_started → store at once
                                     │             partial audio  → transcribe, announce if still current
                                     │             utterance      → submit the final now (batched across calls)
                                     ▼
                               [finals, bounded] ── finals task: await each in order, store, announce
                                                          ▼
                                                        Redis ──▶ subscribers to stored finals:
                                                                  assistant (agent/assist/assistant.py),
                                                                  live analytics (agent/analytics/live.py)

Both queues are bounded: if this call's consumers fall behind, `feed()` waits, which pushes back
on this call's socket only. CPU work runs in the shared, bounded worker pool, one chunk per call
at a time, so the event loop never blocks and no call can hold more than one worker.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

import structlog
from redis.exceptions import RedisError

from agent import metrics
from agent.analytics.live import LiveAnalytics
from agent.asr.interface import Transcriber, Transcription
from agent.asr.stream import ChannelRecognizer
from agent.assist.assistant import AssistServices, CallAssistant
from agent.audio.codecs import AudioFormat
from agent.events import (
    PartialAudioEvent,
    PausedAudioEvent,
    PipelineEvent,
    Role,
    SpeechResumedEvent,
    SpeechStartedEvent,
    TranscriptSegment,
    UtteranceEvent,
)
from agent.feed import AudioEnded, Partial, SpeechStarted
from agent.pipeline import AudioPipeline
from agent.redaction.confidence import redact_with_probs, uncertain_numbers
from agent.redaction.identity import asked_for
from agent.redaction.redactor import ChannelRedactor, Redactor, redact_strings
from agent.store import CallStore
from agent.text.end_of_turn import TurnEnd, judge
from agent.vad.segmenter import SegmenterConfig
from agent.vad.silero import SileroVad

log = structlog.get_logger(__name__)

_END = None  # end-of-stream marker in both queues


class FinalSubscriber(Protocol):
    """What reads a call's finals once they are stored: `on_final` may only enqueue (it runs on
    the call's finals task and must never wait); `agent_id` follows a transfer."""

    agent_id: str

    def on_final(self, segment: TranscriptSegment, stored_at: float) -> None: ...


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
        self._pipeline = AudioPipeline(fmt, self.roles, resources.vad, resources.segmenter)
        self._frames: asyncio.Queue[bytes | None] = asyncio.Queue(resources.audio_queue_frames)
        self._events: asyncio.Queue[PipelineEvent | None] = asyncio.Queue(resources.event_queue_size)
        self._finals: asyncio.Queue[tuple[UtteranceEvent, asyncio.Task[Transcription | None]] | None] = (
            asyncio.Queue(resources.event_queue_size)
        )
        self._partials: set[asyncio.Task[None]] = set()
        # per channel: speculative finals, stale partials, the prompt (agent/asr/stream.py)
        self._recognizers = [
            ChannelRecognizer(resources.transcriber, call_id, channel, role)
            for channel, role in enumerate(self.roles)
        ]
        # per channel: PII masking that reads a speaker's adjacent finals together
        self._redactors = [
            ChannelRedactor(resources.redactor, agent=role is Role.AGENT) for role in self.roles
        ]
        self._assistant: CallAssistant | None = None
        self._analytics: LiveAnalytics | None = None
        self._pipeline_tasks: list[asyncio.Task[None]] = []  # audio, events, finals: the call's work
        self._lease_task: asyncio.Task[None] | None = None
        self._received_bytes = 0
        self._next_seq = 0
        self._failure: BaseException | None = None
        self._ended = False
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
            asyncio.create_task(self._run_audio(), name=f"audio:{self.call_id}"),
            asyncio.create_task(self._run_events(), name=f"events:{self.call_id}"),
            asyncio.create_task(self._run_finals(), name=f"finals:{self.call_id}"),
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
        await self._frames.put(frame)

    async def transfer(self, agent_id: str, by: str) -> bool:
        """Hand the call to another agent mid-call (False when it is theirs already): what comes
        next goes to their feed, which also gets what was said so far."""
        old = self.agent_id
        if agent_id == old or self._ended:
            return False
        self.agent_id = agent_id  # writers from now on announce to the new agent
        for subscriber in self._subscribers():
            subscriber.agent_id = agent_id
        await self._r.store.transfer_call(self.call_id, old, agent_id, by)
        log.info("call_transferred", from_agent=old, to_agent=agent_id, by=by)
        return True

    async def end(self, reason: str) -> None:
        """Flush what was received, store the last utterances, mark the call ended. Idempotent, and
        retryable: when Redis was away for the last writes, calling it again stores the end."""
        if not self._ended:
            self._ended = True
            if self._failure is None:
                await self._frames.put(_END)
                await asyncio.gather(*self._pipeline_tasks, return_exceptions=True)
            leftovers = [*self._pipeline_tasks, *self._partials, *self._pending_finals()]
            leftovers += [task for recognizer in self._recognizers for task in recognizer.pending()]
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

    # --- tasks -------------------------------------------------------------------------------

    async def _run_audio(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            chunk = [await self._frames.get()]
            while chunk[-1] is not _END and len(chunk) < self._r.frames_per_job and not self._frames.empty():
                chunk.append(self._frames.get_nowait())
            data = b"".join(frame for frame in chunk if frame is not _END)
            if data:
                started = time.perf_counter()
                events = await loop.run_in_executor(self._r.executor, self._pipeline.process, data)
                metrics.PIPELINE_CHUNK_SECONDS.observe(time.perf_counter() - started)
                for event in events:
                    await self._events.put(event)
            if chunk[-1] is _END:
                for event in await loop.run_in_executor(self._r.executor, self._pipeline.finish):
                    await self._events.put(event)
                await self._events.put(_END)
                return

    async def _run_events(self) -> None:
        store = self._r.store
        while (event := await self._events.get()) is not _END:
            if isinstance(event, SpeechStartedEvent):
                started = SpeechStarted(
                    call_id=self.call_id,
                    channel=event.channel,
                    role=event.role.value,
                    start=round(event.start, 3),
                )
                await store.announce(self.agent_id, started)
            elif isinstance(event, PartialAudioEvent):
                # which utterance this partial belongs to is read now: it may end before the task runs
                utterance = self._recognizers[event.channel].utterance
                task = asyncio.create_task(self._partial(event, utterance))
                self._partials.add(task)
                task.add_done_callback(self._partial_done)
            elif isinstance(event, PausedAudioEvent):
                guess = self._recognizers[event.channel].paused(event)
                guess.add_done_callback(partial(self._judge_pause, event))
            elif isinstance(event, SpeechResumedEvent):
                self._recognizers[event.channel].resumed()
            elif isinstance(event, UtteranceEvent):
                await self._finals.put((event, self._recognizers[event.channel].ended(event)))
        await self._finals.put(_END)

    def _judge_pause(self, pause: PausedAudioEvent, guess: asyncio.Task[Transcription | None]) -> None:
        """End of turn: the text decoded at a pause says how long its silence must last."""
        if guess.cancelled() or guess.exception() is not None:
            return
        transcription = guess.result()
        ending = judge(transcription.text) if transcription and not transcription.guard else TurnEnd.UNKNOWN
        metrics.END_OF_TURN.labels(ending=ending.value).inc()
        self._pipeline.judged(pause.channel, pause.start, pause.end, ending)

    async def _partial(self, event: PartialAudioEvent, utterance: int) -> None:
        transcription = await self._recognizers[event.channel].partial(event, utterance)
        if transcription is None:
            return  # no text, or its utterance has been finalized meanwhile
        text = self._redactors[event.channel].peek(transcription.text, event.start)
        partial_text = Partial(
            call_id=self.call_id,
            channel=event.channel,
            role=event.role.value,
            start=round(event.start, 3),
            end=round(event.end, 3),
            text=text,
            source=transcription.source,
        )
        await self._r.store.announce(self.agent_id, partial_text)

    def _partial_done(self, task: asyncio.Task[None]) -> None:
        """A failed partial is logged and forgotten: the final of that utterance still comes."""
        self._partials.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("partial_failed", error=repr(task.exception()))

    async def _run_finals(self) -> None:
        """Store finals in the order their utterances ended, each as soon as its text is ready."""
        while (item := await self._finals.get()) is not _END:
            utterance, pending = item
            try:
                transcription = await pending
            except Exception as exc:  # the recognizer failed this one: keep its timing, say why
                log.warning("final_transcription_failed", error=repr(exc))
                transcription = Transcription(text="", source="", guard="asr_error")
            await self._store_final(utterance, transcription)

    def _pending_finals(self) -> list[asyncio.Task[Transcription | None]]:
        """Transcriptions still queued for storing (only left over when the call failed)."""
        pending = []
        while not self._finals.empty():
            item = self._finals.get_nowait()
            if item is not None:
                pending.append(item[1])
        return pending

    def _redacted(
        self, utterance: UtteranceEvent, raw: str, probs: tuple[float, ...]
    ) -> tuple[str, tuple[float, ...]]:
        """A final's text as it may be stored, with its word probabilities carried over: personal
        numbers masked, and digit-like words the recognizer was unsure of too."""
        channel = self._redactors[utterance.channel]
        spans = channel.final_spans(raw, utterance.start, utterance.end)
        spans += uncertain_numbers(raw, probs, self._r.uncertain_below, spans)
        return redact_with_probs(channel.redactor, raw, spans, probs)

    async def _store_final(self, utterance: UtteranceEvent, transcription: Transcription | None) -> None:
        raw = transcription.text if transcription else None
        text, probs = (
            self._redacted(utterance, raw, transcription.word_probs) if transcription and raw else (raw, ())
        )
        segment = TranscriptSegment(
            seq=self._next_seq,
            channel=utterance.channel,
            role=utterance.role,
            start=utterance.start,
            end=utterance.end,
            cut=utterance.cut,
            text=text,
            source=transcription.source if transcription else None,
            avg_logprob=transcription.avg_logprob if transcription else None,
            no_speech_prob=transcription.no_speech_prob if transcription else None,
            guard=transcription.guard if transcription else None,
            word_probs=probs,
            uncertain_below=self._r.uncertain_below,
        )
        self._next_seq += 1
        if raw:  # the recognizer's own prompt: raw text, kept in memory only
            self._recognizers[utterance.channel].heard(raw)
            if utterance.role is Role.AGENT:  # "성함이 어떻게 되세요?": the customer's answer is read as one
                asked = asked_for(raw)
                for channel, role in enumerate(self.roles):
                    if role is not Role.AGENT and asked:
                        self._redactors[channel].expect(asked)
        await self._r.store.append_segment(self.call_id, self.agent_id, segment)
        stored_at = time.perf_counter()
        for subscriber in self._subscribers():  # after the store: each only enqueues, none waits
            subscriber.on_final(segment, stored_at)
        metrics.UTTERANCES.labels(role=utterance.role.value).inc()
        log.debug(
            "final",
            role=utterance.role.value,
            start=segment.start,
            end=segment.end,
            cut=segment.cut,
            text=segment.text,
            guard=segment.guard,
        )

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
        # Unblock a feeder waiting on a full queue; its next feed() raises SessionFailed.
        while not self._frames.empty():
            self._frames.get_nowait()
