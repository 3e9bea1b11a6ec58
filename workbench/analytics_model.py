"""Training the analytics turn model (agent/analytics/turn_model.py) from labelled customer turns:
one L2-regularized, class-balanced logistic regression per target (`negative`, and each category
with enough labelled turns) over the turns' e5 vectors, fitted by Newton's method (deterministic,
numpy only). Features are standardized while fitting and the scaling folded into the weights.

Each turn counts as typed and, with `spoken`, also as the recognizer heard it (espeak-ng voices
rotating over four, as `callassist analytics eval --spoken` speaks it): the heads learn what the
product will read. The product never imports this module; it reads the JSON it writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from agent.analytics.turn_model import Head, TurnModel

NEGATIVE = "negative"
MIN_POSITIVES = 10  # a category with fewer labelled turns gets no head


@dataclass(frozen=True)
class Recipe:
    negative_at: float = 0.5  # a missed complaint costs little to show: the even odds
    category_at: float = 0.8  # an alert interrupts a supervisor: only confident heads
    strength: float = 0.1  # inverse L2 strength on standardized features (C)
    iterations: int = 50


def fit_logistic(
    x: np.ndarray, y: np.ndarray, strength: float, iterations: int = 50
) -> tuple[np.ndarray, float]:
    """Weights and bias over the raw features: minimizes the class-balanced log loss plus
    |w|² / (2 · strength) on standardized features (the bias is not penalized)."""
    y = y.astype(np.float64)
    positives = float(y.sum())
    if positives in (0.0, float(len(y))):
        raise ValueError("a head needs turns of both kinds")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-8] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    balance = np.where(y > 0, len(y) / (2 * positives), len(y) / (2 * (len(y) - positives)))
    penalty = np.full(z.shape[1], 1.0 / strength)
    penalty[-1] = 0.0
    theta = np.zeros(z.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ theta, -30, 30)))
        gradient = z.T @ (balance * (p - y)) + penalty * theta
        hessian = (z * (balance * p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    weights = theta[:-1] / scale
    return weights.astype(np.float32), float(theta[-1] - (mean / scale) @ theta[:-1])


def targets_of(rows: Sequence[Mapping[str, Any]]) -> dict[str, np.ndarray]:
    """`negative` and each category labelled on at least MIN_POSITIVES turns."""
    out = {NEGATIVE: np.array([row.get("sentiment") == NEGATIVE for row in rows])}
    names = sorted({name for row in rows for name in row.get("categories", [])})
    for name in names:
        labels = np.array([name in row.get("categories", []) for row in rows])
        if labels.sum() >= MIN_POSITIVES:
            out[name] = labels
    return out


def train(
    rows: Sequence[Mapping[str, Any]],
    embed: Callable[[str], np.ndarray],
    embedder: str,
    heard: Sequence[str] | None = None,
    recipe: Recipe = Recipe(),
    trained_on: Sequence[str] = (),
) -> TurnModel:
    """The model from customer rows; `heard`: the same rows as recognized (counted beside them)."""
    texts = [row["text"] for row in rows]
    labels = targets_of(rows)
    if heard is not None:
        texts += list(heard)
        labels = {name: np.concatenate([y, y]) for name, y in labels.items()}
    vectors = np.stack([embed(text) for text in texts])
    heads = {}
    for name, y in labels.items():
        weights, bias = fit_logistic(vectors, y, recipe.strength, recipe.iterations)
        at = recipe.negative_at if name == NEGATIVE else recipe.category_at
        heads[name] = Head(name, weights, bias, at)
    return TurnModel(embedder.split("@", 1)[0], heads, tuple(trained_on))
