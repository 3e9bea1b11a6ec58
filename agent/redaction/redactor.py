"""PII redaction: find personal numbers and e-mail addresses in Korean call text and mask them.

Detected (docs/redaction.md): resident registration numbers (`[주민번호]`), foreigner
registration numbers (`[외국인등록번호]`), card numbers (`[카드번호]`, Luhn-checked 15–16 digits, or
14–16 digits after a card word), bank account numbers (`[계좌번호]`, 10–14 digits after an account
or bank word), mobile and landline phone numbers (`[전화번호]`), e-mail addresses (`[이메일]`), and
any other run of nine or more digits that nothing announces as an order, booking or other
non-personal number (`[번호]`): recognized speech often loses the word or the first digits that
would tell a registration number from an account, and a long unexplained number is personal
far more often than not.

Numbers are found in the *digit view* of the text (`agent/redaction/digits.py`), which has exactly
the text's length, so a match is masked in place; runs of digits read out and half-heard by a
recognizer come from there too.

`ChannelRedactor` keeps the last raw finals of one speaker in memory (never stored) so that a
number split across adjacent segments is caught: the new segment is read together with the
previous ones, and a segment that *ends* with the start of a phone number or birth date has that
start masked before it is stored.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from agent.redaction.digits import digit_view, heard_numbers, only_particles_after
from agent.redaction.identity import IdentityKind, find_identities, open_date


class PiiType(StrEnum):
    RRN = "rrn"
    FRN = "frn"
    CARD = "card"
    ACCOUNT = "account"
    PHONE = "phone"
    EMAIL = "email"
    NUMBER = "number"  # a long number of no recognizable kind
    NAME = "name"
    BIRTH_DATE = "birth_date"
    ADDRESS = "address"
    PLATE = "plate"


MASK_LABEL = {
    PiiType.RRN: "주민번호",
    PiiType.FRN: "외국인등록번호",
    PiiType.CARD: "카드번호",
    PiiType.ACCOUNT: "계좌번호",
    PiiType.PHONE: "전화번호",
    PiiType.EMAIL: "이메일",
    PiiType.NUMBER: "번호",
    PiiType.NAME: "이름",
    PiiType.BIRTH_DATE: "생년월일",
    PiiType.ADDRESS: "주소",
    PiiType.PLATE: "차량번호",
}
IDENTITY_TYPES = {kind: PiiType(kind.value) for kind in IdentityKind}
KEEP_LAST4_TYPES = frozenset({PiiType.CARD, PiiType.ACCOUNT, PiiType.PHONE})
MASK_PATTERN = re.compile(r"\[(?:" + "|".join(MASK_LABEL.values()) + r")(?: …\d{4})?\]")


@dataclass(frozen=True)
class RedactionConfig:
    types: frozenset[PiiType] = frozenset(PiiType)
    keep_last4: bool = False  # cards, accounts and phones keep their last four digits: [카드번호 …1234]
    agent_name: bool = False  # also mask the agent's own name when they introduce themselves


@dataclass(frozen=True)
class PiiSpan:
    start: int
    end: int
    type: PiiType
    digits: str  # the number's digits ("" for e-mail)


# --- number classification -----------------------------------------------------------------------

_SEQUENCE = re.compile(r"\+?\d(?:[ \-–—.()/]{0,4}\d)*")
_GROUP = re.compile(r"\d+")
_PHONE = re.compile(r"^(?:0|82)(?:1[016789]\d{7,8}|2\d{7,8}|[3-6][1-5]\d{7,8}|70\d{7,8}|50\d{8,9})$")
_PHONE_PREFIX = re.compile(r"^(?:0|82)(?:1[016789]|2|[3-6][1-5]|70)\d*$")
_BIRTH_DATE = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_RRN = re.compile(rf"^{_BIRTH_DATE}[0-9]\d{{6}}$")
_SERVICE_NUMBER = re.compile(r"^(?:0[68]0|1[568]\d\d)")
_RRN_PREFIX = re.compile(rf"^{_BIRTH_DATE}\d{{0,6}}$")
CARD_WORDS = ("카드", "신용", "체크")
ACCOUNT_WORDS = (
    "계좌",
    "통장",
    "은행",
    "입금",
    "이체",
    "농협",
    "뱅크",
    "우체국",
    "새마을금고",
    "수협",
    "신협",
    "증권",
    "신한",
    "국민",
)
RRN_WORDS = ("주민", "등록번호", "외국인")
OTHER_NUMBER_WORDS = (
    "주문",
    "송장",
    "운송장",
    "예약",
    "접수",
    "고객번호",
    "회원번호",
    "사업자",
    "모델",
    "상품",
    "제품",
    "일련",
    "우편",
    "영수증",
    "승인번호",
    "인증번호",
    "쿠폰",
    "티켓",
)
CONTEXT_CHARS = 30
MIN_UNNAMED_DIGITS = 9  # a run this long is masked even when no rule names its kind
MIN_NAMED_DIGITS = 9  # the shortest number `classify` names: a Seoul landline, 02 and seven digits
MAX_NUMBER_DIGITS = 16  # the longest personal number: a card
_UNANNOUNCED_LENGTHS = (16, 15, 13)  # cards (Luhn) and registration numbers need no announcing word
MIN_OPEN_DIGITS = 4  # a partial that ends with this many digits has them masked until it is final
_SEPARATORS = " -–—./()"


_DOUBLED = str.maketrans("0123456789", "0246813579")  # a digit doubled, its digits summed


def luhn_ok(digits: str) -> bool:
    kept, doubled = digits[-1::-2], digits[-2::-2].translate(_DOUBLED)
    return (sum(map(int, kept)) + sum(map(int, doubled))) % 10 == 0


_KIND_OF_WORD = {
    word: kind
    for kind, words in (
        ("card", CARD_WORDS),
        ("account", ACCOUNT_WORDS),
        ("rrn", RRN_WORDS),
        ("other", OTHER_NUMBER_WORDS),
    )
    for word in words
}
_ANNOUNCING_WORD = re.compile("|".join(sorted(map(re.escape, _KIND_OF_WORD), key=len, reverse=True)))


@lru_cache(maxsize=4096)
def _nearest_word(before: str) -> str | None:
    """Which kind of number the text just before a number announces (card, account, rrn, other),
    if any: the nearest word wins."""
    words = _ANNOUNCING_WORD.findall(before)
    return _KIND_OF_WORD[words[-1]] if words else None


def _announced_non_personal(text: str, start: int) -> bool:
    """Whether a word just before `start` says the number is an order, booking or other
    non-personal number (any such word, not only the nearest: 사업자등록번호 names both kinds)."""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    return any(word in before for word in OTHER_NUMBER_WORDS)


def classify(digits: str, context: str | None) -> PiiType | None:
    """The PII type of a whole number, given the word that announces it (card/account/other)."""
    n = len(digits)
    if _PHONE.match(digits):
        return PiiType.PHONE
    if n == 13 and _RRN.match(digits) and context in (None, "rrn"):
        return PiiType.FRN if digits[6] in "5678" else PiiType.RRN
    if context == "card" and 14 <= n <= 16:
        return PiiType.CARD
    if context == "account" and 10 <= n <= 14:
        return PiiType.ACCOUNT
    if n in (15, 16) and luhn_ok(digits) and context != "other":
        return PiiType.CARD
    return None


def classify_prefix(digits: str, context: str | None) -> PiiType | None:
    """The type of number that `digits` is probably the start of (a number split across segments)."""
    if context == "other":
        return None
    if len(digits) >= 3 and _PHONE_PREFIX.match(digits) and len(digits) <= 10:
        return PiiType.PHONE
    if context == "rrn" and 2 <= len(digits) <= 12:  # announced: any start of it is personal
        return PiiType.RRN
    if _RRN_PREFIX.match(digits) and context is None and len(digits) in (6, 7):
        return PiiType.RRN
    if context in ("card", "account") and len(digits) >= 6:
        return PiiType.CARD if context == "card" else PiiType.ACCOUNT
    return None


# --- e-mail ----------------------------------------------------------------------------------------

# Bounded repeats (an address's parts have length limits anyway) keep every scan linear.
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8}")
_SPOKEN_AT = ("골뱅이", "앳")
_SPOKEN_EMAIL = re.compile(
    r"[A-Za-z0-9._\-가-힣]{1,40}\s{0,3}(?:골뱅이|앳)\s{0,3}[A-Za-z0-9\-가-힣]{1,40}?(?:\s{0,3}(?:\.|닷|점)\s{0,3}[A-Za-z가-힣]{1,6}){1,4}"
    r"(?=$|[\s.,!?]|이에요|이요|입니다|이고|요)"
)


# --- the redactor ----------------------------------------------------------------------------------


class Redactor:
    def __init__(self, config: RedactionConfig | None = None) -> None:
        self.config = config or RedactionConfig()

    def find(
        self,
        text: str,
        *,
        agent: bool = False,
        expected: frozenset[IdentityKind] = frozenset(),
        segment_start: int = 0,
    ) -> list[PiiSpan]:
        """Every PII span of `text`, non-overlapping, in order. `agent`: the agent is speaking;
        `expected`: what the agent just asked for; `segment_start`: where the latest segment
        starts (the text before it is the speaker's previous finals)."""
        spans: list[PiiSpan] = []
        kinds = [kind for kind, pii in IDENTITY_TYPES.items() if pii in self.config.types]
        if kinds:
            spans += [
                PiiSpan(s.start, s.end, IDENTITY_TYPES[s.kind], "")
                for s in find_identities(
                    text, kinds, agent=agent, agent_name=self.config.agent_name, expected=expected,
                    segment_start=segment_start,
                )
            ]  # fmt: skip
        if PiiType.EMAIL in self.config.types:
            for pattern, marks in ((_EMAIL, ("@",)), (_SPOKEN_EMAIL, _SPOKEN_AT)):
                if any(mark in text for mark in marks):
                    spans += [PiiSpan(m.start(), m.end(), PiiType.EMAIL, "") for m in pattern.finditer(text)]
        view = digit_view(text)
        spans += self._numbers(text, view)
        without_i = digit_view(text, drop_trailing_i=True)  # "…칠팔이에요": 이 may be the particle
        if without_i != view:
            spans += self._numbers(text, without_i)
        for start, end in heard_numbers(text):
            if not _announced_non_personal(text, start):
                spans.append(PiiSpan(start, end, PiiType.NUMBER, ""))
        return _merge(s for s in spans if s.type in self.config.types)

    def _numbers(self, text: str, view: str) -> list[PiiSpan]:
        found = []
        for match in _SEQUENCE.finditer(view):
            groups = [
                (m.start() + match.start(), m.end() + match.start()) for m in _GROUP.finditer(match.group())
            ]
            found += self._classify_groups(text, view, groups)
        return found

    def _classify_groups(self, text: str, view: str, groups: list[tuple[int, int]]) -> list[PiiSpan]:
        """The longest runs of consecutive digit groups that form a PII number, left to right; then
        what is left between them, when it is long enough, as a number of no known kind."""
        spans = self._named_numbers(text, view, groups)  # in order, not overlapping
        covered, k = set(), 0
        for g_start, g_end in groups:  # one sweep: linear
            while k < len(spans) and spans[k].end < g_end:
                k += 1
            if k < len(spans) and spans[k].start <= g_start and g_end <= spans[k].end:
                covered.add((g_start, g_end))
        stretch: list[tuple[int, int]] = []
        for group in [*groups, None]:
            if group is not None and group not in covered:
                stretch.append(group)
                continue
            if stretch:
                unnamed = self._unnamed_number(text, view, stretch)
                if unnamed is not None:
                    spans.append(unnamed)
                stretch = []
        return sorted(spans, key=lambda s: s.start)

    def _unnamed_number(self, text: str, view: str, groups: list[tuple[int, int]]) -> PiiSpan | None:
        start, end = groups[0][0], groups[-1][1]
        digits = "".join(view[s:e] for s, e in groups)
        if len(digits) < MIN_UNNAMED_DIGITS or text[end : end + 1] == "원":  # an amount in won
            return None
        if _SERVICE_NUMBER.match(digits):  # toll-free, information and nationwide business lines
            return None
        if _announced_non_personal(text, start):
            return None
        return PiiSpan(start, end, PiiType.NUMBER, digits)

    def _named_numbers(self, text: str, view: str, groups: list[tuple[int, int]]) -> list[PiiSpan]:
        """Left to right, the longest run of groups from each group on that is a personal number.
        Only runs of MIN_NAMED_DIGITS to MAX_NUMBER_DIGITS digits can be one, so at most eight
        lengths are tried per group (three when nothing announces the number and it cannot be a
        phone number): linear in the number of groups on any input."""
        digits = "".join(view[s:e] for s, e in groups)
        offsets = [0]  # offsets[k]: where group k starts in `digits`; the last: len(digits)
        for s, e in groups:
            offsets.append(offsets[-1] + e - s)
        groups_before = {offset: k for k, offset in enumerate(offsets)}
        spans = []
        i = 0
        while i < len(groups):
            start = groups[i][0]
            if start > 0 and view[start - 1] == "+":
                start -= 1
            base, found = offsets[i], None
            context = _nearest_word(text[max(0, start - CONTEXT_CHARS) : start])
            if context is None and digits[base] not in "08":
                lengths: Iterable[int] = _UNANNOUNCED_LENGTHS  # not a phone: a registration number or a card
            else:
                lengths = range(MAX_NUMBER_DIGITS, MIN_NAMED_DIGITS - 1, -1)
            for length in lengths:
                k = groups_before.get(base + length)  # a run of whole groups ends there
                if k is None or k <= i:
                    continue
                candidate = digits[base : base + length]
                kind = classify(candidate, context)
                if kind is not None:
                    found = PiiSpan(start, groups[k - 1][1], kind, candidate)
                    break
            if found is None:
                i += 1
            else:
                spans.append(found)
                i = groups_before[base + len(found.digits)]
        return spans

    def trailing_prefix(self, text: str, region_start: int = 0) -> PiiSpan | None:
        """The digits at the very end of `text` (after `region_start`) when they look like the start
        of a phone number, birth date, or an announced card/account number."""
        view = digit_view(text)
        last = None
        for match in _SEQUENCE.finditer(view):
            last = match
        if last is None or last.end() <= region_start:
            return None
        rest = text[last.end() :].lstrip(_SEPARATORS)  # "010-9876-": the number goes on
        if not only_particles_after(rest, 0):
            return None
        start = last.start()
        digits = re.sub(r"\D", "", last.group())
        if _announced_non_personal(text, start):
            return None
        context = _nearest_word(text[max(0, start - CONTEXT_CHARS) : start])
        kind = classify_prefix(digits, context)
        if kind is None or kind not in self.config.types or classify(digits, context) is not None:
            return None
        return PiiSpan(max(start, region_start), last.end(), kind, digits)

    def open_number(self, text: str) -> PiiSpan | None:
        """The digits a partial transcript ends with, when there are enough of them to matter: the
        recognizer may have cut the number in the middle, so what it is cannot be known yet."""
        view = digit_view(text)
        last = None
        for match in _SEQUENCE.finditer(view):
            last = match
        if last is None or text[last.end() :].strip(_SEPARATORS):
            return None
        digits = re.sub(r"\D", "", last.group())
        if len(digits) < MIN_OPEN_DIGITS or _announced_non_personal(text, last.start()):
            return None
        return PiiSpan(last.start(), last.end(), PiiType.NUMBER, digits)

    def open_date(self, text: str) -> PiiSpan | None:
        """The date a partial transcript ends with (it may be a birth date: masked until final)."""
        if PiiType.BIRTH_DATE not in self.config.types:
            return None
        found = open_date(text)
        return None if found is None else PiiSpan(found.start, found.end, PiiType.BIRTH_DATE, "")

    def mask(self, span: PiiSpan) -> str:
        label = MASK_LABEL[span.type]
        if self.config.keep_last4 and span.type in KEEP_LAST4_TYPES and len(span.digits) >= 8:
            return f"[{label} …{span.digits[-4:]}]"
        return f"[{label}]"

    def apply(self, text: str, spans: Iterable[PiiSpan]) -> str:
        return "".join(piece for piece, _ in self.pieces(text, spans))

    def pieces(self, text: str, spans: Iterable[PiiSpan]) -> Iterator[tuple[str, int | None]]:
        """The redacted text in order: (kept text, its offset in `text`) and (mask, None); a span
        overlapping an earlier one is skipped."""
        pos = 0
        for span in sorted(spans, key=lambda s: s.start):
            if span.start < pos:
                continue
            yield text[pos : span.start], pos
            yield self.mask(span), None
            pos = span.end
        yield text[pos:], pos

    def redact(self, text: str) -> str:
        return self.apply(text, self.find(text))


NUMBER_TYPES = frozenset({PiiType.RRN, PiiType.FRN, PiiType.CARD, PiiType.ACCOUNT, PiiType.PHONE})


def _merge(spans: Iterable[PiiSpan]) -> list[PiiSpan]:
    """Overlapping spans become one. A named number overlapping an unnamed one replaces it (the two
    digit views read the same digits, one with a particle's 이); otherwise the one span covers both,
    with the longer one's type."""
    merged: list[PiiSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            kinds = {last.type, span.type}
            if PiiType.NUMBER in kinds and kinds & NUMBER_TYPES:
                merged[-1] = last if span.type is PiiType.NUMBER else span
            elif span.end > last.end:
                keep = last if last.end - last.start >= span.end - span.start else span
                merged[-1] = PiiSpan(last.start, span.end, keep.type, keep.digits)
            continue
        merged.append(span)
    return merged


JOIN_GAP_S = 3.0  # segments of one speaker this close together are read as one for numbers
HISTORY_SEGMENTS = 2
CONTINUATION_CHARS = 12  # the rest of a split number must start this close to a segment's start
LONGEST = {PiiType.PHONE: 11, PiiType.RRN: 13, PiiType.FRN: 13, PiiType.CARD: 16, PiiType.ACCOUNT: 14}


@dataclass(frozen=True)
class _Pending:
    """A segment ended with the start of a number (masked): its type, digits so far, end time."""

    type: PiiType
    digits: str
    end: float


class ChannelRedactor:
    """Redacts one speaker's finals in order, catching numbers split across adjacent segments:
    each final is read together with the previous ones, a final that ends with the start of a
    number has that start masked, and the next final's leading digits that complete it are masked
    too ("주민번호 앞자리가 칠사일이공오" | "뒷자리는 삼칠이이일이구입니다").

    The raw text of the last few finals stays in this object's memory only."""

    def __init__(self, redactor: Redactor, *, agent: bool = False) -> None:
        self.redactor = redactor
        self.agent = agent  # the agent's channel: their own name in a greeting is theirs to give
        self._history: deque[tuple[str, float]] = deque(maxlen=HISTORY_SEGMENTS)  # (raw text, end)
        self._pending: _Pending | None = None
        self._expected: frozenset[IdentityKind] = frozenset()

    def expect(self, kinds: frozenset[IdentityKind]) -> None:
        """The other side just asked for these (a name, a birth date …): the next final is read
        as a possible answer."""
        self._expected = kinds

    def peek(self, text: str, start: float) -> str:
        """Redact a partial transcript (read with the previous finals; remembers nothing). Digits it
        ends with are masked too: the rest of the number may come in the next partial."""
        spans = self._spans(text, start)[0]
        for tail in (self.redactor.open_number(text), self.redactor.open_date(text)):
            if tail is not None and not any(s.start < tail.end and tail.start < s.end for s in spans):
                spans.append(tail)
        return self.redactor.apply(text, spans)

    def final(self, text: str, start: float, end: float) -> str:
        """Redact a final segment and remember it for the next one."""
        return self.redactor.apply(text, self.final_spans(text, start, end))

    def final_spans(self, text: str, start: float, end: float) -> list[PiiSpan]:
        """What to mask in a final segment (which is remembered for the next one)."""
        spans, pending = self._spans(text, start)
        if text:
            if self._history and start - self._history[-1][1] > JOIN_GAP_S:
                self._history.clear()
            self._history.append((text, end))
            self._pending = None if pending is None else _Pending(pending.type, pending.digits, end)
            self._expected = frozenset()  # answered (or not): the question is behind
        return spans

    def _spans(self, text: str, start: float) -> tuple[list[PiiSpan], PiiSpan | None]:
        """Spans to mask in `text`, and the number left unfinished at its end (if any)."""
        if not text:
            return [], None
        recent = [raw for raw, end in self._history if start - end <= JOIN_GAP_S]
        context = " ".join(recent) + " " if recent else ""
        combined, offset = context + text, len(context)
        found = self.redactor.find(combined, agent=self.agent, expected=self._expected, segment_start=offset)
        spans = [s for s in found if s.end > offset]
        continued = self._continuation(text, start)
        if continued is not None:
            shifted = PiiSpan(
                continued.start + offset, continued.end + offset, continued.type, continued.digits
            )
            spans = [s for s in spans if s.end <= shifted.start or s.start >= shifted.end] + [shifted]
        tail = self.redactor.trailing_prefix(combined, offset)
        if tail is not None and any(s.start < tail.end and tail.start < s.end for s in spans):
            tail = None
        if tail is not None:
            spans.append(tail)
        elif continued is not None and len(continued.digits) < LONGEST[continued.type] - 1:
            tail = continued  # still short: the number may go on in the next segment
        local = [PiiSpan(max(s.start, offset) - offset, s.end - offset, s.type, s.digits) for s in spans]
        return local, tail

    def _continuation(self, text: str, start: float) -> PiiSpan | None:
        """Leading digits of `text` that complete the number the previous final left unfinished."""
        pending = self._pending
        if pending is None or start - pending.end > JOIN_GAP_S:
            return None
        match = _SEQUENCE.search(digit_view(text))
        if match is None or match.start() > CONTINUATION_CHARS:
            return None
        digits = pending.digits + re.sub(r"\D", "", match.group())
        if len(digits) > LONGEST[pending.type]:
            return None
        kind = pending.type
        if kind in (PiiType.RRN, PiiType.FRN) and len(digits) > 6:
            kind = PiiType.FRN if digits[6] in "5678" else PiiType.RRN
        return PiiSpan(match.start(), match.end(), kind, digits)


IDENTIFIER_KEYS = frozenset({"call_id", "agent_id", "id", "doc_id", "chunk_id", "suggestion_id"})


def redact_strings(value: Any, redactor: Redactor, *, numbers: bool = False) -> Any:
    """Every string inside `value` redacted, except identifiers (a call id is not a phone number).
    With `numbers` (a client's metadata, not our own documents with their timestamps), integers
    and keys are read too: a personal number sent as a JSON number (`"caller": 1055512346`) or
    as a key becomes its mask, a string."""
    if isinstance(value, str):
        return redactor.redact(value)
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        masked = redactor.redact(str(value))
        return value if masked == str(value) else masked
    if isinstance(value, list):
        return [redact_strings(v, redactor, numbers=numbers) for v in value]
    if isinstance(value, dict):
        redacted = {}
        for key, item in value.items():
            if key in IDENTIFIER_KEYS:
                redacted[key] = item
            else:
                redacted[redactor.redact(str(key)) if numbers else key] = redact_strings(
                    item, redactor, numbers=numbers
                )
        return redacted
    return value
