"""Precision and recall of the redactor on a labelled corpus (`callassist redact eval FILE`).

Each item is one speaker's consecutive finals (`segments`, redacted in order through a
`ChannelRedactor`, so split numbers count) and the personal numbers they hold (`entities`); an item
may give the other side's question before them (`asked`: 성함이 어떻게 되세요?), which tells the
channel what the answer is, as the server does with the agent's finals.

- An entity is *caught* when no four consecutive digits of it (an e-mail: its user name) are
  left readable anywhere in the item's redacted text, Hangul digits included; *typed* when a mask
  of its type is also present. A quasi-identifier (name, birth date, address, plate, or an e-mail
  given with `parts`) lists the `parts` that must not stay readable (spaces ignored), and is caught
  only where the item also holds a mask (a misheard name left unmasked is still a name).
- Every mask in an item without entities is a false positive; in an item with entities, masks of
  a type it does not hold, or more masks of a type than it holds (a mask continued across a
  segment boundary counts once), are false positives; a `[번호]` mask (a long number of no
  recognizable kind) stands for any entity no named mask claimed.
- An item with entities whose redacted text still shows four or more consecutive digits of any
  kind (Hangul digits included) is counted in `digit_runs_left`: on recognized speech a misheard
  number is no longer the entity's digits, and this catches what is left of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.redaction.channel import ChannelRedactor
from agent.redaction.digits import digit_view
from agent.redaction.identity import asked_for
from agent.redaction.kinds import MASK_LABEL, MASK_PATTERN, PiiType
from agent.redaction.redactor import Redactor

SEGMENT_SPACING_S = 2.0
_DIGIT_RUN = re.compile(r"\d{4}")  # the corpus's segments are 0.5 s apart: one speaker, one turn


@dataclass
class RedactionScores:
    positives: int = 0
    negatives: int = 0
    entities: int = 0
    caught: int = 0
    typed: int = 0
    true_masks: int = 0
    false_masks: int = 0
    digit_runs_left: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.entities if self.entities else 1.0

    @property
    def type_accuracy(self) -> float:
        return self.typed / self.entities if self.entities else 1.0

    @property
    def precision(self) -> float:
        masks = self.true_masks + self.false_masks
        return self.true_masks / masks if masks else 1.0

    def summary(self) -> dict[str, Any]:
        return {
            "items": {"positive": self.positives, "negative": self.negatives},
            "entities": self.entities,
            "recall": round(self.recall, 4),
            "type_accuracy": round(self.type_accuracy, 4),
            "precision": round(self.precision, 4),
            "true_masks": self.true_masks,
            "false_masks": self.false_masks,
            "digit_runs_left": self.digit_runs_left,
        }


def load_corpus(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def redact_segments(
    redactor: Redactor,
    segments: Sequence[str],
    *,
    agent: bool = False,
    asked: str | None = None,
    word_probs: Sequence[Sequence[float]] = (),
    uncertain_below: float = 0.0,
) -> list[str]:
    """`asked`: what the other side said just before (its question sets what the answer holds);
    `word_probs`: the recognizer's per word of each segment, whose unsure words are masked as the
    server masks them (`agent/stages/redaction.py`) under `uncertain_below`."""
    channel = ChannelRedactor(redactor, agent=agent)
    if asked:
        channel.expect(asked_for(asked))
    redacted = []
    for i, text in enumerate(segments):
        start = i * SEGMENT_SPACING_S
        probs = tuple(word_probs[i]) if i < len(word_probs) else ()
        spans = channel.final_spans(text, start, start + SEGMENT_SPACING_S - 0.5, probs, uncertain_below)
        redacted.append(redactor.apply(text, spans))
    return redacted


def readable_digits(text: str) -> str:
    """Digits a reader can still see, Hangul digit runs included (both readings of a final 이)."""
    views = (digit_view(text), digit_view(text, drop_trailing_i=True))
    return " ".join(re.sub(r"[ \-–—.]", "", view) for view in views)


def _leaked(entity: dict[str, Any], redacted: str) -> bool:
    if "parts" in entity:  # a name, date, address, plate or e-mail: none of its parts may be readable
        compact = redacted.replace(" ", "")
        return any(part.replace(" ", "") in compact for part in entity["parts"])
    if entity["type"] == PiiType.EMAIL:
        return entity["value"] in redacted
    digits, readable = entity["digits"], readable_digits(redacted)
    return any(digits[i : i + 4] in readable for i in range(len(digits) - 3))


def _masks(outputs: Sequence[str]) -> list[str]:
    """Mask labels in order; a mask that ends one segment and starts the next counts once."""
    labels: list[str] = []
    for index, text in enumerate(outputs):
        found = list(MASK_PATTERN.finditer(text))
        for n, match in enumerate(found):
            label = match.group()[1:].split(" ")[0].rstrip("]")
            continued = (
                n == 0
                and index > 0
                and labels
                and labels[-1] == label
                and outputs[index - 1].rstrip(" .").endswith("]")
            )
            if not continued:
                labels.append(label)
    return labels


def evaluate(
    items: Sequence[dict[str, Any]], redactor: Redactor, uncertain_below: float = 0.0
) -> RedactionScores:
    """`uncertain_below`: with items that carry the recognizer's `word_probs`, the server's
    threshold for an unsure word (`asr_uncertain_below`)."""
    scores = RedactionScores()
    for item in items:
        outputs = redact_segments(
            redactor,
            item["segments"],
            agent=item.get("speaker") == "agent",
            asked=item.get("asked"),
            word_probs=item.get("word_probs", ()),
            uncertain_below=uncertain_below,
        )
        joined = " ".join(outputs)
        entities = item["entities"]
        labels = _masks(outputs)
        if entities:
            scores.positives += 1
            scores.digit_runs_left += bool(_DIGIT_RUN.search(readable_digits(joined)))
        else:
            scores.negatives += 1
        expected: dict[str, int] = {}
        for entity in entities:
            scores.entities += 1
            label = MASK_LABEL[PiiType(entity["type"])]
            expected[label] = expected.get(label, 0) + 1
            # a quasi-identifier the recognizer misheard is no longer readable, but unmasked it is
            # still someone's (wrong) name or address: caught only when a mask stands in the item
            unmasked = "parts" in entity and not labels
            if _leaked(entity, joined) or unmasked:
                scores.misses.append({"segments": item["segments"], "redacted": outputs, "entity": entity})
                continue
            scores.caught += 1
            scores.typed += label in labels
        unnamed = MASK_LABEL[PiiType.NUMBER]
        for label in sorted(labels, key=lambda label: label == unnamed):  # named masks claim first
            if label == unnamed and label not in expected:  # a number of some kind: claims any entity
                label = next((name for name, left in expected.items() if left > 0), label)
            if expected.get(label, 0) > 0:
                expected[label] -= 1
                scores.true_masks += 1
            else:
                scores.false_masks += 1
                scores.false_alarms.append({"segments": item["segments"], "redacted": outputs})
    return scores
