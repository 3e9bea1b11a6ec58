"""16-bit PCM WAV files in and out, with the same sample scaling as the ingest codecs (±32768):
the one place the demo, the benchmarks, the tests and the tuning toolkit read and write audio."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

FULL_SCALE = 32768.0


def read_wav(path: Path) -> tuple[int, np.ndarray]:
    """16-bit PCM WAV → (sample_rate, float32 array of shape (samples, channels))."""
    with wave.open(str(path)) as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: only 16-bit PCM WAV is supported")
        frames = w.readframes(w.getnframes())
        channels = w.getnchannels()
        rate = w.getframerate()
    return rate, (np.frombuffer(frames, dtype="<i2").astype(np.float32) / FULL_SCALE).reshape(-1, channels)


def write_wav(path: Path, audio: np.ndarray, rate: int) -> None:
    """float audio of shape (samples,) or (samples, channels) → 16-bit PCM WAV (clipped)."""
    audio = np.asarray(audio).reshape(len(audio), -1)
    pcm = np.clip(np.round(audio * FULL_SCALE), -32768, 32767).astype("<i2")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(audio.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
