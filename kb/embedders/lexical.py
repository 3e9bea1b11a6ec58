"""The default, offline embedder. It is LEXICAL, not semantic: it matches shared words and
word pieces, not meaning (synonyms and paraphrases with no words in common do not match).

Features: Kiwi morphemes of content classes (nouns, verb and adjective stems as lemmas, roots,
adverbs, foreign words and numbers) and character 2- and 3-grams of the text with spaces removed
(robust to Korean's loose spacing and to recognizer misspellings). Weights: 1 + log(tf), with
n-grams at half weight. Features are hashed with a sign into `dim` buckets, and rows L2-normalized,
so cosine similarity is a weighted overlap of words and word pieces.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from kb.terms import content_terms

NGRAM_WEIGHT = 0.5


def _bucket(feature: str, dim: int) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, 1.0 if (value >> 63) & 1 else -1.0


class LexicalEmbedder:
    def __init__(self, dim: int = 1024) -> None:
        if dim < 64:
            raise ValueError("dim must be at least 64")
        self._dim = dim

    @property
    def name(self) -> str:
        return f"lexical-kiwi-hash-v1-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def features(self, text: str) -> Counter[str]:
        counts: Counter[str] = Counter(f"m:{term}" for term in content_terms(text))
        compact = "".join(text.lower().split())
        for n in (2, 3):
            for i in range(len(compact) - n + 1):
                counts[f"c{n}:{compact[i : i + n]}"] += 1
        return counts

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, count in self.features(text).items():
                index, sign = _bucket(feature, self._dim)
                weight = 1.0 + math.log(count)
                out[row, index] += sign * weight * (NGRAM_WEIGHT if feature[0] == "c" else 1.0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
