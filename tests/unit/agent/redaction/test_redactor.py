"""PII redaction: the labelled corpora, and the rules one by one."""

from __future__ import annotations

import json

import pytest

from agent.redaction.channel import ChannelRedactor
from agent.redaction.evaluation import evaluate, load_corpus
from agent.redaction.kinds import PiiType, RedactionConfig
from agent.redaction.redactor import Redactor
from tests.helpers.paths import DATA, ROOT


@pytest.mark.parametrize("name", ["pii_corpus.jsonl", "pii_holdout.jsonl"])
def test_corpus_recall_and_precision(name: str) -> None:
    items = load_corpus(DATA / name)
    scores = evaluate(items, Redactor())
    assert scores.recall >= 0.99 and scores.precision >= 0.95, (
        scores.summary(),
        scores.misses,
        scores.false_alarms,
    )


def test_corpus_is_big_enough() -> None:
    items = load_corpus(DATA / "pii_corpus.jsonl")
    assert sum(1 for i in items if i["entities"]) >= 100
    assert sum(1 for i in items if not i["entities"]) >= 100
    named = set(PiiType) - {PiiType.NUMBER}  # the catch-all for unnamed numbers is tested below
    identities = {PiiType.NAME, PiiType.PLATE}  # tests/data/identity_*.jsonl (test_identity.py)
    assert {e["type"] for i in items for e in i["entities"]} == named - identities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("제 번호는 010-1234-5678이에요.", "제 번호는 [전화번호]이에요."),
        ("공일공 일이삼사 오육칠팔이에요", "[전화번호]이에요"),
        ("영일영 다시 일이삼사 다시 오육칠팔로 주세요", "[전화번호]로 주세요"),
        ("주민번호는 920315-1234567입니다", "주민번호는 [주민번호]입니다"),
        ("외국인등록번호 920315-5234567", "외국인등록번호 [외국인등록번호]"),
        ("카드는 4518 4212 3456 7897요", "카드는 [카드번호]요"),
        ("신한은행 110-123-456789로 보내 주세요", "신한은행 [계좌번호]로 보내 주세요"),
        ("메일은 hong.gd@naver.com 입니다", "메일은 [이메일] 입니다"),
        ("주문번호 110123456789요", "주문번호 110123456789요"),  # same digits, no account word
        ("삼만 이천 원이 청구됐어요", "삼만 이천 원이 청구됐어요"),
        ("구십이년 삼월 십오일생이에요", "[생년월일]이에요"),  # a birth date is a quasi-identifier
        # a long number nothing names: what recognition leaves of a registration or account number
        ("바로 일일이 일이삼 사오육칠팔이요", "바로 [번호]요"),
        ("8812 3456 789요", "[번호]요"),
        ("010 1234 5678 그리고 9999", "[전화번호] 그리고 9999"),  # a named type first, the rest short
        ("예약 번호 4839201934요", "예약 번호 4839201934요"),  # announced as non-personal
        ("사업자등록번호 123-45-67890입니다", "사업자등록번호 123-45-67890입니다"),
        ("080-123-4567로 수신 거부했어요", "080-123-4567로 수신 거부했어요"),  # a toll-free line
        ("총 100000000원이에요", "총 100000000원이에요"),  # an amount
        ("2026년 11월 30일", "2026년 11월 30일"),
        # digits read out and half-heard by the recognizer: still a number being read out
        ("휴대폰 번호 영입구 육육영 삼삼구 이삼 맞아요", "휴대폰 번호 [번호] 맞아요"),
        ("칠일일 이칠일 이철일 공칠오요", "[번호]요"),
        ("네 구사공 사일 칠다시 사칠팔공 삼사공이에요", "네 [번호]에요"),
        ("이사 가는데 일이 많아서 사이에 오이를 샀어요", "이사 가는데 일이 많아서 사이에 오이를 샀어요"),
        ("예약 번호는 구사공 사일 칠사칠 팔공삼이에요", "예약 번호는 구사공 사일 칠사칠 팔공삼이에요"),
    ],
)
def test_single_texts(text: str, expected: str) -> None:
    assert Redactor().redact(text) == expected


def test_keep_last_four_and_type_selection() -> None:
    keep = Redactor(RedactionConfig(keep_last4=True))
    assert keep.redact("010-1234-5678, 920315-1234567") == "[전화번호 …5678], [주민번호]"
    phones_only = Redactor(RedactionConfig(types=frozenset({PiiType.PHONE})))
    assert phones_only.redact("010-1234-5678 hong@naver.com") == "[전화번호] hong@naver.com"


def test_masks_are_left_alone_when_redacted_again() -> None:
    redactor = Redactor(RedactionConfig(keep_last4=True))
    once = redactor.redact("카드 4518-4212-3456-7897, 전화 010-1234-5678")
    assert redactor.redact(once) == once


def test_number_split_across_three_finals_of_one_speaker() -> None:
    channel = ChannelRedactor(Redactor())
    outputs = [
        channel.final("제 번호가 공일공", 0.0, 1.0),
        channel.final("일이삼사", 1.5, 2.5),
        channel.final("오육칠팔이요", 3.0, 4.0),
    ]
    assert outputs == ["제 번호가 [전화번호]", "[전화번호]", "[전화번호]이요"]


def test_a_long_pause_breaks_the_join() -> None:
    channel = ChannelRedactor(Redactor())
    channel.final("번호가 공일공", 0.0, 1.0)
    assert channel.final("일이삼사 주세요", 20.0, 21.0) == "일이삼사 주세요"


def test_partials_are_redacted_with_the_previous_final_and_leave_no_state() -> None:
    peeked, plain = ChannelRedactor(Redactor()), ChannelRedactor(Redactor())
    for channel in (peeked, plain):
        channel.final("제 번호는 공일공", 0.0, 1.0)
    assert peeked.peek("일이삼사 오육", 1.5) == "[전화번호]"
    assert peeked.peek("사이에 뭐가 있나요", 1.8) == "사이에 뭐가 있나요"
    # a partial changes nothing: the same finals come out, and the memory is the same
    assert (peeked._history, peeked._pending) == (plain._history, plain._pending)
    for text, start in [("일이삼사", 2.0), ("오육칠팔이에요", 3.0), ("네 알겠습니다", 30.0)]:
        assert peeked.final(text, start, start + 1.0) == plain.final(text, start, start + 1.0)


def test_demo_scripts_personal_data_is_exactly_what_is_masked() -> None:
    script = json.loads((ROOT / "workbench/demo/call_script.json").read_text("utf-8"))
    changed = {
        t["text"]: Redactor().redact(t["text"])
        for t in script["turns"]
        if Redactor().redact(t["text"]) != t["text"]
    }
    assert (
        changed
        == {
            "이서연이고요. 구십이년 삼월 십오일생이에요.": "[이름]이고요. [생년월일]이에요.",  # a name given with a birth date
            "네 공일공 일이삼사 오육칠팔이에요.": "네 [전화번호]이에요.",
        }
    )


@pytest.mark.timeout(30)  # before the scans were bounded, the first input alone took minutes
@pytest.mark.parametrize(
    "text", ["12-" * 2700, "일" * 8000, "공일공 " * 2000, "a" * 8000, "가" * 8000 + "골뱅이", "1 " * 4000]
)
def test_pathological_inputs_are_redacted_in_linear_time(text: str) -> None:
    Redactor().redact(text)
    ChannelRedactor(Redactor()).final(text, 0.0, 1.0)
