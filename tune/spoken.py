"""Spoken-language diversity for synthetic training text: what people say on a service line
beside well-formed sentences.

`conversational(sentence, rng)` turns a generated sentence into one of: a filler up front (어, 음,
그, 저기), a repeated or restarted first word, a self-correction of a number, an unfinished
sentence, zero read as 영 or 공 either way; `extra_utterances(rng)` gives backchannels (네 네, 아
예) and loanword requests common in service calls (앱, 로그인, 유심, 데이터). Every output is what
the speaker says, so it is also the training transcript. Reproducible from the rng.
"""

from __future__ import annotations

import random

FILLERS = ("어", "음", "그", "저기", "아", "저", "그러니까", "저기요", "어 그")
BACKCHANNELS = (
    "네 네", "아 예", "네", "예", "네 맞아요", "아 그래요", "음 그렇군요", "아 네 알겠어요", "네 네 네",
    "예 예", "아 진짜요", "그렇죠", "네 그럼요", "아 잠시만요", "네 듣고 있어요",
)  # fmt: skip
LOANWORDS = (
    "앱", "로그인", "유심", "데이터", "와이파이", "비밀번호", "인증번호", "카카오톡", "업데이트", "핫스팟",
    "블루투스", "포인트", "쿠폰", "멤버십", "이메일", "홈페이지", "아이디", "키오스크", "체크카드", "모바일 청구서",
)  # fmt: skip
LOANWORD_FRAMES = (
    "{w}{i} 안 돼요",
    "{w} 어떻게 하는 거예요",
    "{w} 다시 해 봤는데 안 되더라고요",
    "어제부터 {w}{i} 계속 안 돼요",
    "{w}{eul} 바꾸고 싶은데요",
    "{w} 문제 때문에 전화드렸어요",
    "{w}{eun} 어디서 확인해요",
    "혹시 {w}{eul} 새로 받을 수 있나요",
)
_CORRECTIONS = ("아니", "아니 아니", "아 아니요", "아 잠깐만요")


def _has_final(word: str) -> bool:
    last = word[-1]
    return "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0


def _particles(word: str) -> dict[str, str]:
    final = _has_final(word)
    return {"i": "이" if final else "가", "eul": "을" if final else "를", "eun": "은" if final else "는"}


def loanword_sentence(rng: random.Random) -> str:
    word = rng.choice(LOANWORDS)
    return rng.choice(LOANWORD_FRAMES).format(w=word, **_particles(word))


def extra_utterances(rng: random.Random) -> str:
    """A backchannel or a loanword request, half and half."""
    return rng.choice(BACKCHANNELS) if rng.random() < 0.5 else loanword_sentence(rng)


_DIGIT_WORDS = set("공영일이삼사오육칠팔구")


def _swap_zero(words: list[str], rng: random.Random) -> list[str]:
    """Zero inside a digit string read the other way (공 ↔ 영), as people do."""
    out = []
    for word in words:
        if len(word) >= 2 and set(word) <= _DIGIT_WORDS and rng.random() < 0.5:
            word = word.replace("공", "#").replace("영", "공").replace("#", "영")
        out.append(word)
    return out


def conversational(sentence: str, rng: random.Random) -> str:
    """`sentence` as it might be said: one or two of the spoken patterns, chosen by `rng`."""
    words = sentence.split()
    if not words:
        return sentence
    words = _swap_zero(words, rng)
    pattern = rng.random()
    if pattern < 0.3:
        words = [rng.choice(FILLERS), *words]
    elif pattern < 0.45:  # a word said twice, or a restart
        at = rng.randrange(min(3, len(words)))
        words = [*words[: at + 1], words[at], *words[at + 1 :]]
    elif pattern < 0.6 and len(words) >= 3:  # a self-correction: a word, a correction word, then right
        at = rng.randrange(len(words) - 1)
        wrong = words[at + 1] if words[at + 1] != words[at] else words[at][: max(1, len(words[at]) - 1)]
        words = [*words[:at], wrong, rng.choice(_CORRECTIONS), *words[at:]]
    elif pattern < 0.72 and len(words) >= 4:  # unfinished: trails off
        words = words[: rng.randrange(2, len(words) - 1)]
        if rng.random() < 0.5:
            words.append(rng.choice(("그", "그러니까", "음", "어")))
    if rng.random() < 0.2:
        words.insert(rng.randrange(1, len(words) + 1), rng.choice(("어", "음", "그", "저")))
    return " ".join(words)


def spoken_sentences(sentences: list[str], share: float, seed: int) -> list[str]:
    """`share` of `sentences` made conversational; of those, one in five replaced by a backchannel or
    a loanword request instead."""
    rng = random.Random(seed * 7919 + 1)
    out = []
    for sentence in sentences:
        if rng.random() >= share:
            out.append(sentence)
        elif rng.random() < 0.2:
            out.append(extra_utterances(rng))
        else:
            out.append(conversational(sentence, rng))
    return out
