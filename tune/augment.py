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
(`tune/training.py`), not here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import soxr

RATE = 16_000
KINDS = ("speed", "tempo", "pitch", "formant", "reverb", "noise", "phone", "echo", "level")
NOISES = ("white", "pink", "brown", "babble", "office", "hum")
CODECS = ("mulaw", "alaw", "amr_nb", "g723_1", "g722", "opus")
AMR_RATES = (4750, 5150, 5900, 6700, 7400, 7950, 10200, 12200)


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
        x, applied["phone"] = phone_chain(x, rng, config)
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
    return _fit(shifted, len(audio))


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
    return _fit(_istft(spectrum * (warped / envelope), len(audio)), len(audio))


# The steps that take one value drawn from a range: (kind, its range in AugmentConfig, the step,
# digits recorded), in the order they are applied.
_ONE_VALUE_STEPS: tuple[tuple[str, str, Callable[[np.ndarray, float], np.ndarray], int], ...] = (
    ("speed", "speed", change_speed, 3),
    ("tempo", "tempo", time_stretch, 3),
    ("pitch", "pitch_semitones", pitch_shift, 2),
    ("formant", "formant", formant_shift, 3),
)


def _fit(x: np.ndarray, length: int) -> np.ndarray:
    return (x[:length] if len(x) >= length else np.pad(x, (0, length - len(x)))).astype(np.float32)


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


def add_noise(audio: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    power = float(np.mean(np.square(audio, dtype=np.float64))) or 1e-8
    noise = np.asarray(noise, np.float64)[: len(audio)]
    noise = noise * np.sqrt(power / 10 ** (snr_db / 10) / (float(np.mean(noise**2)) or 1e-8))
    return (audio + noise).astype(np.float32)


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


# --- telephony -----------------------------------------------------------------------------------


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


def codec_roundtrip(audio: np.ndarray, codec: str, rate: int, bit_rate: int | None = None) -> np.ndarray:
    """`audio` at `rate` encoded and decoded by FFmpeg's `codec` (through PyAV), same length back."""
    import av
    from av.audio.codeccontext import AudioCodecContext

    encoder = av.CodecContext.create(codec, "w")
    assert isinstance(encoder, AudioCodecContext)
    encoder.sample_rate = rate
    encoder.layout = "mono"
    encoder.format = av.AudioFormat("s16")
    if bit_rate:
        encoder.bit_rate = bit_rate
    encoder.open()
    decoder = av.CodecContext.create(encoder.name, "r")
    assert isinstance(decoder, AudioCodecContext)
    decoder.sample_rate = rate
    decoder.layout = "mono"
    pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
    frame_size = encoder.frame_size or 160
    chunks: list[np.ndarray] = []
    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)

    def decode(packets: list) -> None:
        for packet in packets:
            for frame in decoder.decode(packet):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))

    for start in range(0, len(pcm), frame_size):
        block = pcm[start : start + frame_size]
        if len(block) < frame_size:
            block = np.pad(block, (0, frame_size - len(block)))
        frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        decode(list(encoder.encode(frame)))
    decode(list(encoder.encode(None)))
    decoded = np.concatenate(chunks).astype(np.float32) / 32768 if chunks else np.zeros(0, np.float32)
    return _fit(decoded[_delay(audio, decoded, rate // 20) :], len(audio))


def _delay(reference: np.ndarray, delayed: np.ndarray, most: int) -> int:
    """The lag (0..`most` samples) at which `delayed` best matches `reference`: a codec's
    look-ahead and its resampler's, measured rather than assumed."""
    n = min(len(reference), len(delayed))
    if n <= most:
        return 0
    size = 1 << (2 * n - 1).bit_length()
    correlation = np.fft.irfft(
        np.fft.rfft(delayed[:n], size) * np.conj(np.fft.rfft(reference[:n], size)), size
    )
    return int(np.argmax(correlation[: most + 1]))


def conceal_losses(audio: np.ndarray, share: float, rng: np.random.Generator, rate: int) -> np.ndarray:
    """Lose `share` of the 20 ms packets; each lost one is replaced by the previous packet, faded
    (the simplest packet-loss concealment), silence after two in a row."""
    size = rate // 50
    out = np.asarray(audio, np.float32).copy()
    run = 0
    for start in range(size, len(out) - size + 1, size):
        if rng.random() < share:
            run += 1
            previous = out[start - size : start]
            out[start : start + size] = previous * (0.5 if run == 1 else 0.0)
        else:
            run = 0
    return out


def automatic_gain(audio: np.ndarray, target_dbfs: float, rng: np.random.Generator) -> np.ndarray:
    """A slow automatic gain control towards `target_dbfs` RMS (0.5 s frames, smoothed), then the
    converter's clipping."""
    size = RATE // 2
    out = np.asarray(audio, np.float64).copy()
    gain = 1.0
    target = 10 ** (target_dbfs / 20)
    for start in range(0, len(out), size):
        block = out[start : start + size]
        rms = float(np.sqrt(np.mean(block**2))) if len(block) else 0.0
        if rms > 1e-4:
            gain = 0.7 * gain + 0.3 * min(target / rms, 20.0)
        out[start : start + size] = block * gain
    return np.clip(out, -1.0, 1.0).astype(np.float32)


def phone_chain(
    audio: np.ndarray, rng: np.random.Generator, config: AugmentConfig
) -> tuple[np.ndarray, dict[str, object]]:
    """A call leg: band limit, a codec, packet loss with concealment, automatic gain and clipping,
    back at 16 kHz."""
    codec = str(rng.choice(config.codecs))
    applied: dict[str, object] = {"codec": codec}
    wideband = codec in ("g722", "opus") and rng.random() < 0.5
    rate = 16_000 if wideband else 8_000
    x = band_limit(audio, 50.0 if wideband else 300.0, 7000.0 if wideband else 3400.0)
    x = soxr.resample(x, RATE, rate).astype(np.float32) if rate != RATE else x
    if rng.random() < 0.4:
        x = automatic_gain(x, float(rng.uniform(-20, -6)), rng)
        applied["agc"] = True
    if codec in ("mulaw", "alaw"):
        x = g711(x, codec)
    elif codec == "amr_nb":
        bit_rate = int(rng.choice(AMR_RATES))
        x = codec_roundtrip(x, "libopencore_amrnb", 8000, bit_rate)
        applied["bit_rate"] = bit_rate
    elif codec == "g723_1":
        x = codec_roundtrip(x, "g723_1", 8000, 6300)
    elif codec == "g722":
        x = codec_roundtrip(soxr.resample(x, rate, 16000).astype(np.float32), "g722", 16000)
        x = soxr.resample(x, 16000, rate).astype(np.float32) if rate != 16000 else x
    else:
        bit_rate = int(rng.choice((6000, 8000, 12000, 16000)))
        x48 = soxr.resample(x, rate, 48000).astype(np.float32)
        x = soxr.resample(codec_roundtrip(x48, "libopus", 48000, bit_rate), 48000, rate).astype(np.float32)
        applied["bit_rate"] = bit_rate
    loss = float(rng.uniform(*config.loss))
    if loss > 0.005:
        x = conceal_losses(x, loss, rng, rate)
        applied["loss"] = round(loss, 3)
    if rng.random() < 0.2:
        drive = float(rng.uniform(1.5, 4.0))
        x = np.clip(x * drive, -1.0, 1.0) / drive
        applied["clipped"] = round(drive, 2)
    applied["band"] = "wide" if wideband else "narrow"
    out = soxr.resample(x, rate, RATE).astype(np.float32) if rate != RATE else x
    return _fit(out, len(audio)), applied
