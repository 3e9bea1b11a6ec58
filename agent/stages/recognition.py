"""Stage 2: speech events into recognition. `speech_started` is announced at once; a partial is
transcribed and announced (redacted) if its utterance is still current; a pause gets a guess whose
text says how long the silence must last to end the turn (`agent/text/end_of_turn.py`); an ended
utterance has its final submitted now (batched across calls by the scheduler) and queued, in
order, for the transcript stage."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from functools import partial

import structlog

from agent import metrics
from agent.asr.interface import Transcriber, Transcription
from agent.asr.stream import ChannelRecognizer
from agent.events import (
    PartialAudioEvent,
    PausedAudioEvent,
    PipelineEvent,
    Role,
    SpeechResumedEvent,
    SpeechStartedEvent,
    UtteranceEvent,
)
from agent.feed import Partial, SpeechStarted
from agent.stages import END, CallIdentity
from agent.stages.redaction import RedactionStage
from agent.store import CallStore
from agent.text.end_of_turn import TurnEnd, judge

log = structlog.get_logger(__name__)

PendingFinal = tuple[UtteranceEvent, "asyncio.Task[Transcription | None]"]


class RecognitionStage:
    def __init__(
        self,
        call: CallIdentity,
        transcriber: Transcriber,
        roles: Sequence[Role],
        redaction: RedactionStage,
        store: CallStore,
        events: asyncio.Queue[PipelineEvent | None],
        finals: asyncio.Queue[PendingFinal | None],
        judged: Callable[[int, float, float, TurnEnd], None],
    ) -> None:
        self._call = call
        self._redaction = redaction
        self._store = store
        self._events = events
        self._finals = finals
        self._judged = judged  # back to the segmenter: how long this pause must last
        # per channel: speculative finals, stale partials, the prompt (agent/asr/stream.py)
        self.recognizers = [
            ChannelRecognizer(transcriber, call.call_id, channel, role) for channel, role in enumerate(roles)
        ]
        self.partials: set[asyncio.Task[None]] = set()

    def heard(self, channel: int, raw: str) -> None:
        """A final's raw text, the channel's prompt for what follows (kept in memory only)."""
        self.recognizers[channel].heard(raw)

    def pending(self) -> list[asyncio.Task[object]]:
        """Recognition still in flight (cancelled when the call ends)."""
        tasks: list[asyncio.Task[object]] = [*self.partials]
        tasks += [task for recognizer in self.recognizers for task in recognizer.pending()]
        return tasks

    async def run(self) -> None:
        call = self._call
        while (event := await self._events.get()) is not END:
            if isinstance(event, SpeechStartedEvent):
                started = SpeechStarted(
                    call_id=call.call_id,
                    channel=event.channel,
                    role=event.role.value,
                    start=round(event.start, 3),
                )
                await self._store.announce(call.agent_id, started)
            elif isinstance(event, PartialAudioEvent):
                # which utterance this partial belongs to is read now: it may end before the task runs
                utterance = self.recognizers[event.channel].utterance
                task = asyncio.create_task(self._partial(event, utterance))
                self.partials.add(task)
                task.add_done_callback(self._partial_done)
            elif isinstance(event, PausedAudioEvent):
                guess = self.recognizers[event.channel].paused(event)
                guess.add_done_callback(partial(self._judge_pause, event))
            elif isinstance(event, SpeechResumedEvent):
                self.recognizers[event.channel].resumed()
            elif isinstance(event, UtteranceEvent):
                await self._finals.put((event, self.recognizers[event.channel].ended(event)))
        await self._finals.put(END)

    def _judge_pause(self, pause: PausedAudioEvent, guess: asyncio.Task[Transcription | None]) -> None:
        """End of turn: the text decoded at a pause says how long its silence must last."""
        if guess.cancelled() or guess.exception() is not None:
            return
        transcription = guess.result()
        ending = judge(transcription.text) if transcription and not transcription.guard else TurnEnd.UNKNOWN
        metrics.END_OF_TURN.labels(ending=ending.value).inc()
        self._judged(pause.channel, pause.start, pause.end, ending)

    async def _partial(self, event: PartialAudioEvent, utterance: int) -> None:
        transcription = await self.recognizers[event.channel].partial(event, utterance)
        if transcription is None:
            return  # no text, or its utterance has been finalized meanwhile
        partial_text = Partial(
            call_id=self._call.call_id,
            channel=event.channel,
            role=event.role.value,
            start=round(event.start, 3),
            end=round(event.end, 3),
            text=self._redaction.partial(event.channel, transcription.text, event.start),
            source=transcription.source,
        )
        await self._store.announce(self._call.agent_id, partial_text)

    def _partial_done(self, task: asyncio.Task[None]) -> None:
        """A failed partial is logged and forgotten: the final of that utterance still comes."""
        self.partials.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("partial_failed", error=repr(task.exception()))
