"""Telephony for training data: a call leg as a phone network makes it. The telephone band (or
the wideband one), a codec — G.711 μ-law or A-law by their formulas, AMR-NB, G.723.1, G.722 and
Opus for real through FFmpeg's encoders and decoders (PyAV, a registry wheel), their delay measured
and removed — packet loss with the simplest concealment, automatic gain and clipping. Used by
`tune/augment.py` (its `phone` kind) and `tune/audio.py` (the simple phone line)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import soxr

from workbench.speech.phone import band_limit, g711

__all__ = ["band_limit", "fit", "g711", "codec_roundtrip", "phone_chain"]

RATE = 16_000
CODECS = ("mulaw", "alaw", "amr_nb", "g723_1", "g722", "opus")
AMR_RATES = (4750, 5150, 5900, 6700, 7400, 7950, 10200, 12200)


def fit(x: np.ndarray, length: int) -> np.ndarray:
    """`x` cut or zero-padded to `length` samples, float32."""
    return (x[:length] if len(x) >= length else np.pad(x, (0, length - len(x)))).astype(np.float32)


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
    return fit(decoded[_delay(audio, decoded, rate // 20) :], len(audio))


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
    audio: np.ndarray,
    rng: np.random.Generator,
    codecs: Sequence[str] = CODECS,
    loss: tuple[float, float] = (0.0, 0.05),
) -> tuple[np.ndarray, dict[str, object]]:
    """A call leg: band limit, one of `codecs`, a share of packets drawn from `loss` lost with
    concealment, automatic gain and clipping, back at 16 kHz; and the record of what was applied."""
    codec = str(rng.choice(list(codecs)))
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
    share = float(rng.uniform(*loss))
    if share > 0.005:
        x = conceal_losses(x, share, rng, rate)
        applied["loss"] = round(share, 3)
    if rng.random() < 0.2:
        drive = float(rng.uniform(1.5, 4.0))
        x = np.clip(x * drive, -1.0, 1.0) / drive
        applied["clipped"] = round(drive, 2)
    applied["band"] = "wide" if wideband else "narrow"
    out = soxr.resample(x, rate, RATE).astype(np.float32) if rate != RATE else x
    return fit(out, len(audio)), applied
