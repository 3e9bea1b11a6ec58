"""Streaming resampling to the 16 kHz the speech models expect (libsoxr, high quality)."""

from __future__ import annotations

import numpy as np
import soxr

TARGET_RATE = 16_000


class StreamResampler:
    """Resamples consecutive chunks of one multi-channel stream without seams.

    The output is aligned with the input: output sample `k` lies at time `k / 16000` of the input
    stream (soxr drops its filter delay), so timestamps computed on the output clock are exact.
    """

    def __init__(self, input_rate: int, channels: int) -> None:
        self.input_rate = input_rate
        self.channels = channels
        self._stream = (
            None
            if input_rate == TARGET_RATE
            else soxr.ResampleStream(input_rate, TARGET_RATE, channels, dtype="float32", quality="HQ")
        )

    def process(self, chunk: np.ndarray) -> np.ndarray:
        """(n, channels) float32 at the input rate → (m, channels) float32 at 16 kHz."""
        if self._stream is None:
            return chunk
        return self._stream.resample_chunk(np.ascontiguousarray(chunk, dtype=np.float32)).reshape(
            -1, self.channels
        )

    def flush(self) -> np.ndarray:
        """The samples still held in the filter; call once at the end of the stream."""
        if self._stream is None:
            return np.zeros((0, self.channels), dtype=np.float32)
        tail = np.zeros((0, self.channels), dtype=np.float32)
        return self._stream.resample_chunk(tail, last=True).reshape(-1, self.channels)
