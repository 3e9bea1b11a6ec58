"""Word probabilities through redaction: an unsure digit-like word is masked, sure ones and
ordinary words are left alone, and the probabilities line up with the redacted text's words."""

from __future__ import annotations

from agent.redaction.confidence import redact_with_probs, uncertain_names, uncertain_numbers, uncertain_spans
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


def test_an_unsure_word_where_a_name_was_announced_is_masked_as_one() -> None:
    redactor = Redactor()
    text = "보호자는 제 남편 택전u이에요"  # 탁정우 as recognition wrote it: no name rule knows it
    spans = uncertain_spans(text, (0.98, 0.77, 0.68, 0.17), 0.5, redactor.find(text))
    assert redactor.apply(text, spans) == "보호자는 제 남편 [이름]이에요"
    # sure of it, or nothing announcing a name: left alone
    assert uncertain_spans(text, (0.98, 0.77, 0.68, 0.9), 0.5) == []
    plain = "택배는 제 남편 택전u이에요"
    assert uncertain_spans(plain, (0.98, 0.77, 0.68, 0.17), 0.5) == []
    # a pet's name, and a name the rules already found, add nothing
    pet = "우리 강아지 이름이 초코예요"
    assert uncertain_spans(pet, (0.9, 0.9, 0.9, 0.2), 0.5) == []
    found = "저희 아버님 존함이 한병철이세요"
    assert uncertain_names(found, (0.2, 0.7, 0.42, 0.45), 0.5, redactor.find(found)) == []


def test_the_evaluation_masks_unsure_words_as_the_server_does() -> None:
    from agent.redaction.evaluation import evaluate

    item = {
        "segments": ["보호자는 제 남편 택전u이에요"],
        "word_probs": [[0.98, 0.77, 0.68, 0.17]],
        "entities": [{"type": "name", "parts": ["탁정우"]}],
    }
    assert evaluate([item], Redactor(), 0.5).recall == 1.0
    assert evaluate([item], Redactor()).recall == 0.0  # no threshold: the text's rules alone


def test_an_unsure_verb_after_a_name_cue_is_no_name() -> None:
    for text in (
        "고객님 성함은 확인됐습니다",
        "이름이 기억이 안 나요",
        "성함은 없어요",
        "이름이 뭐였죠",
        "담당 코디네이터분 성함 조마려 주세요",  # 좀 알려 주세요, as heard: a request
        "박스에 이름 적어주세요",
        "한국 이름은 따로 없어요",  # an adverb, however unsure
    ):
        probs = tuple(0.3 for _ in text.split())
        assert uncertain_spans(text, probs, 0.5) == [], text


def test_an_unsure_first_word_answering_a_question_for_a_name_is_masked() -> None:
    from agent.redaction.evaluation import evaluate

    item = {
        "asked": "성함이 어떻게 되세요?",
        "segments": ["네 달석에 나 앞으로요"],
        "word_probs": [[0.99, 0.38, 0.95, 0.55]],
        "entities": [{"type": "name", "parts": ["석예나"]}],
    }
    assert evaluate([item], Redactor(), 0.5).recall == 1.0
    unasked = {**item, "asked": "배송 언제 오나요?"}
    assert evaluate([unasked], Redactor(), 0.5).recall == 0.0


def test_a_cue_word_or_a_filler_after_a_cue_is_no_unsure_name() -> None:
    assert uncertain_spans("예약자 성함 남공윤 맞으세요", (0.7, 0.3, 0.3, 0.9), 0.5) == [
        PiiSpan(7, 10, PiiType.NAME, "")
    ]  # 성함 is the next cue, not a name
    spans = uncertain_spans(
        "그럼 제 이름 말씀하시는 거죠", (0.2, 0.9, 0.9, 0.9, 0.9), 0.5, name_expected=True
    )
    assert spans == []  # 그럼 opens the answer
