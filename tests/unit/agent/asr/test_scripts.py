"""Korean transcripts never get Han, kana or other languages' alphabets; Hangul, Latin (accents
included), digits and punctuation stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.asr.scripts import foreign_script_tokens, writes_foreign_script


@pytest.mark.parametrize(
    "text",
    ["退", "是的", "ゴ", "カード", "漢字로", "ю", "Привет", "αβ", "שלום", "مرحبا", "สวัสดี", "नमस्ते", "ქ"],
)
def test_han_and_kana_are_foreign(text: str) -> None:
    assert writes_foreign_script(text.encode())


@pytest.mark.parametrize(
    "text",
    ["탈퇴", "ㅋㅋ", "LTE 5G", "010", " 네.", "요금제?", "…", "café", "·", "“네”", "–", "\u1100\u1161", "ạ"],
)
def test_what_a_korean_transcript_writes_is_not(text: str) -> None:
    assert not writes_foreign_script(text.encode())


def test_the_first_bytes_of_a_han_character_are_foreign_and_of_hangul_not() -> None:
    assert writes_foreign_script("退".encode()[:2])  # E9 80: only U+9000–U+903F can follow
    assert writes_foreign_script("カ".encode()[:2])  # E3 82: kana
    assert not writes_foreign_script("탈".encode()[:2])  # EA–ED: Hangul
    assert not writes_foreign_script("ㅋ".encode()[:2])  # E3 85: compatibility jamo
    assert writes_foreign_script("ю".encode()[:1])  # D1: Cyrillic
    assert writes_foreign_script("ก".encode()[:2])  # E0 B8: Thai
    assert not writes_foreign_script("é".encode()[:1])  # C3: Latin-1
    assert not writes_foreign_script("\u1100".encode()[:2])  # E1 84: conjoining jamo
    assert not writes_foreign_script("\u1100".encode()[:1])  # E1 alone: jamo or foreign, kept


def test_the_whisper_vocabulary(asr_model_dir: Path) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(asr_model_dir / "tokenizer.json"))  # Whisper's multilingual one
    ids = foreign_script_tokens(tokenizer, "ko")
    texts = {tokenizer.decode([i]) for i in ids}
    assert len(ids) > 1000 and {"是", "的", "и", "на"} <= texts
    assert not {tokenizer.encode(t).ids[0] for t in ["네", "요금", " 탈퇴", " LTE", " 010"]} & set(ids)
    assert foreign_script_tokens(tokenizer, "ja") == []  # a language that writes them keeps them
