"""The recognizer's word probabilities through redaction.

A final's words come with how sure the recognizer was of each (`agent/asr/engine.py`). Two uses
here: a word that looks like digits read out (three digit syllables or more: 공일공, 삼칠이에요,
4521) and that the recognizer was unsure of is masked as `[번호]` even where nothing around it
reads as a personal number (a misheard digit is exactly what keeps a phone number from being
recognized as one); and the probabilities are carried over to the redacted text, word by word,
so that what is stored and shown lines up (a mask counts as sure; a word that kept part of a
masked one takes the lowest probability among its letters).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.redaction.digits import digitish_core
from agent.redaction.kinds import PiiSpan, PiiType
from agent.redaction.redactor import Redactor

_WORD = re.compile(r"\S+")
_ARABIC_HEAD = re.compile(r"[\d\-]+")
MIN_UNCERTAIN_DIGITS = 3  # digit syllables (or digits) in a word before an unsure one is masked


def _digit_head(word: str) -> int:
    """Length of the digit-like start of `word` (digits, or Hangul digits and their mishearings
    before a particle), or 0 when it has fewer than MIN_UNCERTAIN_DIGITS digits."""
    arabic = _ARABIC_HEAD.match(word)
    if arabic and sum(ch.isdigit() for ch in arabic.group()) >= MIN_UNCERTAIN_DIGITS:
        return arabic.end()
    core = digitish_core(word)
    return len(core) if len(core) >= MIN_UNCERTAIN_DIGITS else 0


def uncertain_numbers(
    text: str, probs: Sequence[float], below: float, taken: Sequence[PiiSpan] = ()
) -> list[PiiSpan]:
    """Spans of the digit-like words of `text` the recognizer gave less than `below`, outside the
    spans already `taken` (masked for a reason of their own)."""
    words = list(_WORD.finditer(text))
    if len(words) != len(probs):
        return []
    spans = []
    for match, prob in zip(words, probs, strict=True):
        if prob >= below:
            continue
        length = _digit_head(match.group())
        start, end = match.start(), match.start() + length
        if length and not any(s.start < end and start < s.end for s in taken):
            spans.append(PiiSpan(start, end, PiiType.NUMBER, ""))
    return spans


def redact_with_probs(
    redactor: Redactor, text: str, spans: Sequence[PiiSpan], probs: Sequence[float]
) -> tuple[str, tuple[float, ...]]:
    """`text` with `spans` masked, and `probs` (per word of `text`) carried to the redacted
    text's words; () when `probs` does not line up with `text`."""
    words = list(_WORD.finditer(text))
    if not probs or len(words) != len(probs):
        return redactor.apply(text, spans), ()
    letters = [1.0] * len(text)
    for match, prob in zip(words, probs, strict=True):
        letters[match.start() : match.end()] = [prob] * (match.end() - match.start())
    pieces: list[str] = []
    carried: list[float] = []
    for piece, offset in redactor.pieces(text, spans):
        pieces.append(piece)
        carried += [1.0] * len(piece) if offset is None else letters[offset : offset + len(piece)]
    redacted = "".join(pieces)
    return redacted, tuple(min(carried[m.start() : m.end()]) for m in _WORD.finditer(redacted))
