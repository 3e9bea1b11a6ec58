"""The one Korean text normalizer and the CER used to score recognition (also by the tuning kit).

Frozen rules (changing them changes every reported CER):
1. Unicode NFKC; Latin letters lower-cased.
2. Numbers written in digits are spelled out in Sino-Korean readings ("32,000원" → "삼만 이천 원",
   "3.5" → "삼 점 오"): spoken references and Whisper's digit output then compare equal.
3. Punctuation and symbols become spaces; runs of whitespace become one space; trimmed.
CER is computed over syllables (characters) with spaces (`cer`) and without them (`cer_no_space`),
because Korean spacing is loose.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

_DIGITS = "영일이삼사오육칠팔구"
_SMALL_UNITS = ((1000, "천"), (100, "백"), (10, "십"))
_LARGE_UNITS = ((10**16, "경"), (10**12, "조"), (10**8, "억"), (10**4, "만"))
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_NOT_WORD = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")


def _below_10000(n: int) -> str:
    out = []
    for value, unit in _SMALL_UNITS:
        digit, n = divmod(n, value)
        if digit:
            out.append(("" if digit == 1 else _DIGITS[digit]) + unit)
    if n:
        out.append(_DIGITS[n])
    return "".join(out)


def sino_korean(n: int) -> str:
    """An integer in Sino-Korean reading, grouped by 만/억/조 as it is spoken: 32000 → "삼만 이천"."""
    if n == 0:
        return "영"
    if n < 0:
        return "마이너스 " + sino_korean(-n)
    groups = []
    for value, unit in _LARGE_UNITS:
        part, n = divmod(n, value)
        if part:
            # 만 alone is read "만", not "일만"
            groups.append(
                (
                    ""
                    if part == 1 and unit == "만"
                    else _below_10000(part)
                    if part < 10000
                    else sino_korean(part)
                )
                + unit
            )
    if n:
        groups.append(_below_10000(n))
    return " ".join(groups)


def _spell_number(match: re.Match[str]) -> str:
    text = match.group(0)
    whole, _, fraction = text.partition(".")
    digits = whole.replace(",", "")
    spoken = sino_korean(int(digits)) if digits else ""
    if fraction:
        spoken += " 점 " + " ".join(_DIGITS[int(d)] for d in fraction)
    return f" {spoken} "


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _NUMBER.sub(_spell_number, text)
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate over normalized text, spaces counted."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    return Levenshtein.distance(ref, hyp) / max(len(ref), 1)


def cer_no_space(reference: str, hypothesis: str) -> float:
    """Character error rate over normalized text with all spaces removed."""
    ref, hyp = normalize(reference).replace(" ", ""), normalize(hypothesis).replace(" ", "")
    return Levenshtein.distance(ref, hyp) / max(len(ref), 1)


def edits(reference: str, hypothesis: str, *, spaces: bool = True) -> tuple[int, int]:
    """(edit distance, reference length) over normalized text, for corpus CER: sum the pairs, then
    divide. With `spaces=False` all spaces are removed first (spacing is loose in Korean)."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    if not spaces:
        ref, hyp = ref.replace(" ", ""), hyp.replace(" ", "")
    return Levenshtein.distance(ref, hyp), len(ref)
