"""The synchronous audio path of one call: bytes in, speech events out.

decode (G.711 / PCM) → de-interleave → resample to 16 kHz → silero-vad per channel (the
channels of one call share one model run) → utterance segmenter per channel.
Pure CPU work with state owned by one call: the session runs it in the worker pool, one chunk at
a time, so it needs no locks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from agent.audio.codecs import AudioFormat, decode
from agent.audio.resample import StreamResampler
from agent.events import (
    PipelineEvent,
    Role,
)
from agent.text.end_of_turn import TurnEnd
from agent.vad.segmenter import (
    SegmenterConfig,
    UtteranceSegmenter,
)
from agent.vad.silero import WINDOW, SileroVad, VadState


class AudioPipeline:
    def __init__(
        self, fmt: AudioFormat, roles: Sequence[Role], vad: SileroVad, segmenter: SegmenterConfig
    ) -> None:
        if len(roles) != fmt.channels:
            raise ValueError(f"{fmt.channels} channels need {fmt.channels} roles, got {len(roles)}")
        self.format = fmt
        self.roles = tuple(roles)
        self._vad = vad
        self._resampler = StreamResampler(fmt.sample_rate, fmt.channels)
        self._states = [VadState() for _ in roles]
        self._segmenters = [
            UtteranceSegmenter(segmenter, channel, role) for channel, role in enumerate(roles)
        ]
        self._pending = np.zeros((0, fmt.channels), dtype=np.float32)  # < one window, 16 kHz
        self.input_bytes = 0
        self.windows = 0

    @property
    def audio_seconds(self) -> float:
        """Length of the audio received so far (the call's audio clock)."""
        return self.format.duration(self.input_bytes)

    def judged(self, channel: int, start: float, end: float, ending: TurnEnd) -> None:
        """The text at a pause ends a sentence or not (safe to call while `process` runs)."""
        self._segmenters[channel].judged(start, end, ending)

    def process(self, data: bytes) -> list[PipelineEvent]:
        samples = decode(data, self.format)
        self.input_bytes += len(data)
        return self._run(self._resampler.process(samples))

    def finish(self) -> list[PipelineEvent]:
        """End of stream: drain the resampler, pad the last partial window, close utterances."""
        events = self._run(self._resampler.flush())
        if len(self._pending):
            pad = np.zeros((WINDOW - len(self._pending), self.format.channels), dtype=np.float32)
            events += self._run(pad)
        for segmenter in self._segmenters:
            events += segmenter.flush()
        return events

    def _run(self, samples: np.ndarray) -> list[PipelineEvent]:
        buffered = np.concatenate([self._pending, samples]) if len(self._pending) else samples
        whole = len(buffered) // WINDOW * WINDOW
        self._pending = buffered[whole:].copy()
        events: list[PipelineEvent] = []
        for offset in range(0, whole, WINDOW):
            windows = np.ascontiguousarray(buffered[offset : offset + WINDOW].T)  # (channels, WINDOW)
            probabilities = self._vad.speech_probabilities(self._states, windows)
            self.windows += 1
            for channel, segmenter in enumerate(self._segmenters):
                events += segmenter.feed(windows[channel], float(probabilities[channel]))
        return events
