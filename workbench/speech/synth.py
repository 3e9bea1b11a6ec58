"""Korean speech from espeak-ng, the one wrapper: the demo call, the benchmarks, the spoken
evaluations, the tuning corpus and the tests all synthesize through `espeak`."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soxr

from agent.audio.wav import read_wav

RATE = 16_000
SPEED_WPM = 165  # espeak-ng's words per minute where a caller gives none


def espeak_exe() -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise RuntimeError("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
    return exe


def espeak_version() -> str:
    return subprocess.run(
        [espeak_exe(), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def espeak(
    text: str, voice: str, *, pitch: int | None = None, speed: int = SPEED_WPM, audible: float | None = None
) -> np.ndarray:
    """`text` spoken by espeak-ng's `voice` (a variant such as ko+f3; pitch 0-99 if given): float32
    mono at 16 kHz. With `audible`, cut to its first and last sample above it before resampling
    (exact speech edges; an utterance with none is an error)."""
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        command = [espeak_exe(), "-v", voice, *(["-p", str(pitch)] if pitch is not None else []),
                   "-s", str(speed), "-w", tmp.name, text]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)
        rate, samples = read_wav(Path(tmp.name))
    mono = samples.mean(axis=1).astype(np.float32)
    if audible is not None:
        if not np.any(np.abs(mono) > audible):
            raise RuntimeError(f"espeak-ng produced silence for {text!r}")
        mono = trim(mono, audible)
    return soxr.resample(mono, rate, RATE, quality="HQ").astype(np.float32) if rate != RATE else mono


def trim(audio: np.ndarray, audible: float, margin_s: float = 0.0) -> np.ndarray:
    """`audio` cut to its first and last sample above `audible`, with `margin_s` kept either side
    (all of it when nothing is audible)."""
    loud = np.flatnonzero(np.abs(audio) > audible)
    if len(loud) == 0:
        return audio
    margin = int(margin_s * RATE)
    return audio[max(0, loud[0] - margin) : loud[-1] + max(margin, 1)]
