"""silero-vad (ONNX) with one shared model and a streaming state per audio channel.

The model file is the one shipped inside the `silero-vad` package; it is located without
importing that package (whose import sets torch's thread count for the whole process).
onnxruntime releases the GIL while it runs, so streams are advanced from worker threads.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime

SAMPLE_RATE = 16_000
WINDOW = 512  # samples per model step at 16 kHz (32 ms)
CONTEXT = 64  # samples of the previous window the model sees in front of each window
_STATE_SHAPE = (2, 1, 128)


def packaged_model_path() -> Path:
    spec = importlib.util.find_spec("silero_vad")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the silero-vad package is not installed (pip install silero-vad)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "silero_vad.onnx"


class VadState:
    """Recurrent state and context of one channel. Owned by exactly one pipeline."""

    __slots__ = ("context", "state")

    def __init__(self) -> None:
        self.state = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self.context = np.zeros(CONTEXT, dtype=np.float32)


class SileroVad:
    """A loaded silero-vad model. Thread-safe: all per-stream data lives in `VadState`."""

    def __init__(self, model_path: str | Path | None = None) -> None:
        path = Path(model_path) if model_path else packaged_model_path()
        if not path.is_file():
            raise FileNotFoundError(f"silero-vad model not found at {path}")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.path = path
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._sr = np.array(SAMPLE_RATE, dtype=np.int64)

    def speech_probabilities(self, states: Sequence[VadState], windows: np.ndarray) -> np.ndarray:
        """Advance each state by one window. `windows` is (len(states), 512) float32 at 16 kHz;
        returns one speech probability per state. Channels of one call go in one batch."""
        batch = len(states)
        if windows.shape != (batch, WINDOW):
            raise ValueError(f"expected windows of shape ({batch}, {WINDOW}), got {windows.shape}")
        contexts = np.stack([s.context for s in states])
        model_input = np.concatenate([contexts, windows.astype(np.float32, copy=False)], axis=1)
        state = np.concatenate([s.state for s in states], axis=1)
        probs, new_state = self._session.run(None, {"input": model_input, "state": state, "sr": self._sr})
        for i, s in enumerate(states):
            s.state = np.ascontiguousarray(new_state[:, i : i + 1, :])
            s.context = model_input[i, -CONTEXT:].copy()
        return np.asarray(probs, dtype=np.float32).reshape(batch)
