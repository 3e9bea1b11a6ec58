"""What the call session needs from a speech recognizer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from agent.events import UtteranceEvent


@dataclass(frozen=True)
class Transcription:
    text: str
    avg_logprob: float | None = None
    no_speech_prob: float | None = None


class Transcriber(Protocol):
    @property
    def description(self) -> str:
        """One line for logs and /readyz, e.g. the model path."""
        ...

    async def transcribe(self, utterance: UtteranceEvent, call_id: str) -> Transcription | None:
        """Text of one utterance, or None when this transcriber produces no text."""
        ...


class NoTranscriber:
    """Used while no speech model is configured: utterances are stored with timing only."""

    description = "none (CALLASSIST_ASR_MODEL is not set: speech timing only, no text)"

    async def transcribe(self, utterance: UtteranceEvent, call_id: str) -> Transcription | None:
        return None
