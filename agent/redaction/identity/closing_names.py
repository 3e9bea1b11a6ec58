"""A full name closing the sentence, its cue said earlier in it: 아들 이름으로 가입했는데
기준우예요, 예약은 우리 남편 명의로 했어요 국 진우요; and, said apart with its copula, after the
speaker speaking of themself (저는 김 씨 집안 막내 김 단비예요)."""

from __future__ import annotations

import re

from agent.redaction.identity.name_shape import (
    OPEN_SYLLABLES,
    SURNAME,
    SURNAME_2,
    given_name_shaped,
    is_name,
    names_a_thing,
)
from agent.redaction.identity.spans import IdentityKind, IdentitySpan

# A name cue earlier in the sentence and a full name closing it (아들 이름으로 가입했는데 기준우예요):
# three syllables, then a copula and the sentence's end.
_FAR_CUE = re.compile(
    r"(?:이름|성함|존함|함자|실명(?:\s?인증)?|명의(?:\s?자)?"
    r"|받(?:을|는|으실)\s?(?:사람|분)"  # 받을 사람은 저 말고 룸메이트 봉 서진으로 적어 주세요
    r"|예약(?=[은이])"  # 예약은 함 정우로 돼 있을 거예요
    r"|(?:서류|신청서|계약서|가입서|청구서)(?=에는|에|엔))"  # 서류에는 여 준서로 적혀 있을 거예요
    r"(?:에는|엔|에)?(?:은|는|이|가|을|도|으로|로|예요|이에요|입니다)?\s"
)
# … and a request to write it down right after the cue, which the name answers as a question would
# (동생 이름도 넣어 주세요 빈 하람이요 쌍둥이예요)
_WRITE_REQUEST = re.compile(
    r"(?:[가-힣]{1,4}\s){0,2}?(?:넣어|적어|올려|써|추가해|바꿔)\s?(?:주세요|줘요|주시고|주실래요|주시겠어요)[,.]?\s"
)
# … and, for a name said apart only, the speaker speaking of themself (저는 김 씨 집안 막내 김 단비예요)
_FAR_SELF_CUE = re.compile(r"(?:^|(?<=\s))(?:저는|전)\s")
_SAID = r"(?:이라|라)고\s?(?:요|해요|합니다|하더라고요)"  # 윤 재석이라고요
_WRITTEN = r"(?:해\s?주|적어|써\s?놨|써\s?주|올려|등록|바꿔|변경|돼\s?있|되어\s?있|적혀|쓰여)"  # 함 정우로 돼 있을 거예요
_CLOSING_NAME = re.compile(  # 국 진우요: said apart, judged by its given name (not 이 정도예요)
    rf"(?<![가-힣])(?P<name>{SURNAME}[가-힣]{{2}}|(?P<apart>{SURNAME_2}\s[가-힣](?=으로|이에요|이요|이고요|입니다|이라)|{SURNAME}\s[가-힣]{{2}}))"  # 남궁 혁으로"
    rf"(?:(?:이에요|이예요|예요|입니다|이고요|이요|이오|\s?[씨시](?:예요|에요|이에요|입니다)|(?P<bare>요)|{_SAID})(?=\s?[.?!]?\s*$|[.?!])"  # 성기현시예요: 씨 heard 시
    rf"|(?P<written>(?:으로|로)(?P<verb>\s?{_WRITTEN})?)"  # 탁 지민으로 해 주세요: what to write
    r"|(?P<past>이었|였)(?=던|어요|는데|고|다|나|지)"  # 연 우진이었던 것 같아요: said in the past
    r"|(?P<answered>이요|이에요|예요|입니다)(?=\s)"  # mid-answer (소 예준이요 일곱 살이에요), asked only
    r"|(?P<plain>(?=[.?!]?\s*$)))"  # said alone to end the answer (우리 딸 거예요 염 다온.), asked only
)
FAR_CUE_CHARS = 40


def closing_names(text: str, *, agent: bool, answer_at: int | None = None) -> list[IdentitySpan]:
    """A full name closing the sentence after a cue earlier in it (아들 이름으로 가입했는데 기준우예요),
    or, said apart with its copula, after the speaker speaking of themself (저는 … 김 단비예요).
    `answer_at`: where the answer to a question for a name starts: the question is the cue (제 거
    아니고 언니 거예요 설 지아요)."""
    found: list[IdentitySpan] = []
    far_cues = [(far.start(), far.end(), False) for far in _FAR_CUE.finditer(text)]
    if not agent:
        far_cues += [(far.start(), far.end(), True) for far in _FAR_SELF_CUE.finditer(text)]
    if answer_at is not None:
        far_cues.append((answer_at, answer_at, False))
    for cue_start, cue_end, apart_only in far_cues:
        if cue_start != cue_end and names_a_thing(text, cue_start):
            continue
        # the first name in reach that reads as one (not 어린이예요 before 소 예준이요)
        asked = cue_start == cue_end or (not apart_only and _WRITE_REQUEST.match(text, cue_end) is not None)
        for closing in _CLOSING_NAME.finditer(text, cue_end, cue_end + FAR_CUE_CHARS):
            if _reads_as_closing_name(closing, cue_end, apart_only=apart_only, asked=asked):
                found.append(IdentitySpan(closing.start("name"), closing.end("name"), IdentityKind.NAME))
                break
    return found


def _reads_as_closing_name(closing: re.Match[str], cue_end: int, *, apart_only: bool, asked: bool) -> bool:
    """Whether a name-shaped match after a cue is a name: `apart_only` after 저는, `asked` after the
    agent's question (the only cue a name in mid-answer may follow)."""
    if apart_only and (closing.group("apart") is None or closing.group("bare")):
        return False  # after 저는: a name said apart with its copula (김 단비예요), not a bare 요
    name = closing.group("name")
    if name.endswith("님"):  # 여사님이요: a title, not a name
        return False
    # 인천에 사세요 heard 사하세요: a verb's 세요 (not 이세요 after a name: 성함이 택지 원이세요)
    if closing.group("bare") and name.endswith("세") and not name.endswith("이세"):
        return False
    # what to write (탁 지민으로 해 주세요, 봉미선으로 써 놨어요): without its verb (써 놨어요 heard
    # 선왔어요) only right after its cue (제 이름을 봉미선으로); further on with its verb, of a given
    # name's syllables (이름은 선장님한테 말해 둔 대로 봉태구로 해 주세요), not a plan's name (요금제만
    # 최신형으로 바꿔 주세요), nor a span of time (예약은 반나절로 해 주세요)
    if closing.group("written"):
        if closing.start() != cue_end and not closing.group("verb"):
            return False
        if not given_name_shaped(name):
            return False
    if (closing.group("past") or closing.group("answered")) and not given_name_shaped(name):
        return False  # 정도였던, 기본형이요: words, not names
    if (closing.group("answered") or closing.group("plain") is not None) and not asked:
        return False
    if closing.group("plain") is not None and (closing.group("apart") is None or not given_name_shaped(name)):
        return False  # said apart, of a given name's syllables (염 다온), not 이 정도.
    # 기현우요: a bare 요 after a name ending in an open syllable, of given names' syllables;
    # not a word and its copula (신규예요, 일반이요)
    if closing.group("bare") is not None and (
        name[-1] in "예이" or name[-1] not in OPEN_SYLLABLES or not given_name_shaped(name)
    ):
        return False
    # said apart: a given name's syllables (국 진우요), not an ordinary word (이 정도예요)
    if closing.group("apart") is not None:
        return given_name_shaped(name)
    return is_name(name)
