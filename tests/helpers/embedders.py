"""An embedder that records what it was asked to embed (the lexical one underneath)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kb.embedders import LexicalEmbedder


class CountingEmbedder:
    def __init__(self, name: str = "lexical-test", dim: int = 64) -> None:
        self._inner = LexicalEmbedder(dim=dim)
        self._name = name
        self.embedded: list[str] = []

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self._inner.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return self._inner.embed(texts)
