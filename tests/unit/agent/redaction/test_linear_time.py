"""Redaction costs time in proportion to its input, whatever the input: fuzzed runs of digits,
separators, Hangul digits, e-mail marks, names, dates, addresses and plates up to the metadata cap (8 KB) take at most ~1× per
byte what a short one of the same kind takes (a ratio within this run, never a wall-clock
threshold; `make bench` reports the milliseconds: tests/bench/test_redaction_bench.py)."""

from __future__ import annotations

import random
import time

import pytest

from agent.redaction.channel import ChannelRedactor
from agent.redaction.digits import digit_view
from agent.redaction.redactor import Redactor

ALPHABETS = {
    "digits and separators": "0123456789-. ()/",
    "Hangul digits": "공영일이삼사오육칠팔구 -",
    "mixed": "0123456789공일이삼사 가나다@.-골뱅이닷",
    "e-mail marks": "ab1@.-_ 골뱅이앳닷점컴씨오케이알",
    "names and their cues": "김이박남궁 민수서연 성함은이름 님씨고객 저는전 어머니 ,이에요 할때대",
    "dates": "구십일이삼 년월일생 생년월일생일 0123456789",
    "addresses": "테헤란대로길 123-다시의 동호리가 번지층 시구군 매장 천백오피스텔",
    "plates": "12가나허 3456 일이삼사 차량번호판 ",
}
REPEATS = ["12-", "1 ", "공일공 ", "010-", "a@b.", "일이삼 ", "이", "김민수 고객님 ", "성함은 저희 ", "생일 삼월 일일 ",
           "테헤란로 1 ", "일동 이호 ", "12가 3456 ", "골뱅이 케이 점 ", "천오백호 오피스텔 ", "김영희 영어 할 때 영 ",
           "받을 사람은 봉 서진으로 ", "사장님이 옥 태윤인데 ", "성이 노씨고 이름은 하람 ", "박 서연이고 "]  # fmt: skip


def seconds(text: str) -> float:
    """CPU seconds of this thread (best of 3): other processes on the machine, parallel test workers
    included, do not count."""
    redactor, channel = Redactor(), ChannelRedactor(Redactor())
    best = float("inf")
    for _ in range(3):
        digit_view.cache_clear()
        started = time.thread_time()
        redactor.redact(text)
        channel.peek(text, 0.0)
        best = min(best, time.thread_time() - started)
    return best


def fuzz(alphabet: str, length: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", sorted(ALPHABETS))
def test_fuzzed_input_costs_linear_time(kind: str) -> None:
    for seed in range(3):
        short, long = fuzz(ALPHABETS[kind], 1024, seed), fuzz(ALPHABETS[kind], 8192, seed)
        ratio = seconds(long) / max(seconds(short), 1e-4)
        assert ratio < 8 * 3, (kind, seed, ratio)  # 8× the input; quadratic would be 64×


@pytest.mark.timeout(60)
@pytest.mark.parametrize("unit", REPEATS)
def test_repeated_patterns_cost_linear_time(unit: str) -> None:
    short, long = unit * (1024 // len(unit)), unit * (8192 // len(unit))
    ratio = seconds(long) / max(seconds(short), 1e-4)
    assert ratio < 8 * 3, (unit, ratio)
