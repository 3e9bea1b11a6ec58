"""A sentence-transformers model from a local directory (or a hub id when online).

Point it at a Korean-capable model for semantic matching (BGE-M3, multilingual-e5, KURE …);
the lexical default only matches shared words.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np


class SentenceTransformerEmbedder:
    def __init__(self, model: str, device: str = "cpu", batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        path = Path(model).expanduser()
        self._model = SentenceTransformer(str(path) if path.exists() else model, device=device)
        # A local model is known by its last two path parts ("…/bge-m3", "pkg/model"), an online one by its id.
        self._label = "/".join(path.resolve().parts[-2:]) if path.exists() else model
        self._dim = int(self._model.get_embedding_dimension() or 0)
        self._batch_size = batch_size

    @property
    def name(self) -> str:
        return f"sentence-transformers:{self._label}"

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(
            list(texts), batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )  # fmt: skip
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self._dim)
