"""What the index needs from an embedder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    @property
    def name(self) -> str:
        """Identifies the model and its settings; stored with the index so a mismatch is caught."""
        ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalized. Blocking: call it off the event loop."""
        ...
