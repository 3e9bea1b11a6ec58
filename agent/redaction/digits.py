"""Numbers in Korean call text, however they were written or heard: the *digit view* of a text,
and runs of words that are digits read out and half-heard by a recognizer. Which of them are
personal, and masking them, is `agent/redaction/redactor.py`'s job.

The digit view has exactly the text's length: Arabic digits stay, Hangul digits read one by one
(공일공 일이삼사 …) become ASCII digits when they form a long enough run, and the words people put
between digit groups (에, 의, 다시) become spaces, so a position in the view is the same position
in the text.
"""

from __future__ import annotations

import re
from functools import lru_cache

# --- the digit view ------------------------------------------------------------------------------

HANGUL_DIGIT = {"공": "0", "영": "0", "일": "1", "이": "2", "삼": "3", "사": "4", "오": "5", "육": "6",
                "륙": "6", "칠": "7", "팔": "8", "구": "9"}  # fmt: skip
_ATOM = re.compile(r"\d+|(?<![가-힣])[공영일이삼사오육륙칠팔구]+")
# What may follow a Hangul digit run inside the same word: particles and copulas ("…팔이에요").
_PARTICLE = re.compile(
    r"(?:이?에요|이?예요|이요|요|입니다|이고요|이구요|이고|고요|구요|이에|에|의|은|는|을|를|이|가|번|번이요|"
    r"번이에요|번입니다|번이고요|까지|부터|으로|로|이랑|랑|이며|며|이야|야|이죠|죠|이거든요|거든요|인데요|인데|"
    r"이라고요|이라고|라고|이었어요|였어요|이였어요)$"
)
# Between two digit groups: spaces, dashes, dots, brackets, or the words 에 / 의 / 다시.
_GAP = re.compile(r"(?:\s*(?:에|의|다시|[-–—.,/()])\s*|\s+){1,3}")
MIN_HANGUL_DIGITS = 6  # Hangul digit runs are read as numbers only in clusters this long
MIN_TRAILING_DIGITS = 3  # …or this long at the end of a segment (the start of a split number)


def _hangul_atom_ok(text: str, start: int, end: int) -> bool:
    """A Hangul digit run must be a word of its own, or followed only by a particle (its last 이
    may be the copula: 오육칠팔이고 → 오육칠팔 + 이고)."""
    word_end = end
    while word_end < len(text) and "가" <= text[word_end] <= "힣":
        word_end += 1
    if word_end == end or _PARTICLE.match(text[end:word_end]):
        return True
    return text[end - 1] == "이" and end - start > 1 and bool(_PARTICLE.match(text[end - 1 : word_end]))


@lru_cache(maxsize=64)  # one text is read several times (numbers, split-number tails, partial tails)
def digit_view(text: str, *, drop_trailing_i: bool = False) -> str:
    """`text` with long Hangul digit runs as ASCII digits and gap words as spaces (same length).

    `drop_trailing_i`: read a run's last 이 as the copula (…오육칠팔이에요 → 5678 + 이에요)."""
    atoms: list[tuple[int, int]] = []
    for match in _ATOM.finditer(text):
        start, end = match.span()
        if not text[start].isdigit():
            if not _hangul_atom_ok(text, start, end):
                continue
            if (
                drop_trailing_i
                and text[end - 1] == "이"
                and end - start > 1
                and end < len(text)
                and ("가" <= text[end] <= "힣")
            ):
                end -= 1
        atoms.append((start, end))
    view = list(text)
    cluster: list[tuple[int, int]] = []

    def flush() -> None:
        digits = sum(e - s for s, e in cluster)
        at_end = bool(cluster) and only_particles_after(text, cluster[-1][1])
        if digits >= MIN_HANGUL_DIGITS or (at_end and digits >= MIN_TRAILING_DIGITS):
            for i, (s, e) in enumerate(cluster):
                for pos in range(s, e):
                    view[pos] = HANGUL_DIGIT.get(text[pos], text[pos])
                if i + 1 < len(cluster):
                    for pos in range(e, cluster[i + 1][0]):
                        if "가" <= text[pos] <= "힣":
                            view[pos] = " "
        cluster.clear()

    for start, end in atoms:
        if cluster and not _GAP.fullmatch(text, cluster[-1][1], start):
            flush()
        cluster.append((start, end))
    flush()
    return "".join(view)


# --- numbers the recognizer half-heard ---------------------------------------------------------
# Digits read one by one come back from recognition with some syllables misheard (영입구 for
# 영일구, 이철일 for 이칠일, 구회사 for 구육사) or with the gap word glued on (칠다시), which the
# digit view rightly refuses to read as digits. A run of words made almost only of digit syllables
# (and their usual mishearings) is still a number being read out: masked as a whole.
_DIGITISH = frozenset("공영일이삼사오육륙칠팔구입잎윤율융유철빨발회국")  # digits, then mishearings
_WORD = re.compile(r"\S+")
_GAP_WORDS = frozenset({"에", "의", "다시", "-", "–"})
MIN_HEARD_DIGITS = 9  # digit-like syllables in one run before it is read as a number
MAX_HEARD_WORD = 24


def digitish_core(word: str) -> str:
    """The word without a trailing particle or a glued 다시, if what remains is digit-like."""
    core = word.strip(".,!?~…")
    if len(core) > MAX_HEARD_WORD:  # no spoken digit group is this long; keeps the scan linear
        return ""
    if core.endswith("다시") and len(core) > 2:
        core = core[:-2]
    for cut in range(len(core), 0, -1):  # the longest digit-like head followed by a particle
        head, rest = core[:cut], core[cut:]
        if (not rest or _PARTICLE.fullmatch(rest)) and all(ch in _DIGITISH for ch in head):
            return head
    return ""


def heard_numbers(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of digit-like words long enough to be a number being read out;
    Arabic digits count as digits."""
    runs: list[tuple[int, int]] = []
    start = end = count = 0
    words = 0
    for match in _WORD.finditer(text):
        word = match.group()
        core = word if word.isdigit() else digitish_core(word)
        if core:
            if words == 0:
                start = match.start()
            end, count, words = match.start() + len(core), count + len(core), words + 1
            continue
        if word in _GAP_WORDS and words:
            continue
        if words >= 2 and count >= MIN_HEARD_DIGITS:
            runs.append((start, end))
        words = count = 0
    if words >= 2 and count >= MIN_HEARD_DIGITS:
        runs.append((start, end))
    return runs


def only_particles_after(text: str, pos: int) -> bool:
    rest = text[pos:].strip(" .,!?~…")
    return not rest or bool(_PARTICLE.match(rest))
