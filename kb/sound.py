"""How Korean text sounds, as n-grams of its letters: what a recognizer's misheard words still
share with the written ones.

Recognition errors in Korean are mostly errors of spelling, not of sound: a final consonant moves
to the next syllable (할인 → 하린, 분실 → 분시), a vowel or a tense consonant is swapped (요금 →
요굼, 깨졌어요 → 께졌어요), words are split or joined. Morphemes (the keyword retriever) miss all
of these; letters do not. Each Hangul syllable is decomposed into its jamo, the silent ㅇ that
starts a vowel-initial syllable is dropped (so 할인 and 하린 are both ㅎㅏㄹㅣㄴ), spaces and
punctuation go, and the result is cut into overlapping n-grams. Latin letters and digits stay as
they are (lower-cased).
"""

from __future__ import annotations

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ",
          "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")  # fmt: skip
SILENT = INITIALS.index("ㅇ")
GRAM = 3  # letters per n-gram: about one syllable


def letters(text: str) -> str:
    """`text` as the letters it is spelled with, silent ㅇ and everything that is not a letter or
    a digit left out."""
    out: list[str] = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            initial, medial, final = code // 588, code % 588 // 28, code % 28
            if initial != SILENT:
                out.append(INITIALS[initial])
            out.append(MEDIALS[medial])
            out.append(FINALS[final])
        elif ch.isalnum():
            out.append(ch.lower())
    return "".join(out)


def sound_grams(text: str, n: int = GRAM) -> list[str]:
    """Overlapping n-grams of the letters of `text` (a short text: its letters, if any)."""
    spelled = letters(text)
    if len(spelled) <= n:
        return [spelled] if spelled else []
    return [spelled[i : i + n] for i in range(len(spelled) - n + 1)]
