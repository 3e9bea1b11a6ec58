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

The kinds and masks are in `kinds.py`, how a number's kind is told in `numbers.py`, and one
speaker's finals redacted in order (numbers split across segments) in `channel.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from agent.redaction.digits import digit_view, heard_numbers, only_particles_after
from agent.redaction.identity import IdentityKind, find_identities, open_date
from agent.redaction.kinds import (
    IDENTITY_TYPES,
    KEEP_LAST4_TYPES,
    MASK_LABEL,
    NUMBER_TYPES,
    PiiSpan,
    PiiType,
    RedactionConfig,
)
from agent.redaction.numbers import (
    GROUP,
    MAX_NUMBER_DIGITS,
    MIN_NAMED_DIGITS,
    MIN_OPEN_DIGITS,
    MIN_UNNAMED_DIGITS,
    SEPARATORS,
    SEQUENCE,
    SERVICE_NUMBER,
    UNANNOUNCED_LENGTHS,
    announced_kind,
    announced_non_personal,
    classify,
    classify_prefix,
)

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
            if not announced_non_personal(text, start):
                spans.append(PiiSpan(start, end, PiiType.NUMBER, ""))
        return _merge(s for s in spans if s.type in self.config.types)

    def _numbers(self, text: str, view: str) -> list[PiiSpan]:
        found = []
        for match in SEQUENCE.finditer(view):
            groups = [
                (m.start() + match.start(), m.end() + match.start()) for m in GROUP.finditer(match.group())
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
        if SERVICE_NUMBER.match(digits):  # toll-free, information and nationwide business lines
            return None
        if announced_non_personal(text, start):
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
            context = announced_kind(text, start)
            if context is None and digits[base] not in "08":
                lengths: Iterable[int] = UNANNOUNCED_LENGTHS  # not a phone: a registration number or a card
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
        for match in SEQUENCE.finditer(view):
            last = match
        if last is None or last.end() <= region_start:
            return None
        rest = text[last.end() :].lstrip(SEPARATORS)  # "010-9876-": the number goes on
        if not only_particles_after(rest, 0):
            return None
        start = last.start()
        digits = re.sub(r"\D", "", last.group())
        if announced_non_personal(text, start):
            return None
        context = announced_kind(text, start)
        kind = classify_prefix(digits, context)
        if kind is None or kind not in self.config.types or classify(digits, context) is not None:
            return None
        return PiiSpan(max(start, region_start), last.end(), kind, digits)

    def open_number(self, text: str) -> PiiSpan | None:
        """The digits a partial transcript ends with, when there are enough of them to matter: the
        recognizer may have cut the number in the middle, so what it is cannot be known yet."""
        view = digit_view(text)
        last = None
        for match in SEQUENCE.finditer(view):
            last = match
        if last is None or text[last.end() :].strip(SEPARATORS):
            return None
        digits = re.sub(r"\D", "", last.group())
        if len(digits) < MIN_OPEN_DIGITS or announced_non_personal(text, last.start()):
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
