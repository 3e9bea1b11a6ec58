"""Phrases as a recognizer writes them (agent/analytics/matching.py): by sound from a word's start,
a long phrase one letter off, and after an interjection the recognizer joined to the word; short
phrases only as spelled, and nothing inside another word."""

from __future__ import annotations

import pytest

from agent.analytics.config import Matcher
from agent.analytics.matching import CompiledMatcher, Sounded, sound


def matcher(*phrases: str) -> CompiledMatcher:
    return CompiledMatcher(Matcher(phrases=tuple(phrases)))


@pytest.mark.parametrize(
    ("phrases", "heard", "how"),
    [
        (("내용증명",), "내용증명 보낼게요", "phrase"),
        (("할인",), "가족하린 되나요", None),  # short: spelling only
        (("지랄",), "질알 하지 마", "sound"),  # the same sound, spelled otherwise
        (("관리자 연결",), "간리자 연결해 주세요", "sound"),  # one letter off, a long phrase
        (("관리자 연결",), "반리자 연결해 주세요", None),  # two letters off
        (("내용증명",), "내용증면 보낼게요", "sound"),
        (("지랄",), "아칠알 하지 말고", "sound"),  # 아 지랄, joined
        (("고발",), "말고 빨리", None),  # not across a word's start
        (("관리자 연결",), "관광지 연결편", None),  # more than one letter off
    ],
)
def test_phrases_as_heard(phrases: tuple[str, ...], heard: str, how: str | None) -> None:
    found = matcher(*phrases).find(heard, None, None)
    assert (found.how if found else None) == how


def test_near_reports_the_fewest_edits() -> None:
    said = Sounded("간리자 연결해 주세요")
    assert said.near(sound("관리자연결"), 1) == 1
    assert Sounded("관리자 연결").near(sound("관리자연결"), 1) == 0
    assert said.near(sound("상급자를 바꿔"), 1) is None


def test_a_consonant_said_twice_sounds_as_one() -> None:
    """A final before the same initial is one long sound: 윗사람 is said 위싸람 and a recognizer
    writes 위사람; 학교 is heard 하교. Vowels are left alone (아아 stays two)."""
    from agent.analytics.matching import sound

    assert sound("윗사람") == sound("위사람") and sound("학교") == sound("하교")
    assert sound("아아") == "ㅏㅏ"
