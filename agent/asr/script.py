"""A stand-in recognizer for demos without a speech model: it answers with the lines of the call's
script, marked `source: "script"` wherever they appear. It never runs a model, and it is only
used when explicitly configured (`CALLASSIST_ASR_MODEL=script:PATH`, which `make demo` sets when no
model is configured). PATH is one call's script (every call gets its lines) or a folder of them,
`CALL_ID.json` each, as `callassist bench calls` writes for its typed-transcript run."""

from __future__ import annotations

import json
from pathlib import Path

from agent.asr.interface import JobKind, Transcription, TranscriptionRequest

SCHEME = "script:"


def _lines(path: Path) -> list[dict]:
    """A script's utterances: channel, start, end, text (as synthesized)."""
    return list(json.loads(path.read_text("utf-8"))["utterances"])


class ScriptTranscriber:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._by_call: dict[str, list[dict]] = {}
        self.lines: list[dict] | None = None if self.path.is_dir() else _lines(self.path)

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

    def _script_of(self, call_id: str) -> list[dict]:
        if self.lines is not None:
            return self.lines
        if call_id not in self._by_call:
            path = self.path / f"{call_id}.json"
            self._by_call[call_id] = _lines(path) if path.is_file() else []
        return self._by_call[call_id]

    def _line_for(self, request: TranscriptionRequest) -> dict | None:
        best, best_overlap = None, 0.0
        for line in self._script_of(request.call_id):
            if line["channel"] != request.channel:
                continue
            overlap = min(line["end"], request.end) - max(line["start"], request.start)
            if overlap > best_overlap:
                best, best_overlap = line, overlap
        return best

    async def close(self) -> None:
        return None
