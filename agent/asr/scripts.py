"""Tokens that write scripts a Korean call transcript never uses: Han ideographs (Hanja, Chinese),
kana, and the alphabets and abugidas of other languages (Greek, Cyrillic, Hebrew, Arabic, the Indic
scripts, Thai, Georgian, Ethiopic …). Whisper's vocabulary is multilingual, and on Korean speech it
is unsure of, the model now and then writes one (회원 탈退하려면, 달아ゴ면, 민원설ю); suppressing
those tokens makes it choose among the Hangul, Latin and digit spellings instead.

Whisper's tokens are byte-level BPE: a token's text is read back through GPT-2's byte-to-character
table. A token is suppressed when its bytes hold such a character, or when they end in the first
bytes of one that can only be such a character (UTF-8 lead bytes CE–DF are U+0380–U+07FF, E0 is
U+0800–U+0FFF, E4–E9 are U+4000–U+9FFF (all Han); E3 81–83 is kana, E1 80–83, 88–B7 and BC–BF
are the foreign parts of U+1000–U+1FFF). Hangul (EA–ED, conjoining jamo E1 84–87, compatibility
jamo E3 84–86), Latin with its accents, digits and punctuation are never touched.
"""

from __future__ import annotations

from functools import cache
from typing import Any

# languages whose transcripts never need these scripts
SUPPRESSED_FOR = frozenset({"ko"})


@cache
def _byte_of_char() -> dict[str, int]:
    """GPT-2's byte-level BPE table, inverted: the character a token's text uses for each byte."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    chars = list(printable)
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {chr(char): byte for byte, char in zip(printable, chars, strict=True)}


# code points never written in a Korean transcript (Hangul jamo U+1100–U+11FF and Latin
# Extended Additional U+1E00–U+1EFF lie between the ranges and are kept)
FOREIGN_RANGES = (
    # Greek, Cyrillic, Armenian, Hebrew, Arabic, … Indic, Thai, Lao, Tibetan, Myanmar, Georgian
    (0x0370, 0x10FF),
    (0x1200, 0x1DFF),  # Ethiopic, Cherokee, Canadian syllabics, Ogham, … Mongolian, Balinese …
    (0x1F00, 0x1FFF),  # Greek Extended
    (0x3040, 0x30FF),  # kana
    (0x31F0, 0x31FF),  # kana extensions
    (0x3400, 0x9FFF),  # Han
    (0xF900, 0xFAFF),  # Han compatibility
)


def _foreign_char(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in FOREIGN_RANGES)


def writes_foreign_script(data: bytes) -> bool:
    """Whether these token bytes write (or begin) a character of a script Korean never uses."""
    if any(_foreign_char(char) for char in data.decode("utf-8", errors="ignore")):
        return True
    tail = _unfinished(data)
    if not tail:
        return False
    lead, second = tail[0], (tail[1] if len(tail) >= 2 else None)
    if 0xCE <= lead <= 0xDF or lead == 0xE0 or 0xE4 <= lead <= 0xE9:
        return True
    if lead == 0xE3:
        return second in (0x81, 0x82, 0x83)
    if lead == 0xE1 and second is not None:
        return 0x80 <= second <= 0x83 or 0x88 <= second <= 0xB7 or 0xBC <= second <= 0xBF
    return False


def _unfinished(data: bytes) -> bytes:
    """The character begun at the end of `data` and not finished there (its first bytes), if any."""
    for back in range(1, min(3, len(data)) + 1):
        byte = data[-back]
        if byte >= 0xC0:  # a lead byte: how many bytes its character takes
            needed = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data[-back:] if back < needed else b""
        if byte < 0x80:  # plain ASCII: nothing unfinished
            return b""
    return b""


def foreign_script_tokens(hf_tokenizer: Any, language: str) -> list[int]:
    """The ids of `hf_tokenizer` (a `tokenizers.Tokenizer` of a Whisper model) to suppress when
    transcribing `language`; none for a language that may need them."""
    if language not in SUPPRESSED_FOR:
        return []
    table = _byte_of_char()
    ids = []
    for token_id in range(hf_tokenizer.get_vocab_size()):
        token = hf_tokenizer.id_to_token(token_id)
        if not token or token.startswith("<|"):
            continue
        try:
            data = bytes(table[char] for char in token)
        except KeyError:  # not a byte-level token
            continue
        if writes_foreign_script(data):
            ids.append(token_id)
    return ids
