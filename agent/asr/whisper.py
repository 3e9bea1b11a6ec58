"""The Transcriber backed by the shared Whisper engine, through the cross-call scheduler."""

from __future__ import annotations

import asyncio

from agent import metrics
from agent.asr.engine import DecodeRequest, WhisperEngine
from agent.asr.guards import GuardConfig, screen, signal_rejection
from agent.asr.interface import JobKind, Transcription, TranscriptionRequest
from agent.asr.scheduler import AsrScheduler


class WhisperTranscriber:
    def __init__(
        self,
        engine: WhisperEngine,
        scheduler: AsrScheduler,
        guards: GuardConfig | None = None,
        word_confidence: bool = True,
    ) -> None:
        self.engine = engine
        self.scheduler = scheduler
        self.guards = guards or GuardConfig()
        self.word_confidence = word_confidence  # finals carry each word's probability

    @property
    def description(self) -> str:
        return self.engine.description

    @property
    def label(self) -> dict[str, str | None]:
        return self.engine.label

    def admit(self, live_calls: int) -> str | None:
        return self.scheduler.admit(live_calls)

    async def transcribe(self, request: TranscriptionRequest) -> Transcription | None:
        # a few milliseconds of FFT: off the event loop, never behind the model's queue
        silent = await asyncio.to_thread(signal_rejection, request.audio, self.guards)
        if silent:  # nothing a model could hear: no model time spent
            metrics.ASR_GUARDED.labels(reason=silent).inc()
            return Transcription(text="", source="whisper", guard=silent)
        options = self.engine.options
        window = options.final_window if request.kind is JobKind.FINAL else options.partial_window
        result = await self.scheduler.submit(
            request.kind,
            (request.call_id, request.channel),
            DecodeRequest(
                request.audio,
                request.prompt,
                window,
                word_confidence=self.word_confidence and request.kind is JobKind.FINAL,
            ),
        )
        if result is None:
            return None  # superseded by newer audio of the same stream
        result, reason = screen(result, self.guards)
        if reason:
            metrics.ASR_GUARDED.labels(reason=reason).inc()
        return Transcription(
            text="" if reason else result.text,
            source="whisper",
            avg_logprob=result.avg_logprob,
            no_speech_prob=result.no_speech_prob,
            guard=reason,
            word_probs=() if reason else result.word_probs,
        )

    async def close(self) -> None:
        await self.scheduler.stop()
