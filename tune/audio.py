"""Audio for the toolkit: 16-bit WAV in and out, resampling, and augmentations that model a phone
line (8 kHz μ-law round trip, band-pass, additive noise at a chosen SNR, speed perturbation)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soxr

from agent.audio.wav import read_wav, write_wav

RATE = 16000


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
    narrow = soxr.resample(audio, rate, 8000)
    mu = 255.0
    x = np.clip(narrow, -1.0, 1.0)
    coded = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    coded = np.round((coded + 1.0) * 127.5) / 127.5 - 1.0  # 8-bit levels
    decoded = np.sign(coded) * np.expm1(np.abs(coded) * np.log1p(mu)) / mu
    return soxr.resample(decoded.astype(np.float32), 8000, rate).astype(np.float32)


def band_pass(
    audio: np.ndarray, low_hz: float = 300.0, high_hz: float = 3400.0, rate: int = RATE
) -> np.ndarray:
    """The telephone band, by zeroing FFT bins outside it (with short ramps at the edges)."""
    spectrum = np.fft.rfft(audio)
    freqs = np.fft.rfftfreq(len(audio), 1.0 / rate)
    gain = np.clip(
        np.minimum((freqs - low_hz * 0.8) / (low_hz * 0.2), (high_hz * 1.1 - freqs) / (high_hz * 0.1)), 0, 1
    )
    return np.fft.irfft(spectrum * gain, n=len(audio)).astype(np.float32)


def add_noise(audio: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """White-ish noise (a little pink) at `snr_db` below the speech's power."""
    power = float(np.mean(audio**2)) or 1e-8
    noise = np.convolve(rng.standard_normal(len(audio)), [0.6, 0.3, 0.1], mode="same").astype(np.float32)
    noise *= np.sqrt(power / (10 ** (snr_db / 10)) / (np.mean(noise**2) or 1e-8))
    return (audio + noise).astype(np.float32)


def change_speed(audio: np.ndarray, factor: float, rate: int = RATE) -> np.ndarray:
    """Faster (>1) or slower speech, pitch moving with it (as Kaldi's speed perturbation)."""
    return soxr.resample(audio, rate * factor, rate).astype(np.float32)


def phone_line(audio: np.ndarray, rng: np.random.Generator, snr_db: float | None = 20.0) -> np.ndarray:
    out = band_pass(mulaw_roundtrip(audio))
    if snr_db is not None:
        out = add_noise(out, snr_db, rng)
    peak = float(np.max(np.abs(out))) or 1.0
    return (out / max(peak, 1.0)).astype(np.float32)
