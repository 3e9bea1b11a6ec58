"""One channel's recognizer stream: turns the segmenter's audio events for one speaker into
recognition jobs, the way a streaming recognizer would, over a batch recognizer (the scheduler).

It owns what one channel needs between events and nothing else: the speculative final decoded at
a pause (reused when the utterance ends where the pause said, dropped when speech resumes), which
utterance a partial belongs to (a partial that comes back after its utterance's final is stale),
and the channel's recent raw text, offered to the model as the next utterance's prompt. Storing,
redaction and announcing stay with the call session.
"""

from __future__ import annotations

import asyncio
from collections import deque

from agent import metrics
from agent.asr.interface import JobKind, Transcriber, Transcription, TranscriptionRequest
from agent.events import PartialAudioEvent, PausedAudioEvent, Role, UtteranceEvent

PROMPT_FINALS = 4  # recent finals of the channel offered as the next utterance's prompt


class ChannelRecognizer:
    def __init__(self, transcriber: Transcriber, call_id: str, channel: int, role: Role) -> None:
        self._transcriber = transcriber
        self.call_id, self.channel, self.role = call_id, channel, role
        self._speculative: tuple[float, float, asyncio.Task[Transcription | None]] | None = None
        self._utterances = 0  # finals submitted: identifies the utterance in progress
        self._recent_text: deque[str] = deque(maxlen=PROMPT_FINALS)  # raw, in memory only

    def paused(self, event: PausedAudioEvent) -> asyncio.Task[Transcription | None]:
        """Silence began: decode the utterance as it ends if the silence holds."""
        self.resumed()
        task = asyncio.create_task(self._transcriber.transcribe(self._request(JobKind.FINAL, event)))
        self._speculative = (event.start, event.end, task)
        return task

    def resumed(self) -> None:
        """Speech came back (or a newer guess replaces this one): the speculative final is void."""
        guess, self._speculative = self._speculative, None
        if guess is not None:
            guess[2].cancel()  # still queued: never decoded; already decoding: result ignored
            metrics.ASR_SPECULATIVE.labels(outcome="dropped").inc()

    def ended(self, utterance: UtteranceEvent) -> asyncio.Task[Transcription | None]:
        """The utterance's final text: the speculative decode if it guessed the end right, else a new one."""
        self._utterances += 1
        guess = self._speculative
        if guess is not None and guess[:2] == (utterance.start, utterance.end):
            self._speculative = None
            metrics.ASR_SPECULATIVE.labels(outcome="used").inc()
            return guess[2]
        self.resumed()
        return asyncio.create_task(self._transcriber.transcribe(self._request(JobKind.FINAL, utterance)))

    @property
    def utterance(self) -> int:
        """Which utterance is in progress (a number that moves when one ends): read it when a
        partial's audio is handled, and pass it to `partial`."""
        return self._utterances

    async def partial(self, event: PartialAudioEvent, utterance: int) -> Transcription | None:
        """Text of speech in progress; None when there is none or its utterance (`utterance`, read
        when the event was handled) has ended meanwhile."""
        transcription = await self._transcriber.transcribe(self._request(JobKind.PARTIAL, event))
        if transcription is None or not transcription.text or self._utterances != utterance:
            return None
        return transcription

    def heard(self, raw_text: str) -> None:
        """A final's raw text, kept as the prompt for the channel's next utterances."""
        if raw_text:
            self._recent_text.append(raw_text)

    def pending(self) -> list[asyncio.Task[Transcription | None]]:
        """The speculative decode still out, if any (for cleanup when the call fails)."""
        return [self._speculative[2]] if self._speculative is not None else []

    def _request(
        self, kind: JobKind, event: PartialAudioEvent | PausedAudioEvent | UtteranceEvent
    ) -> TranscriptionRequest:
        return TranscriptionRequest(
            call_id=self.call_id,
            channel=self.channel,
            role=self.role,
            kind=kind,
            start=event.start,
            end=event.end,
            audio=event.audio,
            prompt=" ".join(self._recent_text) or None,
        )
