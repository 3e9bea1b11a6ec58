"""What triggers a suggestion, and the extracted reply."""

from __future__ import annotations

import json

import pytest

from agent.assist.extractive import extract_answer
from agent.assist.triggers import TriggerKind, classify_turn
from tests.helpers.paths import DATA

QUERIES = [json.loads(line)["q"] for line in (DATA / "kb_eval.jsonl").open(encoding="utf-8")]


def test_every_customer_question_of_the_query_set_triggers() -> None:
    assert [q for q in QUERIES if classify_turn(q) is None] == []


@pytest.mark.parametrize(
    "text",
    ["아 네.", "네네", "감사합니다", "여보세요?", "네 알겠습니다 감사합니다.", "잠깐만요", "그렇군요", "정말요?",
     "이서연이고요. 구십이년 삼월 십오일생이에요.", "제 이름은 김철수예요.", "아니요 없어요. 감사합니다."],
)  # fmt: skip
def test_backchannels_greetings_and_answers_do_not_trigger(text: str) -> None:
    assert classify_turn(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("로밍 요금제 어떻게 신청해요?", TriggerKind.QUESTION),
        ("요금제 바꾸고 싶어요", TriggerKind.REQUEST),
        ("인터넷이 안 돼요", TriggerKind.PROBLEM),
        ("정말요? 감사합니다. 그런데 해지하면 위약금 얼마예요", TriggerKind.QUESTION),
    ],
)
def test_kinds(text: str, kind: TriggerKind) -> None:
    assert classify_turn(text) is kind


def test_extracted_reply_is_the_passage_sentence_that_answers() -> None:
    passage = (
        "로밍 요금제 없이 데이터를 써서 요금이 많이 나온 경우, 처음 해외 이용이라면 한 번에 한해 차액을 감면해 드릴 수 "
        "있습니다. 감면은 다음 달 청구서에 반영됩니다. 두 번째부터는 감면이 되지 않습니다."
    )
    reply = extract_answer("로밍 요금 감면 되나요 처음이에요", passage)
    assert reply.startswith("로밍 요금제 없이") and "감면해 드릴 수 있습니다" in reply
    assert len(reply) <= 180
    assert extract_answer("아무거나", "") == ""
