"""Word probabilities through redaction: an unsure digit-like word is masked, sure ones and
ordinary words are left alone, and the probabilities line up with the redacted text's words."""

from __future__ import annotations

from agent.redaction.confidence import redact_with_probs, uncertain_numbers
from agent.redaction.kinds import PiiSpan, PiiType
from agent.redaction.redactor import Redactor


def test_an_unsure_digit_like_word_is_masked_and_a_sure_one_is_not() -> None:
    text = "번호는 공일공 삼칠이에요 그리고 일 있어요"
    probs = (0.9, 0.95, 0.3, 0.2, 0.1, 0.2)
    spans = uncertain_numbers(text, probs, 0.5)
    assert [text[s.start : s.end] for s in spans] == ["삼칠이"]  # 일 (one syllable) and 그리고 stay
    redacted, carried = redact_with_probs(Redactor(), text, spans, probs)
    assert redacted == "번호는 공일공 [번호]에요 그리고 일 있어요"
    assert carried == (0.9, 0.95, 0.3, 0.2, 0.1, 0.2)  # the word kept its particle: its letters' lowest


def test_arabic_digits_and_spans_already_taken() -> None:
    text = "4521 이에요"
    taken = [PiiSpan(0, 4, PiiType.CARD, "4521")]
    assert uncertain_numbers(text, (0.1, 0.9), 0.5, taken) == []
    assert [(s.start, s.end) for s in uncertain_numbers(text, (0.1, 0.9), 0.5)] == [(0, 4)]
    assert uncertain_numbers(text, (0.1,), 0.5) == []  # not lined up: nothing guessed


def test_a_mask_counts_as_sure_and_words_stay_lined_up() -> None:
    redactor = Redactor()
    text = "제 번호는 010-5555-1234 입니다"
    spans = redactor.find(text)
    redacted, carried = redact_with_probs(redactor, text, spans, (0.9, 0.8, 0.3, 0.6))
    assert redacted == "제 번호는 [전화번호] 입니다"
    assert carried == (0.9, 0.8, 1.0, 0.6)
    assert redact_with_probs(redactor, text, spans, ()) == (redacted, ())
