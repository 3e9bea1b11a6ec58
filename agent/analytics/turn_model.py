"""A learned judge of customer turns in the e5 space: one logistic-regression head per target
(`negative` for the sentiment scale, a category's name for that category) over the turn's
embedding, shipped as data (agent/analytics/data/turn_model.json) with the command that trained it
(`python -m workbench analytics-model`, docs/assistance.md).

Phrases say exactly what a deployment wrote and miss what nobody wrote down; the heads generalize
across wordings and industries from labelled turns (typed and as the recognizer heard them). Each
head answers a probability; the file's `at` is the probability from which it counts. A head only
reads vectors of the embedder it was trained with (the file names it): with any other embedder the
model is left out. Nothing is learned at run time; one dot product per head and turn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "callassist-turn-model/1"


@dataclass(frozen=True)
class Head:
    name: str
    weights: np.ndarray  # over the turn's normalized embedding (any scaling folded in)
    bias: float
    at: float  # counts from this probability

    def probability(self, vector: np.ndarray) -> float:
        z = float(vector @ self.weights) + self.bias
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def judge(self, vector: np.ndarray | None) -> float | None:
        """The probability when it reaches `at`, else None (also without a vector)."""
        if vector is None or vector.shape != self.weights.shape:
            return None
        p = self.probability(vector)
        return p if p >= self.at else None


@dataclass(frozen=True)
class TurnModel:
    embedder: str  # the embedder's name without its engine version (e5:multilingual-e5-small-q4)
    heads: dict[str, Head]
    trained_on: tuple[str, ...] = ()

    @property
    def dim(self) -> int:
        return next(iter(self.heads.values())).weights.shape[0] if self.heads else 0

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
            "heads": {
                name: {
                    "at": h.at,
                    "bias": round(h.bias, 6),
                    "weights": [round(float(w), 6) for w in h.weights],
                }
                for name, h in sorted(self.heads.items())
            },
        }


def load_turn_model(path: Path | str) -> TurnModel:
    """The model file; `ValueError` with the reason when it cannot be used."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the model file {path} ({exc})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"the model file {path} is not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"the model file {path} is not a {FORMAT} file")
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
        heads[name] = Head(name, weights, bias, at)
        dims.add(weights.size)
    if not heads or len(dims) != 1 or not isinstance(data.get("embedder"), str):
        raise ValueError(f"the model file {path} needs an embedder and heads of one dimension")
    return TurnModel(data["embedder"], heads, tuple(data.get("trained_on") or ()))
