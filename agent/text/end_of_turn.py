"""Has a Korean speaker finished the sentence? Judged from the last word of what was recognized at a
pause, by its ending, so the silence that ends an utterance can be short after a finished sentence
and long after an unfinished one.

- `COMPLETE`: a sentence-final ending (polite -요, -습니다/-ㅂ니다, -죠, -까, -네, plain -다/-지/-야
  and the like), a short answer (네, 예, 아니요, 감사합니다 …), or a question mark.
- `INCOMPLETE`: a case particle (은/는/이/가/을/를/에/에서/으로 …), a connective ending
  (-고, -는데, -서, -면, -지만, -니까, -려고 …), a hesitation (음, 어, 그, 저기 …), a number being
  read (digits or a run of Sino-Korean numerals: 공일공 …), or a trailing comma or ellipsis.
- `UNKNOWN`: anything else (a bare noun, no text): the default silence applies.

A wrong `INCOMPLETE` costs latency (the long silence); a wrong `COMPLETE` can split a sentence when
the speaker goes on. So where an ending is both (the plain -데, -게, -어/-아), the rules lean to
incomplete or unknown. Plain string operations on the last 256 characters: constant time per judgement.
"""

from __future__ import annotations

from enum import Enum


class TurnEnd(Enum):
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    UNKNOWN = "unknown"


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# whole last words
_ANSWERS = _words(
    "네 넵 예 응 어어 아니요 아니오 아뇨 맞아요 맞습니다 그래요 좋아요 됐어요 알겠습니다 감사합니다 고맙습니다 "
    "여보세요 수고하세요 안녕하세요 죄송합니다 괜찮아요 그럼요 물론이죠"
)
_HESITATIONS = _words(
    "음 음음 어 아 에 엄 그 저 저기 거기 그게 그러니까 그니까 뭐 뭐지 막 좀 이제 약간 혹시 그리고 그래서 근데 그런데 "
    "그러면 그럼 아니 일단 사실 제가 저는 이게 그거 아까 다시 지금 거의 한 한번 정말 진짜 너무"
)
# endings of the last word, longest first within each list where one contains another
# (-지, -나, -니, -자, -걸, -오 also end sentences, but as many nouns end so: 메시지, 하나, 어머니,
# 이자, 그걸, 라디오; those stay unknown)
_COMPLETE_ENDINGS = ("요", "니다", "죠", "까", "네", "다", "래", "야", "냐")
_POLITE_QUESTION = ("습니까", "ㅂ니까", "입니까", "합니까", "됩니까", "십니까")
_INCOMPLETE_ENDINGS = (
    # connective endings
    "는데",
    "은데",
    "ㄴ데",
    "던데",
    "니까",
    "으니까",
    "지만",
    "면서",
    "려고",
    "으려고",
    "도록",
    "거나",
    "든지",
    "다가",
    "자마자",
    "고",
    "서",
    "면",
    "며",
    "게",
    "데",
    # particles
    "에서",
    "에게",
    "한테",
    "께서",
    "으로",
    "이랑",
    "하고",
    "부터",
    "까지",
    "처럼",
    "보다",
    "마다",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "에",
    "의",
    "도",
    "만",
    "와",
    "과",
    "로",
    "랑",
)
_NUMERALS = frozenset("공영일이삼사오육칠팔구십백천만억")
_TAIL_CHARS = 256  # the last words are all that is read
_CLOSERS = "\"'”’)]}」』"
_SENTENCE_MARKS = ".?!。？！"
_CONTINUING_MARKS = (",", "…", "...", "·", "-", "~")


def judge(text: str | None) -> TurnEnd:
    """Whether `text` (what was said up to a pause) ends a sentence."""
    stripped = (text or "")[-_TAIL_CHARS:].strip().rstrip(_CLOSERS).rstrip()
    if not stripped:
        return TurnEnd.UNKNOWN
    if stripped.endswith(_CONTINUING_MARKS):
        return TurnEnd.INCOMPLETE
    question = stripped.endswith(("?", "？"))
    words = stripped.rstrip(_SENTENCE_MARKS + " ").split()
    if not words:
        return TurnEnd.UNKNOWN
    word = words[-1].rstrip(_SENTENCE_MARKS)
    if word in _ANSWERS:
        return TurnEnd.COMPLETE
    if word in _HESITATIONS:
        return TurnEnd.INCOMPLETE
    if _is_number(word) or (
        len(words) > 1 and _is_number(words[-2]) and len(word) <= 2 and set(word) <= _NUMERALS
    ):
        return TurnEnd.INCOMPLETE
    if word.endswith(_POLITE_QUESTION):
        return TurnEnd.COMPLETE
    if word.endswith(_INCOMPLETE_ENDINGS):  # ("-고요", "-는데요" end with 요: polite sentence ends)
        return TurnEnd.INCOMPLETE
    if word.endswith(_COMPLETE_ENDINGS) or question:
        return TurnEnd.COMPLETE
    # a full stop is no evidence: a recognizer puts one after most fragments it hears end
    return TurnEnd.UNKNOWN


def _is_number(word: str) -> bool:
    """Digits, or two or more Sino-Korean numerals in a row (a number being read out)."""
    core = word.rstrip(_SENTENCE_MARKS)
    if any(ch.isdigit() for ch in core[-1:]):
        return True
    return len(core) >= 2 and set(core) <= _NUMERALS
