"""Audio files for the toolkit: 16-bit WAV in and out at 16 kHz; the phone line `tune synth
--phone` uses is the workbench's one (`workbench/speech/phone.py`). Everything else that changes
audio lives in `tune/augment.py`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soxr

from agent.audio.wav import read_wav, write_wav
from tune.augment import RATE
from workbench.speech.phone import mulaw_roundtrip, phone_line

__all__ = ["RATE", "mulaw_roundtrip", "phone_line", "read_audio", "write_audio"]


def read_audio(path: Path, rate: int = RATE) -> np.ndarray:
    """A WAV file as float32 mono at `rate`."""
    try:
        source, audio = read_wav(path)
    except ValueError as error:
        raise ValueError(f"{path}: only 16-bit PCM WAV is read") from error
    mono = audio.mean(axis=1).astype(np.float32)
    return soxr.resample(mono, source, rate).astype(np.float32) if source != rate else mono


def write_audio(path: Path, audio: np.ndarray, rate: int = RATE) -> None:
    write_wav(path, np.asarray(audio), rate)
