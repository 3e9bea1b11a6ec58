"""A learned judge of customer turns: one logistic-regression head per target (`negative` for the
sentiment scale, a category's name for that category) over the turn's e5 embedding and, beside it,
the turn's letter n-grams hashed into a fixed number of slots; shipped as data
(agent/analytics/data/turn_model.json) with the command that trained it (`callassist
analytics-model`, docs/assistance.md).

Phrases say exactly what a deployment wrote and miss what nobody wrote down; the heads generalize
across wordings and industries from labelled turns (typed and as the recognizer heard them). The
embedding carries what a turn means; the letter n-grams carry the pieces of words that survive
recognition (소송, 민원, 해지 inside a misheard sentence), which a sentence embedding blurs. Each
head answers a probability; the file's `at` is the probability from which it counts. A head only
reads vectors of the embedder it was trained with (the file names it): with any other embedder the
model is left out. Nothing is learned at run time; one dot product per head and turn.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "callassist-turn-model/2"
FORMATS = ("callassist-turn-model/1", FORMAT)  # /1: the embedding alone, no letter n-grams
_NOT_LETTERS = re.compile(r"[^0-9A-Za-z가-힣]+")


@dataclass(frozen=True)
class LetterGrams:
    """The turn's letter n-grams (of each size in `sizes`, across word boundaries marked by a
    space), each counted in slot crc32(gram) mod `dim`; square roots of the counts, scaled to unit
    length. Punctuation and case do not count."""

    sizes: tuple[int, ...] = (2, 3)
    dim: int = 1024

    def vector(self, text: str) -> np.ndarray:
        return _letter_vector(text, self.sizes, self.dim)

    @staticmethod
    def beside(letters: LetterGrams | None, vector: np.ndarray, text: str) -> np.ndarray:
        """What a head reads: the embedding and, with `letters`, the text's letter n-grams after it."""
        return vector if letters is None else np.concatenate([vector, letters.vector(text)])

    def to_json(self) -> dict[str, Any]:
        return {"sizes": list(self.sizes), "dim": self.dim}


@lru_cache(maxsize=256)  # a turn is judged by every head in turn: its n-grams are counted once
def _letter_vector(text: str, sizes: tuple[int, ...], dim: int) -> np.ndarray:
    padded = " " + " ".join(_NOT_LETTERS.sub(" ", text).lower().split()) + " "
    counts = np.zeros(dim, np.float32)
    for size in sizes:
        for start in range(len(padded) - size + 1):
            gram = padded[start : start + size]
            if gram.strip():
                counts[zlib.crc32(gram.encode("utf-8")) % dim] += 1.0
    counts = np.sqrt(counts)
    norm = float(np.linalg.norm(counts))
    if norm:
        counts /= norm
    counts.setflags(write=False)
    return counts


@dataclass(frozen=True)
class Head:
    name: str
    weights: np.ndarray  # over the turn's normalized embedding, then its letter n-grams (scaling folded in)
    bias: float
    at: float  # counts from this probability
    letters: LetterGrams | None = None  # None: the embedding alone

    def features(self, vector: np.ndarray, text: str) -> np.ndarray:
        """What the weights read: the embedding and, when the head has them, the letter n-grams."""
        return LetterGrams.beside(self.letters, vector, text)

    def probability(self, features: np.ndarray) -> float:
        z = float(features @ self.weights) + self.bias
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def judge(self, vector: np.ndarray | None, text: str = "") -> float | None:
        """The probability when it reaches `at`, else None (also without a vector)."""
        if vector is None:
            return None
        features = self.features(vector, text)
        if features.shape != self.weights.shape:
            return None
        p = self.probability(features)
        return p if p >= self.at else None


@dataclass(frozen=True)
class TurnModel:
    embedder: str  # the embedder's name without its engine version (e5:multilingual-e5-small-q4)
    heads: dict[str, Head]
    trained_on: tuple[str, ...] = ()
    letters: LetterGrams | None = None

    @property
    def dim(self) -> int:
        """The embedding's dimension the heads read."""
        if not self.heads:
            return 0
        return next(iter(self.heads.values())).weights.shape[0] - (self.letters.dim if self.letters else 0)

    def fits(self, embedder_name: str, dim: int) -> bool:
        """Whether vectors of this embedder are the ones the heads were trained on."""
        return embedder_name.split("@", 1)[0] == self.embedder and dim == self.dim

    def head(self, name: str) -> Head | None:
        return self.heads.get(name)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "embedder": self.embedder,
            "trained_on": list(self.trained_on),
            **({"letters": self.letters.to_json()} if self.letters else {}),
            "heads": {
                name: {
                    "at": h.at,
                    "bias": round(h.bias, 6),
                    "weights": [round(float(w), 6) for w in h.weights],
                }
                for name, h in sorted(self.heads.items())
            },
        }


def _letters_of(path: Path | str, data: Any) -> LetterGrams | None:
    if data is None:
        return None
    try:
        sizes = tuple(int(n) for n in data["sizes"])
        dim = int(data["dim"])
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"the model file {path}: `letters` needs sizes and dim") from None
    if not sizes or any(not 1 <= n <= 5 for n in sizes) or not 1 <= dim <= 1 << 16:
        raise ValueError(f"the model file {path}: `letters` needs sizes from 1 to 5 and dim up to 65536")
    return LetterGrams(sizes, dim)


def load_turn_model(path: Path | str) -> TurnModel:
    """The model file; `ValueError` with the reason when it cannot be used."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the model file {path} ({exc})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"the model file {path} is not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("format") not in FORMATS:
        raise ValueError(f"the model file {path} is not a {FORMAT} file")
    letters = _letters_of(path, data.get("letters"))
    heads: dict[str, Head] = {}
    dims: set[int] = set()
    for name, head in (data.get("heads") or {}).items():
        try:
            weights = np.asarray(head["weights"], dtype=np.float32)
            bias, at = float(head["bias"]), float(head["at"])
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"the model file {path}: head {name!r} needs weights, bias and at") from None
        if weights.ndim != 1 or not weights.size or not np.all(np.isfinite(weights)) or not 0.0 < at < 1.0:
            raise ValueError(f"the model file {path}: head {name!r} has no usable weights or `at` in (0, 1)")
        heads[name] = Head(name, weights, bias, at, letters)
        dims.add(weights.size)
    if not heads or len(dims) != 1 or not isinstance(data.get("embedder"), str):
        raise ValueError(f"the model file {path} needs an embedder and heads of one dimension")
    if letters is not None and next(iter(dims)) <= letters.dim:
        raise ValueError(f"the model file {path}: the heads' weights leave nothing for the embedding")
    return TurnModel(data["embedder"], heads, tuple(data.get("trained_on") or ()), letters)
