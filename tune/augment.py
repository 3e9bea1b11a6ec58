"""Acoustic augmentation for training data: one module that `tune synth` and `tune data` both use.

An augmentation is a seeded chain of steps drawn from the enabled *kinds*, each with its own
ranges (`AugmentConfig`); `augment(audio, rng, config, others)` returns the new audio and the
record of what was applied (kept in the manifest, so a result can be traced). Kinds:

| kind | what it does | real or simulated |
|---|---|---|
| `speed` | speed perturbation 0.9–1.1 (pitch and tempo together, Kaldi's way) | real resampling |
| `tempo` | tempo 0.85–1.15 with the pitch kept (phase vocoder) | signal processing |
| `pitch` | pitch ±3 semitones with the tempo kept (phase vocoder + resampling) | signal processing |
| `formant` | vocal-tract length: the spectral envelope warped by 0.88–1.12, pitch kept | signal processing |
| `reverb` | a synthetic room impulse response, RT60 0.2–0.8 s, direct-to-reverberant 0–12 dB | simulated room |
| `noise` | white, pink, brown, babble (other utterances), office (babble + keys + fan) or mains hum at 0–25 dB SNR | simulated noise; babble is real speech of the corpus |
| `phone` | band limit (300–3,400 Hz, or 50–7,000 Hz for wideband), then a codec: G.711 μ-law or A-law, AMR-NB (4.75–12.2 kbit/s), G.723.1 (6.3 kbit/s), G.722, Opus (6–16 kbit/s); packet loss of 20 ms frames with concealment; automatic gain and clipping | real codecs (FFmpeg's encoders through PyAV); loss and gain simulated |
| `echo` | the other channel's speech at −35 to −20 dB, 20–200 ms late | simulated line echo |
| `level` | level −30 to 0 dBFS (peak), applied last | real |

SpecAugment (time and frequency masks on the log-mel features) is applied while training
(`tune/training.py`), not here; the call legs of `phone` are `tune/telephony.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import soxr

from tune.telephony import CODECS, fit, phone_chain
from workbench.speech.phone import add_noise

RATE = 16_000
KINDS = ("speed", "tempo", "pitch", "formant", "reverb", "noise", "phone", "echo", "level")
NOISES = ("white", "pink", "brown", "babble", "office", "hum")


class AugmentError(ValueError):
    """An augmentation setting out of range or unknown; the message says which."""


def _range(text: str, name: str, low: float, high: float) -> tuple[float, float]:
    try:
        parts = [float(p) for p in text.split(",")]
    except ValueError:
        raise AugmentError(f"{name}: expected LOW,HIGH numbers, got {text!r}") from None
    if len(parts) != 2 or parts[0] > parts[1] or parts[0] < low or parts[1] > high:
        raise AugmentError(f"{name}: expected LOW,HIGH within {low:g}..{high:g}, got {text!r}")
    return parts[0], parts[1]


@dataclass(frozen=True)
class AugmentConfig:
    kinds: tuple[str, ...] = KINDS
    share: float = 0.8  # of the utterances augmented; each kind then applies with its probability
    speed: tuple[float, float] = (0.9, 1.1)
    tempo: tuple[float, float] = (0.85, 1.15)
    pitch_semitones: tuple[float, float] = (-3.0, 3.0)
    formant: tuple[float, float] = (0.88, 1.12)
    rt60_s: tuple[float, float] = (0.2, 0.8)
    snr_db: tuple[float, float] = (0.0, 25.0)
    echo_db: tuple[float, float] = (-35.0, -20.0)
    level_dbfs: tuple[float, float] = (-30.0, 0.0)
    loss: tuple[float, float] = (0.0, 0.05)  # share of 20 ms frames lost on the line
    noises: tuple[str, ...] = NOISES
    codecs: tuple[str, ...] = CODECS
    probability: dict[str, float] = field(
        default_factory=lambda: {
            "speed": 0.3, "tempo": 0.3, "pitch": 0.4, "formant": 0.5, "reverb": 0.35, "noise": 0.5,
            "phone": 0.45, "echo": 0.15, "level": 0.6,
        }
    )  # fmt: skip

    @classmethod
    def parse(cls, kinds: str = "all", *, every: bool = False, **ranges: str | None) -> AugmentConfig:
        """From command-line text: `kinds` a comma list of KINDS (or `all`; `-reverb` leaves one
        out), each range `LOW,HIGH`; `every` applies each chosen kind to every augmented utterance
        (test conditions). Unknown kinds, noises, codecs and bad ranges raise AugmentError."""
        chosen = list(KINDS) if kinds in ("all", "") else []
        for part in (p.strip() for p in kinds.split(",") if p.strip() and kinds != "all"):
            if part.startswith("-"):
                if part[1:] not in KINDS:
                    raise AugmentError(f"unknown augmentation {part[1:]!r} (known: {', '.join(KINDS)})")
                chosen = [k for k in (chosen or KINDS) if k != part[1:]]
            elif part in KINDS:
                chosen.append(part)
            else:
                raise AugmentError(f"unknown augmentation {part!r} (known: {', '.join(KINDS)})")
        values: dict[str, object] = {"kinds": tuple(dict.fromkeys(chosen))}
        limits = {
            "speed": (0.5, 2.0), "tempo": (0.5, 2.0), "pitch_semitones": (-12, 12), "formant": (0.7, 1.4),
            "rt60_s": (0.05, 3.0), "snr_db": (-10, 60), "echo_db": (-60, 0), "level_dbfs": (-60, 0), "loss": (0, 0.5),
        }  # fmt: skip
        for name, text in ranges.items():
            if text is None:
                continue
            if name in ("noises", "codecs"):
                allowed = NOISES if name == "noises" else CODECS
                picked = tuple(p.strip() for p in text.split(",") if p.strip())
                unknown = [p for p in picked if p not in allowed]
                if unknown or not picked:
                    raise AugmentError(f"{name}: unknown {unknown or text!r} (known: {', '.join(allowed)})")
                values[name] = picked
            elif name == "share":
                share = float(text)
                if not 0.0 <= share <= 1.0:
                    raise AugmentError(f"share: expected 0..1, got {text!r}")
                values[name] = share
            elif name in limits:
                values[name] = _range(text, name, *limits[name])
            else:
                raise AugmentError(f"unknown augmentation setting {name!r}")
        if every:
            values["probability"] = dict.fromkeys(KINDS, 1.0)
        return cls(**values)  # type: ignore[arg-type]


def augment(
    audio: np.ndarray, rng: np.random.Generator, config: AugmentConfig, others: Sequence[np.ndarray] = ()
) -> tuple[np.ndarray, dict[str, object]]:
    """`audio` (16 kHz float32) through a random chain of the enabled kinds; `others` are other
    utterances of the corpus (babble and echo draw on them). Returns (audio, what was applied)."""
    x = np.asarray(audio, np.float32)
    applied: dict[str, object] = {}
    if rng.random() >= config.share:
        return x, applied

    def on(kind: str) -> bool:
        return kind in config.kinds and rng.random() < config.probability.get(kind, 0.5)

    for kind, attribute, step, digits in _ONE_VALUE_STEPS:
        if kind == "tempo" and "speed" in applied:
            continue  # one change of tempo at most
        if on(kind):
            value = float(rng.uniform(*getattr(config, attribute)))
            x, applied[kind] = step(x, value), round(value, digits)
    if on("reverb"):
        rt60 = float(rng.uniform(*config.rt60_s))
        drr = float(rng.uniform(0.0, 12.0))
        x, applied["reverb"] = (
            reverberate(x, rt60, drr, rng),
            {"rt60_s": round(rt60, 2), "drr_db": round(drr, 1)},
        )
    if on("echo") and len(others):
        db = float(rng.uniform(*config.echo_db))
        delay = float(rng.uniform(0.02, 0.2))
        other = others[int(rng.integers(len(others)))]
        x, applied["echo"] = add_echo(x, other, db, delay), {"db": round(db, 1), "delay_s": round(delay, 3)}
    if on("noise"):
        kinds = [k for k in config.noises if k != "babble" or len(others) >= 3]
        kind = str(rng.choice(kinds))
        snr = float(rng.uniform(*config.snr_db))
        x = add_noise(x, make_noise(kind, len(x), rng, others), snr)
        applied["noise"] = {"kind": kind, "snr_db": round(snr, 1)}
    if on("phone"):
        x, applied["phone"] = phone_chain(x, rng, config.codecs, config.loss)
    if on("level"):
        dbfs = float(rng.uniform(*config.level_dbfs))
        x, applied["level_dbfs"] = set_level(x, dbfs), round(dbfs, 1)
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak > 1.0:
        x = x / peak
    return x.astype(np.float32), applied


# --- time and pitch ------------------------------------------------------------------------------


def change_speed(audio: np.ndarray, factor: float, rate: int = RATE) -> np.ndarray:
    """Faster (>1) or slower speech, pitch moving with it (as Kaldi's speed perturbation)."""
    return soxr.resample(audio, rate * factor, rate).astype(np.float32)


_N_FFT, _HOP = 512, 128


def _stft(x: np.ndarray) -> np.ndarray:
    pad = np.pad(x, (_N_FFT // 2, _N_FFT // 2))
    if len(pad) < _N_FFT:
        pad = np.pad(pad, (0, _N_FFT - len(pad)))
    frames = np.lib.stride_tricks.sliding_window_view(pad, _N_FFT)[::_HOP]
    return np.fft.rfft(frames * np.hanning(_N_FFT), axis=1)


def _istft(spectrum: np.ndarray, length: int) -> np.ndarray:
    window = np.hanning(_N_FFT)
    frames = np.fft.irfft(spectrum, n=_N_FFT, axis=1) * window
    out = np.zeros(len(frames) * _HOP + _N_FFT)
    norm = np.zeros_like(out)
    for n, frame in enumerate(frames):
        out[n * _HOP : n * _HOP + _N_FFT] += frame
        norm[n * _HOP : n * _HOP + _N_FFT] += window**2
    out = out / np.maximum(norm, 1e-6)
    return out[_N_FFT // 2 : _N_FFT // 2 + length].astype(np.float32)


def time_stretch(audio: np.ndarray, factor: float) -> np.ndarray:
    """Tempo × `factor` (>1 faster) with the pitch kept: a phase vocoder with phase locking to the
    analysis frame's own phase advance."""
    spectrum = _stft(np.asarray(audio, np.float64))
    steps = np.arange(0, len(spectrum) - 1, factor)
    expected = 2 * np.pi * _HOP * np.arange(spectrum.shape[1]) / _N_FFT
    phase = np.angle(spectrum[0])
    out = np.empty((len(steps), spectrum.shape[1]), complex)
    for n, step in enumerate(steps):
        i = int(step)
        frac = step - i
        magnitude = (1 - frac) * np.abs(spectrum[i]) + frac * np.abs(spectrum[i + 1])
        out[n] = magnitude * np.exp(1j * phase)
        advance = np.angle(spectrum[i + 1]) - np.angle(spectrum[i]) - expected
        advance -= 2 * np.pi * np.round(advance / (2 * np.pi))
        phase = phase + expected + advance
    return _istft(out, int(round(len(audio) / factor)))


def pitch_shift(audio: np.ndarray, semitones: float, rate: int = RATE) -> np.ndarray:
    """Pitch moved by `semitones` with the duration kept: stretched in time, then resampled."""
    ratio = 2 ** (semitones / 12)
    stretched = time_stretch(audio, 1 / ratio)
    shifted = soxr.resample(stretched, rate * ratio, rate).astype(np.float32)
    return fit(shifted, len(audio))


def formant_shift(audio: np.ndarray, warp: float) -> np.ndarray:
    """Vocal-tract length perturbation with the pitch kept: each frame's spectral envelope (cepstral
    smoothing) is divided out, warped along frequency by `warp` (> 1 a shorter tract, formants up)
    and put back over the untouched harmonics."""
    spectrum = _stft(np.asarray(audio, np.float64))
    magnitude = np.abs(spectrum) + 1e-9
    cepstrum = np.fft.irfft(np.log(magnitude), axis=1)
    lifter = 30  # quefrencies under ~2 ms: the envelope, not the pitch
    cepstrum[:, lifter:-lifter] = 0
    envelope = np.exp(np.fft.rfft(cepstrum, axis=1).real)
    bins = np.arange(spectrum.shape[1])
    warped = np.stack([np.interp(bins / warp, bins, row) for row in envelope])
    return fit(_istft(spectrum * (warped / envelope), len(audio)), len(audio))


# The steps that take one value drawn from a range: (kind, its range in AugmentConfig, the step,
# digits recorded), in the order they are applied.
_ONE_VALUE_STEPS: tuple[tuple[str, str, Callable[[np.ndarray, float], np.ndarray], int], ...] = (
    ("speed", "speed", change_speed, 3),
    ("tempo", "tempo", time_stretch, 3),
    ("pitch", "pitch_semitones", pitch_shift, 2),
    ("formant", "formant", formant_shift, 3),
)


# --- rooms, noise, echo --------------------------------------------------------------------------


def room_impulse(rt60_s: float, drr_db: float, rng: np.random.Generator, rate: int = RATE) -> np.ndarray:
    """A synthetic room: the direct path, a few early reflections, then exponentially decaying
    noise (60 dB down at `rt60_s`, darker as it decays), scaled to `drr_db` direct-to-reverberant."""
    length = int(min(rt60_s, 1.2) * rate)
    t = np.arange(length) / rate
    tail = rng.standard_normal(length) * np.exp(-6.9078 * t / rt60_s)
    tail = np.convolve(tail, np.ones(3) / 3, mode="same")  # high frequencies die first, roughly
    for delay in rng.uniform(0.002, 0.03, size=4):
        tail[int(delay * rate)] += rng.uniform(0.2, 0.6) * rng.choice((-1, 1))
    tail[: int(0.002 * rate)] = 0
    tail *= np.sqrt(10 ** (-drr_db / 10) / max(float(np.sum(tail**2)), 1e-12))
    impulse = tail
    impulse[0] = 1.0
    return impulse


def reverberate(audio: np.ndarray, rt60_s: float, drr_db: float, rng: np.random.Generator) -> np.ndarray:
    impulse = room_impulse(rt60_s, drr_db, rng)
    n = len(audio) + len(impulse) - 1
    size = 1 << (n - 1).bit_length()
    wet = np.fft.irfft(np.fft.rfft(audio, size) * np.fft.rfft(impulse, size), size)[: len(audio)]
    peak_in = float(np.max(np.abs(audio))) or 1.0
    return (wet * peak_in / (float(np.max(np.abs(wet))) or 1.0)).astype(np.float32)


def _coloured(samples: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(samples))
    freqs = np.fft.rfftfreq(samples, 1 / RATE)
    freqs[0] = freqs[1] if samples > 2 else 1.0
    return np.fft.irfft(spectrum / freqs ** (exponent / 2), n=samples)


def _babble(samples: int, rng: np.random.Generator, others: Sequence[np.ndarray], talkers: int) -> np.ndarray:
    out = np.zeros(samples)
    for _ in range(talkers):
        other = np.asarray(others[int(rng.integers(len(others)))], np.float64)
        if not len(other):
            continue
        reps = int(np.ceil(samples / len(other))) + 1
        tiled = np.tile(other, reps)
        start = int(rng.integers(len(other)))
        piece = tiled[start : start + samples]
        out += piece / (np.sqrt(np.mean(piece**2)) or 1.0)
    return out


def make_noise(
    kind: str, samples: int, rng: np.random.Generator, others: Sequence[np.ndarray] = ()
) -> np.ndarray:
    """`samples` of a noise kind (unit power does not matter: `add_noise` sets the SNR)."""
    if kind == "white":
        return rng.standard_normal(samples)
    if kind == "pink":
        return _coloured(samples, 1.0, rng)
    if kind == "brown":
        return _coloured(samples, 2.0, rng)
    if kind == "babble":
        return _babble(samples, rng, others, int(rng.integers(3, 7)))
    if kind == "office":
        fan = np.convolve(rng.standard_normal(samples), np.ones(40) / 40, mode="same")
        keys = np.zeros(samples)
        for at in rng.integers(0, max(1, samples - 400), size=max(1, samples // 4000)):
            keys[at : at + 400] += rng.standard_normal(400) * np.exp(-np.arange(400) / 60)
        room = _babble(samples, rng, others, 4) * 0.3 if len(others) >= 3 else 0.0
        return fan * 3 + keys + room
    if kind == "hum":
        t = np.arange(samples) / RATE
        mains = float(rng.choice((50.0, 60.0)))
        return sum(np.sin(2 * np.pi * mains * k * t + rng.uniform(0, 6.3)) / k for k in (1, 2, 3, 4, 5)) + (
            0.05 * rng.standard_normal(samples)
        )
    raise AugmentError(f"unknown noise {kind!r} (known: {', '.join(NOISES)})")


def add_echo(audio: np.ndarray, other: np.ndarray, db: float, delay_s: float) -> np.ndarray:
    """The other channel's speech leaking back `db` below this one's level, `delay_s` late."""
    start = int(delay_s * RATE)
    leak = np.zeros(len(audio))
    piece = np.asarray(other, np.float64)[: max(0, len(audio) - start)]
    leak[start : start + len(piece)] = piece
    own = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) or 1e-4
    level = float(np.sqrt(np.mean(leak**2))) or 1.0
    return (audio + leak / level * own * 10 ** (db / 20)).astype(np.float32)


def set_level(audio: np.ndarray, peak_dbfs: float) -> np.ndarray:
    peak = float(np.max(np.abs(audio))) or 1.0
    return (audio / peak * 10 ** (peak_dbfs / 20)).astype(np.float32)
