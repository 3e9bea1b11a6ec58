"""Does a customer's final ask for something? Questions, requests and problem statements trigger a
suggestion; backchannels, greetings and thanks do not.

Korean marks these mostly at the end of the sentence (…나요, …까요, …주세요, …싶어요); problems
by negation (안 열려요, 못 받았어요, 적용되지 않아요, 연락이 없어요), by verbs of damage and failure
(박았어요, 긁혔어요, 깨졌어요, 새요, 먹통이에요), by charges (이만 원이나 더 나왔어요) and by
complaint words (답답해요, 곤란하죠). Recognized speech has no punctuation, so no rule needs it.

Two tiers. The rules decide what they can: an ask (of a kind), or clearly not one (backchannels,
agreement, too short). What they cannot tell goes to `SemanticTriggers` when a semantic embedder
is configured: the nearest labelled exemplars (`data/trigger_exemplars.jsonl`, extendable per
deployment) in the embedder's space vote. Recognized speech words a problem in endless ways; the
exemplars generalize where word lists do not. Measured on labelled sets, typed and recognized:
`callassist triggers eval`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from kb.embedders.base import embed_queries
from kb.embedders.cache import VectorCache, embed_cached


class TriggerKind(StrEnum):
    QUESTION = "question"
    REQUEST = "request"
    PROBLEM = "problem"


_QUESTION_END = re.compile(
    r"(?:나요|까요|가요|죠|지요|습니까|ㅂ니까|니까|는데요|은데요|던데요|어요|아요|여요|해요|예요|에요|이에요|래요|대요|"
    r"세요|나|니|냐|지|가|까)\s*\?|(?:나요|까요|인가요|는가요|을까요|ㄹ까요|습니까|할까요|될까요|되나요|있나요|없나요|"
    r"어떡하죠|어떻게 해요|어떻게 하죠|어떻게 돼요|얼마예요|얼마에요|언제예요|언제에요|어디예요|어디에요|뭐예요|뭐에요|"
    r"왜요|되죠|거죠|건가요|는지요|을지요|수 있어요|수 있나|(?<![고어아여져워에] )있어요|돼요|되요|필요해요|있나|없나|되나|하나|되죠|하죠)\s*[.!~…]*$"
)
_QUESTION_WORDS = re.compile(
    r"(?:^|\s)(?:왜|어떻게|얼마|언제|어디|무슨|뭐|뭘|어느|몇|어떤|누가|누구|무엇)(?:\s|$|[가-힣])"
)
_POLITE_END = re.compile(r"요\s*[.!~…]*$")
_REQUEST = re.compile(
    r"(?:주세요|주시겠어요|주실 수|줄 수|주실래요|주셨으면|싶어요|싶은데요|싶은데|싶어서|싶습니다|하려고요|하려고 하는데요|"
    r"하려는데요|려고 하는데요|려고요|려고 전화|려고 연락|부탁드려요|부탁드립니다|부탁드릴게요|부탁해요|부탁할게요|"
    r"알려 ?주(?!셔서|어서|셨)|해 ?줘|가능한가요|가능할까요|가능해요|될까요|해야 돼요|해야 하나요|하면 돼요|하면 되나요|하면 되죠|"
    r"으면 좋겠|했으면 해요)"
)
_PROBLEM = re.compile(
    r"(?:안 ?돼요|안 ?되는데|안 ?되고|안 ?돼서|안 ?되네요|안 ?나와요|안 ?터져요|안 ?와요|고장|문제가|오류|에러|"
    r"많이 나왔|너무 많이|비싸|억울|이상해요|이상하게|잘못|끊겼|끊겨요|끊어져|끊어졌|느려요|잃어버|분실|도난|해킹|사기|피싱|"
    r"모르는 (?:결제|돈|요금)|청구됐|빠져나갔|부과됐|못 (?:받|쓰|써|내)|배나 나왔|평소보다|검찰|보이스피싱|"
    r"보내라는|해지하려|당했|"
    # negation of what should happen: 안 열려요, 못 찾겠어요, 적용되지 않아요
    r"(?:^|\s)(?:안|못) (?!되면|돼도|되도|해도|하셔도)[가-힣]|지 ?(?:않아|않았|않네|않는|않고|않은|못했|못해)|자꾸|계속 (?:올라|나가|빠져|청구|부과|떠|뜨|끊|꺼|울려|안 )|"
    # something expected is missing: 물건이 없어요, 연락이 없었어요, 기록이 없다고
    r"[가-힣][이가] (?:아직 |전혀 |하나도 )?없(?:어|었|다|대|네|는데)|"
    # damage, failure, accidents
    r"사고|박았|들이받|찍혔|긁혔|긁혀|깨졌|깨져|부서|망가|젖어|찢어|찢겨|새요|새고|샜어|빠졌|빠진 것|먹통|"
    r"멈췄|멈춰|꺼졌|꺼져|튕겨|잠겼|잠겨|변했|조각 났|고장 났|흠집|냄새가|결항|지연|누락|파손|엉뚱한|다른 게 왔|"
    r"다른 물건|떠요|뜨는데|안 ?들려|안 ?보여|"
    # charges and complaints
    r"원이?나 (?:더 )?나왔|더 나왔|답답|곤란|화가 나|짜증|황당|어이없|너무하|불편해|심해요|심하네)"
)
_AGREEMENT = re.compile(
    r"^(?:(?:네|예|좋아요|좋습니다|그럼|아)\s+)*(?:그렇게|그걸로|그대로)\s+(?:진행|처리)?\s?(?:해\s?주세요|해\s?주시면 돼요|할게요)\s*[.!~…]*$"
)
_BACKCHANNEL = re.compile(
    r"^(?:네+|예+|아+|음+|응|어+|그렇죠|그렇군요|그렇구나|알겠습니다|알겠어요|감사합니다|고맙습니다|괜찮아요|"
    r"아니요 없어요|없어요|여보세요|안녕하세요|수고하세요|좋은 하루 보내세요|정말요|진짜요|그래요|그런가요|"
    r"잠깐만요|잠시만요)(?:[\s.,!?~…]|네|요|감사합니다)*$"
)
# Thanks, then the customer's own next step (…ㄹ게요 on a syllable ending in ㄹ): a call closing.
_RIEUL_FINAL = "".join(chr(0xAC00 + i) for i in range(11172) if i % 28 == 8)  # 갈, 할, 볼, 드릴 …
_THANKS = re.compile(r"감사합니다|감사해요|고맙습니다|고마워요|고맙네요|감사드려요|감사드립니다")
_OWN_NEXT_STEP = re.compile(rf"[{_RIEUL_FINAL}] ?[게께]요\s*[.!~…]*$")
# What the customer says to the agent, not asks of them: permission (천천히 하셔도 돼요), an offer
# (번호 불러 드릴게요), a choice made (그 요금제로 할게요).
_NOT_AN_ASK = re.compile(
    r"(?:셔도 (?:돼요|되요|괜찮아요|됩니다)|드릴 ?[게께]요|드리겠습니다|(?:으로|로) (?:할 ?[게께]요|하겠습니다))"
    r"\s*[.!~…]*$"
)
MIN_CHARS = 4


def classify_turn(text: str) -> TriggerKind | None:
    """Why this customer final should trigger a suggestion, or None (the rules alone)."""
    found = find_ask(text)
    return found[0] if found else None


def rule_verdict(text: str) -> tuple[TriggerKind | None, bool]:
    """What the rules know: `(kind, True)` for an ask, `(None, True)` for what is clearly not one
    (too short, a backchannel, agreement with the agent, permission, an offer or a choice made,
    thanks with the customer's own next step), `(None, False)` when they cannot tell."""
    text = " ".join(text.split())
    if len(text.replace(" ", "")) < MIN_CHARS or _BACKCHANNEL.match(text) or _AGREEMENT.match(text):
        return None, True
    kind = classify_turn(text)
    if kind is None and (_NOT_AN_ASK.search(text) or (_THANKS.search(text) and _OWN_NEXT_STEP.search(text))):
        return None, True  # "감사합니다 다음에는 미리 신청할게요": thanks and a promise, nothing asked
    return kind, kind is not None


EXEMPLARS = Path(__file__).parent / "data" / "trigger_exemplars.jsonl"


@dataclass(frozen=True)
class Exemplar:
    text: str
    kind: TriggerKind | None  # None: not an ask


def load_exemplars(path: Path = EXEMPLARS) -> list[Exemplar]:
    """JSON lines `{"text": …, "trigger": true|false, "kind": "question|request|problem|…"}`."""
    out = []
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            ask = bool(row["trigger"])
            kind = TriggerKind(row.get("kind", "question")) if ask else None
            out.append(Exemplar(str(row["text"]), kind))
        except (json.JSONDecodeError, KeyError, ValueError) as exc:
            raise ValueError(f"{path}:{number}: expected text, trigger and kind ({exc})") from None
    return out


class SemanticTriggers:
    """k nearest labelled exemplars vote: an ask when at least half of them are asks, of the kind
    most of those asks have. Blocking (it embeds): call it from a worker thread."""

    def __init__(
        self, embedder: Any, exemplars: Sequence[Exemplar], k: int = 5, cache: VectorCache | None = None
    ) -> None:
        if not exemplars:
            raise ValueError("semantic triggers need labelled exemplars")
        self._embedder, self._exemplars, self._k = embedder, list(exemplars), min(k, len(exemplars))
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()
        self._cache = cache  # exemplar vectors kept by embedder and text

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(embed_queries(self._embedder, list(texts)), dtype=np.float32)

    def warm_up(self) -> None:
        with self._lock:
            if self._vectors is None:
                texts = [e.text for e in self._exemplars]
                self._vectors = embed_cached(self._embedder, texts, self._cache, queries=True)

    def classify(self, text: str) -> TriggerKind | None:
        self.warm_up()
        assert self._vectors is not None
        similarity = self._vectors @ self._encode([" ".join(text.split())])[0]
        nearest = np.argsort(-similarity)[: self._k]
        asks = [self._exemplars[i].kind for i in nearest if self._exemplars[i].kind is not None]
        if 2 * len(asks) < self._k:
            return None
        return max(TriggerKind, key=lambda kind: (asks.count(kind), -list(TriggerKind).index(kind)))


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
    if _BACKCHANNEL.match(sentence) or _AGREEMENT.match(sentence):
        return None
    if _PROBLEM.search(sentence):
        return TriggerKind.PROBLEM
    if _REQUEST.search(sentence):
        return TriggerKind.REQUEST
    if _NOT_AN_ASK.search(sentence):  # before the question endings: 하셔도 돼요 is no question
        return None
    if sentence.rstrip().endswith("?") or _QUESTION_END.search(sentence):
        return TriggerKind.QUESTION
    if _QUESTION_WORDS.search(sentence) and _POLITE_END.search(sentence):
        return TriggerKind.QUESTION
    return None
