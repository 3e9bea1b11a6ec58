"""The stages of one call, in the order a frame meets them (`agent/session.py` declares the chain):

    audio.py        AudioStage        frames → worker pool: decode ▸ resample ▸ silero-vad ▸ segmenter
    recognition.py  RecognitionStage  speech events → speech_started, partials, finals submitted in order
    redaction.py    RedactionStage    recognized text → personal numbers, names, unsure digits masked
    transcript.py   TranscriptStage   finals in order → stored (before anything announces them) → subscribers

After the store, what reads a call's finals subscribes to them (`FinalSubscriber`): the assistant
(`agent/assist/assistant.py`) and the live analytics (`agent/analytics/live.py`).
"""

from __future__ import annotations

from typing import Protocol

END = None  # end-of-stream marker in every queue between stages


class CallIdentity(Protocol):
    """The call a stage works for; `agent_id` follows a transfer."""

    call_id: str
    agent_id: str
