"""Training the analytics turn model (agent/analytics/turn_model.py) from labelled customer turns:
one L2-regularized, class-balanced logistic regression per target (`negative`, and each category
with enough labelled turns) over the turns' e5 vectors and their hashed letter n-grams, fitted by
Newton's method (deterministic, numpy only). Features are standardized while fitting and the
scaling folded into the weights. Each head's `at` is cross-validated over the training files
(Recipe).

Each turn counts as typed and, with `--spoken`, also as the recognizer heard it (espeak-ng voices
rotating over four, as `callassist analytics eval --spoken` speaks it) and, with `--phone` too, as
it heard it through a phone line: the heads learn what the product will read. The product never
imports this module; it reads the JSON it writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from agent.analytics.turn_model import Head, LetterGrams, TurnModel

NEGATIVE = "negative"
MIN_POSITIVES = 10  # a category with fewer labelled turns gets no head


GRID = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))  # 0.5 … 0.95


@dataclass(frozen=True)
class Recipe:
    # Each head's `at`: the lowest probability on GRID whose precision, cross-validated over the
    # training files (each file judged by heads fitted on the others, on what the recognizer heard
    # when `heard` is given), reaches the target; without a target (or with one file), the fixed
    # values below. A head's hits join the phrases' (and their mistakes): categories aim above
    # their goal of 0.9 to leave that room; the negative head's cross-validated precision reaches
    # little above its goal of 0.85 at any threshold, so it aims at the goal.
    negative_precision: float | None = 0.85
    category_precision: float | None = 0.95
    negative_at: float = 0.5  # a missed complaint costs little to show: the even odds
    category_at: float = 0.8  # an alert interrupts a supervisor: only confident heads
    strength: float = 0.1  # inverse L2 strength on standardized features (C)
    # the letter n-grams beside the embedding (None: the embedding alone); cross-validated on the
    # same files, they lifted the categories' recall at the same precision (docs/assistance.md)
    letters: LetterGrams | None = LetterGrams()


@dataclass(frozen=True)
class CrossValidated:
    at: float
    precision: float | None
    recall: float | None


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _stacked(typed: np.ndarray, views: Sequence[np.ndarray], y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows as typed and as each view heard them, beside them, with their labels."""
    return np.concatenate([typed, *views]), np.tile(y, 1 + len(views))


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
        p = _sigmoid(z @ theta)
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


def cross_validate(
    typed: np.ndarray,
    heard: Sequence[np.ndarray] | None,
    y: np.ndarray,
    groups: np.ndarray,
    target: float | None,
    strength: float,
) -> CrossValidated | None:
    """The head's `at` from leave-one-group-out probabilities (see Recipe), with the precision and
    recall there; None when there are fewer than two groups or no target precision. `heard`: the
    rows as each channel recognized them (learned beside the typed rows; the first is judged)."""
    if target is None or len(set(groups.tolist())) < 2:
        return None
    views = list(heard or ())
    judged = views[0] if views else typed
    probabilities = np.zeros(len(y))
    for group in sorted(set(groups.tolist())):
        out = groups == group
        if y[~out].all() or not y[~out].any():
            continue  # the other groups lack one kind: this group stays unjudged (p = 0)
        train_x, train_y = _stacked(typed[~out], [view[~out] for view in views], y[~out])
        weights, bias = fit_logistic(train_x, train_y, strength)
        probabilities[out] = _sigmoid(judged[out] @ weights + bias)
    scores = []
    for at in GRID:
        chosen = probabilities >= at
        tp, fp, fn = int((chosen & y).sum()), int((chosen & ~y).sum()), int((~chosen & y).sum())
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        scores.append(CrossValidated(at, precision, recall))
        if precision is not None and precision >= target:
            return scores[-1]
    return scores[-1]


def train(
    rows: Sequence[Mapping[str, Any]],
    embed: Callable[[str], np.ndarray],
    embedder: str,
    heard: Sequence[Sequence[str]] = (),
    recipe: Recipe = Recipe(),
    trained_on: Sequence[str] = (),
    groups: Sequence[int] | None = None,
) -> tuple[TurnModel, dict[str, CrossValidated]]:
    """The model from customer rows, and each head's cross-validated `at` (with `groups`: the file
    each row came from); `heard`: the same rows as each channel recognized them (learned beside
    them; `at` is judged on the first)."""
    labels = targets_of(rows)
    letters = recipe.letters

    def features(text: str) -> np.ndarray:
        return LetterGrams.beside(letters, embed(text), text)

    typed = np.stack([features(row["text"]) for row in rows])
    views = [np.stack([features(text) for text in view]) for view in heard]
    heads, validated = {}, {}
    for name, y in labels.items():
        try:
            weights, bias = fit_logistic(*_stacked(typed, views, y), recipe.strength)
        except ValueError as exc:  # a target with turns of one kind only
            raise ValueError(f"{name}: {exc}") from None
        at = recipe.negative_at if name == NEGATIVE else recipe.category_at
        target = recipe.negative_precision if name == NEGATIVE else recipe.category_precision
        if groups is not None and (
            checked := cross_validate(typed, views, y, np.asarray(groups), target, recipe.strength)
        ):
            at, validated[name] = checked.at, checked
        heads[name] = Head(name, weights, bias, at, letters)
    return TurnModel(embedder.split("@", 1)[0], heads, tuple(trained_on), letters), validated
