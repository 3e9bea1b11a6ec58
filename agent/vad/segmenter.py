"""Turns one channel's stream of (window, speech probability) into utterances.

Times are seconds on the channel's audio clock (samples / 16000 since the stream began).

- Speech starts at the first window whose probability reaches `threshold`; it is announced
  (`SpeechStartedEvent`) once it has lasted `min_speech_ms`, and shorter bursts are dropped.
- Speech ends where probability first fell below `negative_threshold`, once it has stayed there
  for `hangover_ms` (probabilities between the two thresholds keep the current state).
- An utterance carries `pre_roll_ms` of audio before its start and its trailing hangover.
- Speech longer than `max_utterance_s` is cut at the quietest window of its last stretch, and
  the rest continues as a new utterance, so no utterance outgrows the recognizer's window.
- With `partial_interval_ms`, speech in progress yields `PartialAudioEvent` (its audio so far) each
  time that much more of it has been heard, for partial transcripts.
- With `speculative_ms` (shorter than the hangover), silence of that length yields `PausedAudioEvent`:
  the utterance as it would be if the silence holds, so its final can be decoded while the hangover
  is still confirming the end. If speech comes back first, `SpeechResumedEvent` says so.
- End of turn from what was said: with `complete_hangover_ms`, the text decoded at that pause is
  judged (`judged`, agent/text/end_of_turn.py): a finished sentence ends after
  `complete_hangover_ms` of silence, an unfinished one (a particle, a connective, a number being
  read) only after `incomplete_hangover_ms`; until a judgement comes, or when it is unknown,
  `hangover_ms` applies. The end is still where the silence began, so the utterance is the one the
  speculative final decoded.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from agent.events import (
    CutReason,
    PartialAudioEvent,
    PausedAudioEvent,
    Role,
    SpeechResumedEvent,
    SpeechStartedEvent,
    UtteranceEvent,
)
from agent.text.end_of_turn import TurnEnd
from agent.vad.silero import SAMPLE_RATE, WINDOW


@dataclass(frozen=True)
class SegmenterConfig:
    threshold: float = 0.5
    negative_threshold: float = 0.35
    pre_roll_ms: int = 300
    hangover_ms: int = 500
    min_speech_ms: int = 250
    max_utterance_s: float = 15.0
    # How far back from the max length a forced cut looks for a quiet window.
    max_cut_search_s: float = 3.0
    partial_interval_ms: int = 0  # 0: no PartialAudioEvent
    speculative_ms: int = 0  # 0: no PausedAudioEvent
    complete_hangover_ms: int = 0  # 0: no end of turn from the text, `hangover_ms` always
    incomplete_hangover_ms: int = 0  # 0: `hangover_ms`

    def __post_init__(self) -> None:
        if not 0.0 < self.negative_threshold <= self.threshold < 1.0:
            raise ValueError("need 0 < negative_threshold <= threshold < 1")
        if self.complete_hangover_ms and not (
            0
            < self.speculative_ms
            <= self.complete_hangover_ms
            <= self.hangover_ms
            <= self.incomplete_hangover_ms
        ):
            raise ValueError(
                "end of turn needs 0 < speculative_ms <= complete_hangover_ms <= hangover_ms "
                "<= incomplete_hangover_ms"
            )
        if self.max_utterance_s * 1000 <= self.min_speech_ms:
            raise ValueError("max_utterance_s must be longer than min_speech_ms")


SegmenterEvent = (
    SpeechStartedEvent | PartialAudioEvent | PausedAudioEvent | SpeechResumedEvent | UtteranceEvent
)


def _windows(ms: float) -> int:
    return max(1, math.ceil(ms * SAMPLE_RATE / 1000 / WINDOW))


def _time(window_index: int) -> float:
    return window_index * WINDOW / SAMPLE_RATE


class UtteranceSegmenter:
    def __init__(
        self, config: SegmenterConfig | None = None, channel: int = 0, role: Role = Role.CUSTOMER
    ) -> None:
        self.config = c = config or SegmenterConfig()
        self.channel, self.role = channel, role  # stamped on every event it emits
        self._pre_roll_windows = _windows(c.pre_roll_ms)
        self._hangover_windows = _windows(c.hangover_ms)
        self._min_speech_windows = _windows(c.min_speech_ms)
        self._max_windows = max(self._min_speech_windows + 1, int(c.max_utterance_s * SAMPLE_RATE / WINDOW))
        self._cut_search_windows = min(_windows(c.max_cut_search_s * 1000), self._max_windows // 2)
        self._progress_windows = _windows(c.partial_interval_ms) if c.partial_interval_ms > 0 else 0
        self._last_progress = 0  # window index up to which progress was last reported
        self._speculative_windows = _windows(c.speculative_ms) if 0 < c.speculative_ms < c.hangover_ms else 0
        self._paused = False  # a PausedAudioEvent is out for the current silence
        self._turn_windows = {
            TurnEnd.COMPLETE: _windows(c.complete_hangover_ms or c.hangover_ms),
            TurnEnd.INCOMPLETE: _windows(c.incomplete_hangover_ms or c.hangover_ms),
            TurnEnd.UNKNOWN: self._hangover_windows,
        }
        # (start, end) of the pause judged, and the silence that ends it; set from the event loop
        # while `feed` runs in a worker thread: one tuple, replaced whole (atomic), read once per window
        self._judgement: tuple[float, float, int] | None = None

        self._next = 0  # index of the next window fed
        self._recent: deque[np.ndarray] = deque(maxlen=self._pre_roll_windows)
        self._in_speech = False
        self._announced = False
        self._start = 0  # window index where the current speech started
        self._audio_first = 0  # window index of _audio[0]
        self._audio: list[np.ndarray] = []
        self._silence_since: int | None = None

    def judged(self, start: float, end: float, ending: TurnEnd) -> None:
        """What was said up to the pause of the utterance from `start` that fell silent at `end`
        (a `PausedAudioEvent`'s times) ends a sentence or not: its silence is set accordingly."""
        if self.config.complete_hangover_ms:
            self._judgement = (start, end, self._turn_windows[ending])

    def feed(self, window: np.ndarray, probability: float) -> list[SegmenterEvent]:
        c = self.config
        index = self._next
        self._next += 1
        if not self._in_speech:
            self._recent.append(window)
            if probability >= c.threshold:
                self._begin(index, list(self._recent), index - len(self._recent) + 1)
                return self._announce_if_due(index)
            return []

        self._audio.append(window)
        resumed: list[SegmenterEvent] = []
        if probability >= c.threshold:
            self._silence_since = None
            if self._paused:
                self._paused = False
                resumed.append(SpeechResumedEvent(self.channel, self.role, _time(self._start)))
        elif probability < c.negative_threshold and self._silence_since is None:
            self._silence_since = index

        if self._silence_since is not None:
            # Speech has stopped; it ends at `_silence_since` once the hangover confirms it, and is
            # never force-cut meanwhile (its length stopped growing).
            silent = index + 1 - self._silence_since
            if silent >= self._hangover_for_this_pause():
                return self._finish(self._silence_since, CutReason.SILENCE)
            if (
                silent == self._speculative_windows
                and self._silence_since - self._start >= self._min_speech_windows
            ):
                self._paused = True
                audio = np.concatenate(self._audio)
                return [
                    PausedAudioEvent(
                        self.channel,
                        self.role,
                        _time(self._start),
                        _time(self._silence_since),
                        _time(self._audio_first),
                        audio,
                    )
                ]
        elif index + 1 - self._start >= self._max_windows:
            return self._cut_at_quiet_point(index)
        return resumed + self._announce_if_due(index) + self._progress_if_due(index)

    def flush(self) -> list[SegmenterEvent]:
        """End of stream: close the utterance in progress."""
        if not self._in_speech:
            return []
        end = self._silence_since if self._silence_since is not None else self._next
        return self._finish(end, CutReason.STREAM_END)

    # --- internals ---------------------------------------------------------------------------

    def _hangover_for_this_pause(self) -> int:
        judgement = self._judgement
        if (
            judgement is not None
            and self._silence_since is not None
            and judgement[:2] == (_time(self._start), _time(self._silence_since))
        ):
            return judgement[2]
        return self._hangover_windows

    def _begin(self, start: int, audio: list[np.ndarray], audio_first: int) -> None:
        self._in_speech = True
        self._announced = False
        self._start = start
        self._audio = audio
        self._audio_first = audio_first
        self._silence_since = None
        self._last_progress = start
        self._paused = False
        self._judgement = None
        self._recent.clear()

    def _announce_if_due(self, index: int) -> list[SegmenterEvent]:
        if self._announced or self._silence_since is not None:
            return []
        if index + 1 - self._start < self._min_speech_windows:
            return []
        self._announced = True
        return [SpeechStartedEvent(self.channel, self.role, _time(self._start))]

    def _progress_if_due(self, index: int) -> list[SegmenterEvent]:
        if not (self._progress_windows and self._announced) or self._silence_since is not None:
            return []
        if index + 1 - self._last_progress < self._progress_windows:
            return []
        self._last_progress = index + 1
        audio = np.concatenate(self._audio)
        return [
            PartialAudioEvent(
                self.channel, self.role, _time(self._start), _time(index + 1), _time(self._audio_first), audio
            )
        ]

    def _finish(self, end: int, reason: CutReason) -> list[SegmenterEvent]:
        events: list[SegmenterEvent] = []
        if end - self._start >= self._min_speech_windows:
            if not self._announced:
                events.append(SpeechStartedEvent(self.channel, self.role, _time(self._start)))
            events.append(self._segment(end, reason, self._audio))
        # Keep the tail as pre-roll for whatever comes next.
        self._recent.extend(self._audio[-self._pre_roll_windows :])
        self._in_speech = False
        self._audio = []
        self._silence_since = None
        return events

    def _segment(self, end: int, reason: CutReason, audio: list[np.ndarray]) -> UtteranceEvent:
        samples = np.concatenate(audio) if audio else np.zeros(0, dtype=np.float32)
        return UtteranceEvent(
            channel=self.channel,
            role=self.role,
            start=_time(self._start),
            end=_time(end),
            cut=reason,
            audio_start=_time(self._audio_first),
            audio=samples,
        )

    def _cut_at_quiet_point(self, index: int) -> list[SegmenterEvent]:
        """Cut the running utterance at its quietest window near the end, keep the rest going."""
        first_candidate = index + 1 - self._cut_search_windows
        candidates = self._audio[first_candidate - self._audio_first :]
        energies = [float(np.dot(w, w)) for w in candidates]
        cut = first_candidate + int(np.argmin(energies))  # the quiet window starts the next utterance
        split = cut - self._audio_first
        head, tail = self._audio[:split], self._audio[split:]
        events: list[SegmenterEvent] = []
        if not self._announced:
            events.append(SpeechStartedEvent(self.channel, self.role, _time(self._start)))
        events.append(self._segment(cut, CutReason.MAX_LENGTH, head))
        self._begin(cut, tail, cut)
        events.extend(self._announce_if_due(index))
        return events
