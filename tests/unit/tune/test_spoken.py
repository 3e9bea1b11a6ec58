"""Spoken-language diversity of the training text (tune/spoken.py)."""

from __future__ import annotations

import random

from tune.spoken import BACKCHANNELS, FILLERS, conversational, loanword_sentence, spoken_sentences
from tune.textgen import sentences


def hangul_only(text: str) -> bool:
    return all("가" <= ch <= "힣" or ch == " " for ch in text)


def test_spoken_sentences_are_reproducible_and_keep_the_share() -> None:
    base = sentences(300, seed=5)
    spoken = spoken_sentences(base, 0.5, seed=5)
    assert spoken == spoken_sentences(base, 0.5, seed=5) and len(spoken) == 300
    changed = sum(a != b for a, b in zip(base, spoken, strict=True))
    assert 100 <= changed <= 170
    assert spoken_sentences(base, 0.0, seed=5) == base
    assert all(hangul_only(s) and s.strip() == s and "  " not in s for s in spoken)


def test_every_pattern_appears() -> None:
    rng = random.Random(1)
    out = [conversational("제가 어제 요금제를 바꿨는데 아직 안 바뀌었어요", rng) for _ in range(200)]
    assert any(o.split()[0] in FILLERS for o in out)  # a filler up front
    assert any(len(o.split()) < 6 for o in out)  # trailing off
    assert any("아니" in o or "잠깐만요" in o for o in out)  # a self-correction
    assert any("제가 제가" in o or "어제 어제" in o for o in out)  # a repeated word
    zero = {
        conversational("공일공 일이삼사 오육칠팔로 보내 주세요", random.Random(n)).split()[0]
        for n in range(20)
    }
    assert {"공일공", "영일영"} <= zero | {w.split()[0] for w in zero}  # zero read both ways
    mixed = spoken_sentences(sentences(400, seed=2), 1.0, seed=2)
    assert any(m in BACKCHANNELS for m in mixed)
    assert hangul_only(loanword_sentence(random.Random(3)))
