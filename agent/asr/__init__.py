"""Speech recognition: the engine, the cross-call scheduler, guards, and the session's seam."""

from agent.asr.interface import NoTranscriber, Transcriber, Transcription, TranscriptionRequest

__all__ = ["NoTranscriber", "Transcriber", "Transcription", "TranscriptionRequest"]
