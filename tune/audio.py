"""Audio files for the toolkit: 16-bit WAV in and out at 16 kHz, and the simple phone line that
`tune synth --phone` has always used (G.711 μ-law at 8 kHz, the telephone band, noise at an SNR).
Everything else that changes audio lives in `tune/augment.py`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soxr

from agent.audio.wav import read_wav, write_wav
from tune.augment import RATE, add_noise
from tune.telephony import band_limit, g711


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


def mulaw_roundtrip(audio: np.ndarray, rate: int = RATE) -> np.ndarray:
    """Down to 8 kHz, G.711 μ-law companded to 8 bits, and back: what a phone line does."""
    narrow = g711(soxr.resample(audio, rate, 8000), "mulaw")
    return soxr.resample(narrow, 8000, rate).astype(np.float32)


def phone_line(audio: np.ndarray, rng: np.random.Generator, snr_db: float | None = 20.0) -> np.ndarray:
    out = band_limit(mulaw_roundtrip(audio), 300.0, 3400.0)
    if snr_db is not None:  # white-ish, a little pink: as the shipped default's training data had
        line_noise = np.convolve(rng.standard_normal(len(out)), [0.6, 0.3, 0.1], mode="same")
        out = add_noise(out, line_noise, snr_db)
    peak = float(np.max(np.abs(out))) or 1.0
    return (out / max(peak, 1.0)).astype(np.float32)
