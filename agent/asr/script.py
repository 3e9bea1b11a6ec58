"""A stand-in recognizer for demos without a speech model: it answers with the lines of the call's
script, marked `source: "script"` wherever they appear. It never runs a model, and it is only
used when explicitly configured (`CALLASSIST_ASR_MODEL=script:PATH`, which `make demo` sets when no
model is configured)."""

from __future__ import annotations

import json
from pathlib import Path

from agent.asr.interface import Transcription, TranscriptionRequest
from agent.asr.scheduler import JobKind

SCHEME = "script:"


class ScriptTranscriber:
    def __init__(self, path: Path) -> None:
        meta = json.loads(Path(path).read_text("utf-8"))
        self.path = Path(path)
        self.lines: list[dict] = meta["utterances"]  # channel, start, end, text (as synthesized)

    @property
    def description(self) -> str:
        return f"script lines from {self.path} (no speech model: text is the call's script, not recognized speech)"

    @property
    def label(self) -> dict[str, str | None]:
        return {"model": "script", "kind": "script", "note": "the call's script lines, not recognized speech"}

    def admit(self, live_calls: int) -> str | None:
        return None

    async def transcribe(self, request: TranscriptionRequest) -> Transcription | None:
        line = self._line_for(request)
        if line is None:
            return Transcription(text="", source="script")
        text: str = line["text"]
        if request.kind is JobKind.PARTIAL:  # as much of the line as has been spoken so far
            spoken = (request.end - line["start"]) / max(line["end"] - line["start"], 1e-3)
            text = text[: max(1, round(len(text) * min(1.0, spoken)))]
        return Transcription(text=text, source="script")

    def _line_for(self, request: TranscriptionRequest) -> dict | None:
        best, best_overlap = None, 0.0
        for line in self.lines:
            if line["channel"] != request.channel:
                continue
            overlap = min(line["end"], request.end) - max(line["start"], request.start)
            if overlap > best_overlap:
                best, best_overlap = line, overlap
        return best

    async def close(self) -> None:
        return None
