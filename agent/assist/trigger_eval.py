"""Precision and recall of the suggestion trigger on labelled customer utterances
(`callassist triggers eval FILE`): JSON lines `{"text": …, "trigger": true|false, "kind": …}`.

Each file is scored as written and with its punctuation removed (what a recognizer without
punctuation gives), by the rules alone and by the rules with the semantic tier."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agent.assist.triggers import Exemplar, SemanticTriggers, TriggerKind, rule_verdict

_PUNCTUATION = re.compile(r"[.,!?…~]")


@dataclass(frozen=True)
class TriggerScores:
    tier: str
    text: str  # "typed" or "unpunctuated" (or what the caller names it)
    items: int
    precision: float
    recall: float
    misses: tuple[str, ...]
    false_alarms: tuple[str, ...]


def tiered(semantic: SemanticTriggers | None) -> Callable[[str], TriggerKind | None]:
    """The trigger as the assistant runs it: the rules, then the semantic tier when undecided."""

    def decide(text: str) -> TriggerKind | None:
        kind, decided = rule_verdict(text)
        if decided or semantic is None:
            return kind
        return semantic.classify(text)

    return decide


def score(
    tier: str, name: str, items: Sequence[Exemplar], texts: Sequence[str], decide: Callable[[str], object]
) -> TriggerScores:
    asks = [decide(t) is not None for t in texts]
    truth = [e.kind is not None for e in items]
    tp = sum(a and t for a, t in zip(asks, truth, strict=True))
    fp = sum(a and not t for a, t in zip(asks, truth, strict=True))
    fn = sum(t and not a for a, t in zip(asks, truth, strict=True))
    return TriggerScores(
        tier, name, len(items), round(tp / max(tp + fp, 1), 3), round(tp / max(tp + fn, 1), 3),
        tuple(x for x, a, t in zip(texts, asks, truth, strict=True) if t and not a),
        tuple(x for x, a, t in zip(texts, asks, truth, strict=True) if a and not t),
    )  # fmt: skip


def evaluate(
    items: Sequence[Exemplar], semantic: SemanticTriggers | None, spoken: Sequence[str] | None = None
) -> list[TriggerScores]:
    """Rules and rules + semantic tier, on the typed text, without punctuation, and (when given)
    on what a recognizer wrote for each item."""
    variants = {
        "typed": [e.text for e in items],
        "unpunctuated": [_PUNCTUATION.sub("", e.text) for e in items],
    }
    if spoken is not None:
        variants["recognized"] = list(spoken)
    tiers: dict[str, Callable[[str], object]] = {"rules": tiered(None)}
    if semantic is not None:
        tiers["rules+semantic"] = tiered(semantic)
    return [score(t, name, items, texts, d) for name, texts in variants.items() for t, d in tiers.items()]


def table(scores: Sequence[TriggerScores]) -> str:
    lines = [f"{'tier':16} {'text':13} {'items':>5} {'precision':>9} {'recall':>7}"]
    lines += [f"{s.tier:16} {s.text:13} {s.items:5} {s.precision:9.3f} {s.recall:7.3f}" for s in scores]
    return "\n".join(lines)
