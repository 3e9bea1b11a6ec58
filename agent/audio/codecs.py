"""G.711 (μ-law, A-law) and 16-bit PCM decoding into float32 frames, and the matching encoders.

Decoding uses the ITU-T G.711 expansion tables; encoding picks the code whose expansion is nearest
to each sample, so `decode(encode(x))` is the best G.711 approximation of `x`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class Encoding(StrEnum):
    PCM_S16LE = "pcm_s16le"
    MULAW = "mulaw"
    ALAW = "alaw"


SUPPORTED_SAMPLE_RATES = (8000, 16000, 44100, 48000)


def _mulaw_expansion() -> np.ndarray:
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    sign = codes & 0x80
    exponent = (codes >> 4) & 0x07
    mantissa = codes & 0x0F
    magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return np.where(sign != 0, -magnitude, magnitude).astype(np.int16)


def _alaw_expansion() -> np.ndarray:
    codes = np.arange(256, dtype=np.int32) ^ 0x55
    sign = codes & 0x80
    exponent = (codes >> 4) & 0x07
    mantissa = codes & 0x0F
    magnitude = np.where(
        exponent == 0, (mantissa << 4) + 8, ((mantissa << 4) + 0x108) << np.maximum(exponent - 1, 0)
    )
    return np.where(sign != 0, magnitude, -magnitude).astype(np.int16)


MULAW_TO_PCM = _mulaw_expansion()
ALAW_TO_PCM = _alaw_expansion()


def _nearest_code_table(expansion: np.ndarray) -> np.ndarray:
    """For every int16 value, the 8-bit code whose expansion is nearest (ties to the lower value)."""
    order = np.argsort(expansion, kind="stable")
    levels = expansion[order].astype(np.int32)
    values = np.arange(-32768, 32768, dtype=np.int32)
    upper = np.clip(np.searchsorted(levels, values), 1, len(levels) - 1)
    lower = upper - 1
    pick_upper = (levels[upper] - values) < (values - levels[lower])
    return order[np.where(pick_upper, upper, lower)].astype(np.uint8)


_PCM_TO_MULAW = _nearest_code_table(MULAW_TO_PCM)
_PCM_TO_ALAW = _nearest_code_table(ALAW_TO_PCM)


@dataclass(frozen=True)
class AudioFormat:
    encoding: Encoding
    sample_rate: int
    channels: int

    @property
    def bytes_per_sample(self) -> int:
        return 2 if self.encoding is Encoding.PCM_S16LE else 1

    @property
    def frame_bytes(self) -> int:
        """Bytes of one sample on every channel (one interleaved frame)."""
        return self.bytes_per_sample * self.channels

    def duration(self, n_bytes: int) -> float:
        return n_bytes / (self.frame_bytes * self.sample_rate)


def decode(data: bytes, fmt: AudioFormat) -> np.ndarray:
    """Interleaved bytes → float32 array of shape (samples, channels) in [-1, 1)."""
    if len(data) % fmt.frame_bytes:
        raise ValueError(f"{len(data)} bytes is not a whole number of {fmt.frame_bytes}-byte frames")
    if fmt.encoding is Encoding.PCM_S16LE:
        pcm = np.frombuffer(data, dtype="<i2")
    else:
        table = MULAW_TO_PCM if fmt.encoding is Encoding.MULAW else ALAW_TO_PCM
        pcm = table[np.frombuffer(data, dtype=np.uint8)]
    return (pcm.astype(np.float32) / 32768.0).reshape(-1, fmt.channels)


def encode(samples: np.ndarray, encoding: Encoding) -> bytes:
    """float32 samples in [-1, 1] (any shape; interleave beforehand) → bytes in `encoding`."""
    pcm = np.clip(np.round(np.asarray(samples, dtype=np.float64) * 32768.0), -32768, 32767).astype(np.int16)
    if encoding is Encoding.PCM_S16LE:
        return pcm.astype("<i2").tobytes()
    table = _PCM_TO_MULAW if encoding is Encoding.MULAW else _PCM_TO_ALAW
    return table[pcm.astype(np.int32) + 32768].tobytes()
