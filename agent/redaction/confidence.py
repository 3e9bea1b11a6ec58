"""The recognizer's word probabilities through redaction.

A final's words come with how sure the recognizer was of each (`agent/asr/engine.py`). Three uses
here: a word that looks like digits read out (three digit syllables or more: 공일공, 삼칠이에요,
4521) and that the recognizer was unsure of is masked as `[번호]` even where nothing around it
reads as a personal number (a misheard digit is exactly what keeps a phone number from being
recognized as one); the first word after a cue only a name can follow (이름은, 성함이, 예금주가),
when the recognizer was unsure of it, is masked as `[이름]` (a name it misheard is no word the
name rules know: 보호자는 제 남편 택전u이에요); and the probabilities are carried over to the redacted text, word by word,
so that what is stored and shown lines up (a mask counts as sure; a word that kept part of a
masked one takes the lowest probability among its letters).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from agent.redaction.digits import digitish_core
from agent.redaction.identity.name_words import ADVERBS, NOT_NAMES
from agent.redaction.identity.names import CUE_WORDS_SKIPPED, stands_before_name, strong_cue_ends
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


# what may follow a name inside its word (택전우이에요, 변은지로): kept readable after the mask
_NAME_WORD_ENDING = re.compile(
    r"(?:이에요|예요|이고요|이고|이요|입니다|이세요|이라고|라고|으로|로|이|가|은|는|요)$"
)
_NAME_LETTERS = re.compile(r"[가-힣A-Za-z]{2,8}")
# before an answered name: a yes, a filler, who is speaking (네 …, 음 …, 그럼 제 이름 …)
_ANSWER_LEAD = frozenset(
    ("네", "예", "아", "어", "음", "그", "그럼", "저기", "에", "저", "저는", "제가", "전")
)
# a verb's or an adjective's parts, in no name (성함은 확인됐습니다, 이름이 없어요, 기억이 안 나요, 이름
# 적어주세요), and
# a question word (이름이 뭐였죠, 성함이 어떻게)
_REQUEST = r"주세요|주시|줘요"  # a request's verb (이름 적어주세요)
_NOT_A_NAME = re.compile(
    r"했|됐|됩|합니|겠|드렸|드릴|드리|하세|해요|돼요|되었|되어|되세|없|있|모르|몰라|기억|확인|"
    rf"뭐|뭔|무엇|누구|어떻|어디|언제|였|{_REQUEST}"
)
# a request's verb after the word: the word is the verb's first part (성함 좀 알려 주세요 heard 성함
# 조마려 주세요), no name
_REQUEST_AFTER = re.compile(rf"(?:{_REQUEST}|주실|줘|줄래|주면|주셔)")


def uncertain_names(
    text: str,
    probs: Sequence[float],
    below: float,
    taken: Sequence[PiiSpan] = (),
    *,
    name_expected: bool = False,
) -> list[PiiSpan]:
    """After each cue only a name can follow (이름은, 성함이, 예금주가 …), past the words that may
    stand between (제, 저희, 남편), the first word when the recognizer was unsure of it: a name it
    misheard (보호자는 제 남편 택전u이에요). `name_expected`: the text answers a question for a
    name (성함이 어떻게 되세요?), so its start is such a cue too (past 네, 저는 …). Nothing where the
    rules found the name already."""
    words = list(_WORD.finditer(text))
    if len(words) != len(probs):
        return []
    starts = [word.start() for word in words]
    spans = []
    for cue_end in [0] * name_expected + strong_cue_ends(text):
        first = bisect_left(starts, cue_end)  # the cue's next word: one search, not a scan per cue
        after = range(first, min(first + CUE_WORDS_SKIPPED + 1, len(words)))
        if not after or any(s.end > cue_end and s.start < words[after[-1]].end() for s in taken):
            continue
        for n in after:
            word = words[n]
            if stands_before_name(text, word.start()) or (cue_end == 0 and word.group() in _ANSWER_LEAD):
                continue
            if _NAME_WORD_ENDING.sub("", word.group()) in NOT_NAMES or word.group() in ADVERBS:
                break  # 예약자 성함 …: a cue, a title; 한국 이름은 따로 없어요: an adverb
            lettered = _NAME_LETTERS.fullmatch(word.group()) is not None
            requested = n + 1 < len(words) and _REQUEST_AFTER.match(words[n + 1].group()) is not None
            if probs[n] < below and lettered and not _NOT_A_NAME.search(word.group()) and not requested:
                ending = _NAME_WORD_ENDING.search(word.group())
                cut = ending.start() if ending is not None and ending.start() >= 2 else len(word.group())
                spans.append(PiiSpan(word.start(), word.start() + cut, PiiType.NAME, ""))
            break
    return spans


def uncertain_spans(
    text: str,
    probs: Sequence[float],
    below: float,
    taken: Sequence[PiiSpan] = (),
    *,
    name_expected: bool = False,
) -> list[PiiSpan]:
    """What the recognizer's doubt adds to the spans `taken`: unsure digit-like words, and unsure
    words where a name was announced (or asked for: `name_expected`)."""
    numbers = uncertain_numbers(text, probs, below, taken)
    return numbers + uncertain_names(text, probs, below, [*taken, *numbers], name_expected=name_expected)


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
