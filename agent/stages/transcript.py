"""Stage 4: finals stored in the order their utterances ended, each as soon as its text is ready:
redacted, written to the call's transcript (before anything announces it), then handed to the
subscribers of stored finals, which only enqueue."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Protocol

import structlog

from agent import metrics
from agent.asr.interface import Transcription
from agent.events import TranscriptSegment, UtteranceEvent
from agent.stages import END, CallIdentity
from agent.stages.recognition import PendingFinal, RecognitionStage
from agent.stages.redaction import RedactionStage
from agent.store import CallStore

log = structlog.get_logger(__name__)


class FinalSubscriber(Protocol):
    """What reads a call's finals once they are stored: `on_final` may only enqueue (it runs on
    the call's transcript task and must never wait); `agent_id` follows a transfer."""

    agent_id: str

    def on_final(self, segment: TranscriptSegment, stored_at: float) -> None: ...


class TranscriptStage:
    def __init__(
        self,
        call: CallIdentity,
        store: CallStore,
        recognition: RecognitionStage,
        redaction: RedactionStage,
        finals: asyncio.Queue[PendingFinal | None],
        subscribers: Callable[[], Sequence[FinalSubscriber]],
        uncertain_below: float,
    ) -> None:
        self._call = call
        self._store = store
        self._recognition = recognition
        self._redaction = redaction
        self._finals = finals
        self._subscribers = subscribers
        self._uncertain_below = uncertain_below
        self._next_seq = 0

    async def run(self) -> None:
        while (item := await self._finals.get()) is not END:
            utterance, pending = item
            try:
                transcription = await pending
            except Exception as exc:  # the recognizer failed this one: keep its timing, say why
                log.warning("final_transcription_failed", error=repr(exc))
                transcription = Transcription(text="", source="", guard="asr_error")
            await self._store_final(utterance, transcription)

    def pending(self) -> list[asyncio.Task[Transcription | None]]:
        """Transcriptions still queued for storing (only left over when the call failed)."""
        pending = []
        while not self._finals.empty():
            item = self._finals.get_nowait()
            if item is not None:
                pending.append(item[1])
        return pending

    async def _store_final(self, utterance: UtteranceEvent, transcription: Transcription | None) -> None:
        raw = transcription.text if transcription else None
        text, probs = (
            self._redaction.final(utterance, raw, transcription.word_probs)
            if transcription and raw
            else (raw, ())
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
            uncertain_below=self._uncertain_below,
        )
        self._next_seq += 1
        if raw:
            self._recognition.heard(utterance.channel, raw)
            self._redaction.heard(utterance.role, raw)
        await self._store.append_segment(self._call.call_id, self._call.agent_id, segment)
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
