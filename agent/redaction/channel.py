"""One speaker's finals redacted in order (`ChannelRedactor`), so that a number split across
adjacent segments is caught: the new segment is read together with the previous ones, and a
segment that *ends* with the start of a phone number or birth date has that start masked before
it is stored. The raw text of the last few finals stays in memory only (never stored)."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from agent.redaction.confidence import uncertain_spans
from agent.redaction.digits import digit_view
from agent.redaction.identity import IdentityKind
from agent.redaction.kinds import PiiSpan, PiiType
from agent.redaction.numbers import SEQUENCE
from agent.redaction.redactor import Redactor

JOIN_GAP_S = 3.0  # segments of one speaker this close together are read as one for numbers
HISTORY_SEGMENTS = 2
EXPECTED_FINALS = 2  # finals read as the answer to a question until one holds what was asked
CONTINUATION_CHARS = 12  # the rest of a split number must start this close to a segment's start
LONGEST = {
    PiiType.PHONE: 11,
    PiiType.RRN: 13,
    PiiType.FRN: 13,
    PiiType.CARD: 16,
    PiiType.ACCOUNT: 14,
    PiiType.BIRTH_DATE: 6,
}


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
        self._expected_finals = 0

    def expect(self, kinds: frozenset[IdentityKind]) -> None:
        """The other side just asked for these (a name, a birth date …): the next final is read
        as a possible answer, and the one after it too while none of these was found (an answer
        split by a pause)."""
        self._expected = kinds
        self._expected_finals = EXPECTED_FINALS

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

    def final_spans(
        self,
        text: str,
        start: float,
        end: float,
        probs: Sequence[float] = (),
        uncertain_below: float = 0.0,
    ) -> list[PiiSpan]:
        """What to mask in a final segment (which is remembered for the next one); with the
        recognizer's word `probs`, also the words it was unsure of (under `uncertain_below`) that
        look like digits or stand where a name was announced or asked for."""
        paused = bool(self._history) and start - self._history[-1][1] > JOIN_GAP_S
        if text and paused and self._expected and self._expected_finals < EXPECTED_FINALS:
            self._expected = frozenset()  # a pause after a first answer that gave nothing: not one
        spans, pending = self._spans(text, start)
        if probs and uncertain_below > 0:
            name_expected = IdentityKind.NAME in self._expected
            spans += uncertain_spans(text, probs, uncertain_below, spans, name_expected=name_expected)
        if text:
            if paused:
                self._history.clear()
            self._history.append((text, end))
            self._pending = None if pending is None else _Pending(pending.type, pending.digits, end)
            if self._expected:
                self._after_answer(text, spans)
        return spans

    def _after_answer(self, text: str, spans: Sequence[PiiSpan]) -> None:
        """Answered, the question is behind; not yet (아 제 이름은요 | 오 세린이에요), or an answer that
        ends the final (팔십구년 | 이월 십사일이요): it may go on in the next final, if that follows
        within JOIN_GAP_S (checked when it comes). Asked for two things, what was given is no
        longer awaited and the other still is (표 예진이고요 | 팔십칠년 구월 삼일이요); a year alone
        begins a birth date (칠십육년이요 | 오월 오일 …)."""
        said = len(text.rstrip(" .?!"))
        # a year alone (칠십육년이요 | 오월 오일 …) is a birth date begun, not given
        answered = {s.type.value for s in spans if s.end < said and not _year_alone(text, s)}
        self._expected_finals -= 1
        # asked for two things (성함과 생년월일), the one not given yet is still awaited
        self._expected = frozenset(kind for kind in self._expected if kind.value not in answered)
        if self._expected_finals <= 0:
            self._expected = frozenset()

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
        match = SEQUENCE.search(digit_view(text))
        if match is None or match.start() > CONTINUATION_CHARS:
            return None
        digits = pending.digits + re.sub(r"\D", "", match.group())
        if len(digits) > LONGEST[pending.type]:
            return None
        kind = pending.type
        if kind in (PiiType.RRN, PiiType.FRN) and len(digits) > 6:
            kind = PiiType.FRN if digits[6] in "5678" else PiiType.RRN
        elif kind == PiiType.RRN and IdentityKind.BIRTH_DATE in self._expected:
            kind = PiiType.BIRTH_DATE  # 생년월일 여섯 자리 | 팔구 공 | 일 이칠: the birth date asked for
        return PiiSpan(match.start(), match.end(), kind, digits)


_MONTH_OR_DIGITS = re.compile(r"월|\d(?:\s?\d){5}")


def _year_alone(text: str, span: PiiSpan) -> bool:
    """A birth date's span that holds no month and no six digits: the year only."""
    return span.type == PiiType.BIRTH_DATE and _MONTH_OR_DIGITS.search(text, span.start, span.end) is None
