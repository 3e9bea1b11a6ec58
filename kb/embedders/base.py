"""What the index needs from an embedder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

# The relevance floor on a vector score, (cosine + 1) / 2, for an embedder with no measured one of
# its own (the lexical embedder's, measured; e5's is higher: server/components.py).
DEFAULT_RELEVANCE_FLOOR = 0.57


class Embedder(Protocol):
    @property
    def name(self) -> str:
        """Identifies the model and its settings; stored with the index so a mismatch is caught."""
        ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalized: the text indexed. Blocking: call it off
        the event loop. An embedder may also have `embed_query` (see `embed_queries`)."""
        ...


def embed_queries(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Query vectors: through `embed_query` where the embedder encodes queries differently from
    passages (e5's "query: " prefix), else `embed`. Blocking."""
    encode = getattr(embedder, "embed_query", None)
    return encode(texts) if encode is not None else embedder.embed(texts)
