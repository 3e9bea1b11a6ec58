"""Internal events of a call. Frozen dataclasses; converted to JSON only at the store/edge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np


class Role(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"


class CutReason(StrEnum):
    """Why an utterance ended."""

    SILENCE = "silence"
    MAX_LENGTH = "max_length"  # forced cut of long speech at a quiet point
    STREAM_END = "stream_end"


@dataclass(frozen=True)
class SpeechStartedEvent:
    channel: int
    role: Role
    start: float  # seconds on the call's audio clock


@dataclass(frozen=True, eq=False)
class PartialAudioEvent:
    """Speech still in progress on a channel: its audio so far, for a partial transcript."""

    channel: int
    role: Role
    start: float
    end: float  # how far the speech has been heard
    audio_start: float  # time of audio[0]: earlier than `start` by the pre-roll
    audio: np.ndarray = field(repr=False)


@dataclass(frozen=True, eq=False)
class PausedAudioEvent:
    """A channel went quiet: the utterance as it ends if the silence holds (speculative final)."""

    channel: int
    role: Role
    start: float
    end: float  # where the utterance ends if the silence holds
    audio_start: float
    audio: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class SpeechResumedEvent:
    """Speech came back after a pause: the speculative final of that utterance is void."""

    channel: int
    role: Role
    start: float


@dataclass(frozen=True, eq=False)
class UtteranceEvent:
    channel: int
    role: Role
    start: float
    end: float
    cut: CutReason
    audio_start: float
    audio: np.ndarray = field(repr=False)  # float32 mono 16 kHz, pre-roll included

    @property
    def duration(self) -> float:
        return self.end - self.start


def probs_field(probs: Sequence[float]) -> str:
    """Word probabilities as a stream field: "0.93 0.5 1" (empty when there are none)."""
    return " ".join(f"{p:.3g}" for p in probs)


def parse_probs(text: str | None) -> tuple[float, ...]:
    """`probs_field` read back; () for anything that is not a list of numbers in 0-1."""
    try:
        probs = tuple(float(p) for p in (text or "").split())
    except ValueError:
        return ()
    return probs if all(0.0 <= p <= 1.0 for p in probs) else ()


@dataclass(frozen=True)
class TranscriptSegment:
    """What the store keeps for one finished utterance. `text` is None when no ASR is configured."""

    seq: int  # 0, 1, 2 … in the order the call's segments were finalized
    channel: int
    role: Role
    start: float
    end: float
    cut: str
    text: str | None = None
    source: str | None = None  # "whisper" or "script"; None without a recognizer
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    guard: str | None = None  # why recognized text was dropped
    # per word of `text` (split at spaces): the recognizer's probability (masks count as sure);
    # () when not measured
    word_probs: tuple[float, ...] = ()
    uncertain_below: float = 0.0  # words under this probability are shown and read as uncertain

    @property
    def uncertain(self) -> list[int]:
        """Indexes of the words of `text` the recognizer was unsure of."""
        return [i for i, p in enumerate(self.word_probs) if p < self.uncertain_below]

    def to_fields(self) -> dict[str, str]:
        fields = {
            "seq": str(self.seq),
            "channel": str(self.channel),
            "role": self.role.value,
            "start": f"{self.start:.3f}",
            "end": f"{self.end:.3f}",
            "cut": self.cut,
        }
        if self.text is not None:  # no field at all: no recognizer (timing only)
            fields["text"] = self.text
        if self.source is not None:
            fields["source"] = self.source
        if self.guard is not None:
            fields["guard"] = self.guard
        if self.avg_logprob is not None:
            fields["avg_logprob"] = f"{self.avg_logprob:.4f}"
        if self.no_speech_prob is not None:
            fields["no_speech_prob"] = f"{self.no_speech_prob:.4f}"
        if self.word_probs:
            fields["word_probs"] = probs_field(self.word_probs)
            fields["uncertain_below"] = f"{self.uncertain_below:g}"
        return fields

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> TranscriptSegment:
        """The segment a transcript entry holds. `text` is None only where no recognizer ran (entries
        written before the field became optional stored "" with no `source` for that); a guarded
        final keeps "" with its `guard`."""
        text = fields.get("text")
        if text == "" and "source" not in fields:
            text = None
        logprob, no_speech = fields.get("avg_logprob"), fields.get("no_speech_prob")
        probs = parse_probs(fields.get("word_probs"))
        if text is None or len(probs) != len(text.split()):
            probs = ()
        try:
            below = float(fields.get("uncertain_below") or 0.0)
        except ValueError:
            below = 0.0
        return cls(
            seq=int(fields["seq"]),
            channel=int(fields["channel"]),
            role=Role(fields["role"]),
            start=float(fields["start"]),
            end=float(fields["end"]),
            cut=fields["cut"],
            text=text,
            source=fields.get("source"),
            avg_logprob=None if logprob is None else float(logprob),
            no_speech_prob=None if no_speech is None else float(no_speech),
            guard=fields.get("guard"),
            word_probs=probs,
            uncertain_below=below,
        )


PipelineEvent = (
    SpeechStartedEvent | PartialAudioEvent | PausedAudioEvent | SpeechResumedEvent | UtteranceEvent
)


@dataclass(frozen=True)
class Turn:
    """One line of a call as the assistant reads it: who spoke (role value) and the stored text."""

    role: str
    text: str


def turns_from_transcript(rows: Sequence[Mapping[str, Any]]) -> list[Turn]:
    """Turns from stored transcript rows, those without text left out."""
    return [Turn(row["role"], row["text"]) for row in rows if row.get("text")]
