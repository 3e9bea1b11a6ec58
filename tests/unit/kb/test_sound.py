"""Letters of Korean text: what a misheard word still shares with the written one."""

from kb.sound import letters, sound_grams


def test_syllables_become_letters_without_the_silent_initial() -> None:
    assert letters("할인") == letters("하린") == "ㅎㅏㄹㅣㄴ"  # a final consonant moved on
    assert letters("요금 안내") == "ㅛㄱㅡㅁㅏㄴㄴㅐ"  # spaces go, ㅇ before a vowel is silent
    assert letters("KT 5G!") == "kt5g"


def test_grams_overlap_where_spelling_differs_but_sound_does_not() -> None:
    written, heard = set(sound_grams("분실 신고")), set(sound_grams("분시 신고"))
    assert len(written & heard) / len(written | heard) > 0.5
    assert sound_grams("") == [] and sound_grams("가") == ["ㄱㅏ"]
