"""Speech recognition seam. The pipeline hands every finished utterance to a `Transcriber`."""

from agent.asr.interface import NoTranscriber, Transcriber, Transcription

__all__ = ["NoTranscriber", "Transcriber", "Transcription"]
