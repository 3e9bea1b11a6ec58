"""The phone line: what `tune synth --phone`, `callassist bench window --phone`, the `--phone`
spoken evaluations and the tests all mean by "through a phone line" — 16 kHz down to 8 kHz, G.711
μ-law companded to 8 bits (its formula), the telephone band (300-3400 Hz), line noise at an SNR
(20 dB by default; white, a little pink), back to 16 kHz. The tuning toolkit's richer telephony
(other codecs, packet loss, gain) builds on these pieces (`tune/telephony.py`)."""

from __future__ import annotations

import numpy as np
import soxr

RATE = 16_000


def band_limit(audio: np.ndarray, low_hz: float, high_hz: float, rate: int = RATE) -> np.ndarray:
    """A band by zeroing FFT bins outside it, with short ramps at the edges."""
    spectrum = np.fft.rfft(audio)
    freqs = np.fft.rfftfreq(len(audio), 1.0 / rate)
    gain = np.clip(
        np.minimum((freqs - low_hz * 0.8) / (low_hz * 0.2), (high_hz * 1.1 - freqs) / (high_hz * 0.1)), 0, 1
    )
    return np.fft.irfft(spectrum * gain, n=len(audio)).astype(np.float32)


def g711(audio: np.ndarray, law: str) -> np.ndarray:
    """G.711 μ-law or A-law at 8 bits per sample (the companding formulas; 8 kHz audio in and out)."""
    x = np.clip(np.asarray(audio, np.float64), -1.0, 1.0)
    if law == "mulaw":
        mu = 255.0
        coded = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
        coded = np.round((coded + 1.0) * 127.5) / 127.5 - 1.0
        return (np.sign(coded) * np.expm1(np.abs(coded) * np.log1p(mu)) / mu).astype(np.float32)
    a = 87.6
    ax = np.abs(x)
    small = ax < 1 / a
    coded = np.where(
        small, a * ax / (1 + np.log(a)), (1 + np.log(np.maximum(a * ax, 1e-12))) / (1 + np.log(a))
    )
    coded = np.round(coded * 127) / 127
    decoded = np.where(
        coded < 1 / (1 + np.log(a)), coded * (1 + np.log(a)) / a, np.exp(coded * (1 + np.log(a)) - 1) / a
    )
    return (np.sign(x) * decoded).astype(np.float32)


def add_noise(audio: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    power = float(np.mean(np.square(audio, dtype=np.float64))) or 1e-8
    noise = np.asarray(noise, np.float64)[: len(audio)]
    noise = noise * np.sqrt(power / 10 ** (snr_db / 10) / (float(np.mean(noise**2)) or 1e-8))
    return (audio + noise).astype(np.float32)


def mulaw_roundtrip(audio: np.ndarray, rate: int = RATE) -> np.ndarray:
    """Down to 8 kHz, G.711 μ-law companded to 8 bits, and back."""
    narrow = g711(soxr.resample(audio, rate, 8000), "mulaw")
    return soxr.resample(narrow, 8000, rate).astype(np.float32)


def phone_line(audio: np.ndarray, rng: np.random.Generator, snr_db: float | None = 20.0) -> np.ndarray:
    """`audio` (16 kHz float32) as it comes out of the phone line; `snr_db` None: no line noise."""
    out = band_limit(mulaw_roundtrip(audio), 300.0, 3400.0)
    if snr_db is not None:
        line_noise = np.convolve(rng.standard_normal(len(out)), [0.6, 0.3, 0.1], mode="same")
        out = add_noise(out, line_noise, snr_db)
    peak = float(np.max(np.abs(out))) or 1.0
    return (out / max(peak, 1.0)).astype(np.float32)
