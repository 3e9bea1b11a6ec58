"""Does a customer's final ask for something? Questions, requests and problem statements trigger a
suggestion; backchannels, greetings and thanks do not.

Korean marks these mostly at the end of the sentence (…나요, …까요, …주세요, …싶어요) and with
a few problem words (안 돼요, 고장, 많이 나왔…). Rules, not a model: cheap, predictable, and
easy to extend per deployment.
"""

from __future__ import annotations

import re
from enum import StrEnum


class TriggerKind(StrEnum):
    QUESTION = "question"
    REQUEST = "request"
    PROBLEM = "problem"


_QUESTION_END = re.compile(
    r"(?:나요|까요|가요|죠|지요|습니까|ㅂ니까|니까|는데요|은데요|던데요|어요|아요|여요|해요|예요|에요|이에요|래요|대요|"
    r"세요|나|니|냐|지|가|까)\s*\?|(?:나요|까요|인가요|는가요|을까요|ㄹ까요|습니까|할까요|될까요|되나요|있나요|없나요|"
    r"어떡하죠|어떻게 해요|어떻게 하죠|어떻게 돼요|얼마예요|얼마에요|언제예요|언제에요|어디예요|어디에요|뭐예요|뭐에요|"
    r"왜요|되죠|거죠|건가요|는지요|을지요|수 있어요|돼요|되요|있어요|필요해요)\s*[.!~…]*$"
)
_QUESTION_WORDS = re.compile(r"(?:^|\s)(?:왜|어떻게|얼마|언제|어디|무슨|뭐|어느|몇|어떤)(?:\s|$|[가-힣])")
_POLITE_END = re.compile(r"요\s*[.!~…]*$")
_REQUEST = re.compile(
    r"(?:주세요|주시겠어요|주실 수|줄 수|주실래요|싶어요|싶은데요|싶은데|싶습니다|하려고요|하려고 하는데요|하려는데요|"
    r"려고 하는데요|려고요|부탁드려요|부탁드립니다|부탁해요|알려 ?주|해 ?줘|가능한가요|가능할까요|가능해요|될까요|"
    r"해야 돼요|해야 하나요|하면 돼요|하면 되나요|하면 되죠)"
)
_PROBLEM = re.compile(
    r"(?:안 ?돼요|안 ?되는데|안 ?되고|안 ?돼서|안 ?되네요|안 ?나와요|안 ?터져요|안 ?와요|고장|문제가|오류|에러|"
    r"많이 나왔|너무 많이|비싸|억울|이상해요|이상하게|잘못|끊겼|끊겨요|느려요|잃어버|분실|도난|해킹|사기|피싱|"
    r"모르는 (?:결제|돈|요금)|청구됐|빠져나갔|부과됐|못 (?:받|쓰|써|내)|배나 나왔|평소보다|검찰|보이스피싱|"
    r"보내라는|해지하려|당했)"
)
_BACKCHANNEL = re.compile(
    r"^(?:네+|예+|아+|음+|응|어+|그렇죠|그렇군요|그렇구나|알겠습니다|알겠어요|감사합니다|고맙습니다|괜찮아요|"
    r"아니요 없어요|없어요|여보세요|안녕하세요|수고하세요|좋은 하루 보내세요|정말요|진짜요|그래요|그런가요|"
    r"잠깐만요|잠시만요)(?:[\s.,!?~…]|네|요|감사합니다)*$"
)
MIN_CHARS = 4


def classify_turn(text: str) -> TriggerKind | None:
    """Why this customer final should trigger a suggestion, or None."""
    found = find_ask(text)
    return found[0] if found else None


def find_ask(text: str) -> tuple[TriggerKind, str] | None:
    """The kind of ask and the sentence that makes it (the latest one that asks), or None."""
    text = " ".join(text.split())
    if len(text.replace(" ", "")) < MIN_CHARS or _BACKCHANNEL.match(text):
        return None
    sentences = [s for s in re.split(r"(?<=[.!?…])\s+", text) if s]
    for sentence in reversed(sentences):  # the latest sentence says what the customer wants now
        kind = _sentence_kind(sentence)
        if kind is not None:
            return kind, sentence
    return None


def _sentence_kind(sentence: str) -> TriggerKind | None:
    if _BACKCHANNEL.match(sentence):
        return None
    if _PROBLEM.search(sentence):
        return TriggerKind.PROBLEM
    if _REQUEST.search(sentence):
        return TriggerKind.REQUEST
    if sentence.rstrip().endswith("?") or _QUESTION_END.search(sentence):
        return TriggerKind.QUESTION
    if _QUESTION_WORDS.search(sentence) and _POLITE_END.search(sentence):
        return TriggerKind.QUESTION
    return None
