"""What the call session needs from a speech recognizer."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import numpy as np

from agent.events import Role


class JobKind(StrEnum):
    """What a transcription is for: the final text of an utterance, or a partial of one in progress."""

    FINAL = "final"
    PARTIAL = "partial"


@dataclass(frozen=True, eq=False)
class TranscriptionRequest:
    call_id: str
    channel: int
    role: Role
    kind: JobKind  # final (end of utterance) or partial (speech still going on)
    start: float  # seconds on the call's audio clock
    end: float
    audio: np.ndarray = field(repr=False)  # float32 mono 16 kHz
    prompt: str | None = None  # the channel's previous final text


@dataclass(frozen=True)
class Transcription:
    text: str  # empty when a guard rejected what the model produced
    source: str  # "whisper" or "script"
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    guard: str | None = None  # why the model's text was dropped
    # per word of `text` (split at spaces), how sure the model was (0-1); () when not measured
    word_probs: tuple[float, ...] = ()


class Transcriber(Protocol):
    @property
    def description(self) -> str:
        """One line for logs and /readyz."""
        ...

    @property
    def label(self) -> dict[str, str | None]:
        """What produced a call's text, stored with the call and shown on the console:
        `model` (name), `kind` (none, script, base, tuned, custom, random) and a `note` for people."""
        ...

    def admit(self, live_calls: int) -> str | None:
        """None if a new call can be served now, else why not."""
        ...

    async def transcribe(self, request: TranscriptionRequest) -> Transcription | None:
        """Text for the request; None when there is none (no model, or a newer partial replaced it)."""
        ...

    async def close(self) -> None: ...


class NoTranscriber:
    """Used while no speech model is configured: utterances are stored with timing only."""

    description = "none (CALLASSIST_ASR_MODEL=none: speech timing only, no text)"
    label: dict[str, str | None] = {"model": None, "kind": "none", "note": "no speech model: timing only"}

    def admit(self, live_calls: int) -> str | None:
        return None

    async def transcribe(self, request: TranscriptionRequest) -> Transcription | None:
        return None

    async def close(self) -> None:
        return None
