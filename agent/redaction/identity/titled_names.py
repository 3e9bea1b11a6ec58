"""Names before what is said of a person: 님, 씨 (heard 시 too), 고객님, or a title such as 과장님 or
선생님 (봉미란 과장님, 도 지원 님, 여상철시라고), and a surname said alone with 씨 after 성은/성이."""

from __future__ import annotations

import re

from agent.redaction.identity.name_shape import (
    CONFIRMED,
    OPEN_SYLLABLES,
    SURNAME,
    VERB_ENDING,
    reads_as_name,
    shaped_names,
)
from agent.redaction.identity.name_words import SURNAMES_1, SURNAMES_2, TITLES
from agent.redaction.identity.spans import IdentityKind, IdentitySpan, spans_of

# a title after a person's name (봉미란 과장님); not 사장, 원장, 기사: a shop's as often (부동산 사장님)
_PERSON_TITLE = r"(?:과장|대리|부장|차장|팀장|실장|주임|계장|선생|쌤|교수|여사|간호사|매니저|변호사|세무사|회계사|수간호사|대표|이사|기사|주무관|상담사|상담원|코치|강사|단장|세대주|어르신|선배|후배|피디|작가|감독|트레이너|디자이너|프로|주무원|신부|목사|전도사|수녀)"  # 주무원: 주무관 as heard; a parish's priest or pastor (안 정우 신부님)
# after a cue's name: its title (감순례 여사님) or the speaker confirming it (서문경아 맞습니다)
TITLE_OR_CONFIRMED = rf"\s?{_PERSON_TITLE}님|\s{CONFIRMED}"
# a sentence's end is no name before a title (못 온대요 기사님 …)
_NOT_SENTENCE_END = "(?<![요다죠까])"
# a full name before a person's title (지난번 상담해 주신 분이 봉미란 과장님이었어요, 국하늘 선생님께),
# with 님 or said of them (채수빈 주임이라고 하던데요, 명재희 팀장이었어요) or of their name (함태경 대리
# 이름으로 했어요; 직원 glued to it as heard: 담당 직원함태경 대리)
_NAME_BEFORE_TITLE = re.compile(
    rf"(?:(?<![가-힣])|(?<=직원|담당))(?P<name>{SURNAME}\s?[가-힣]{{2}}){_NOT_SENTENCE_END}\s?{_PERSON_TITLE}"  # glued as heard: 여승민이사님
    r"(?:님|이?라[고는]|이?\s?나\s?고|이었|이에요|예요|이세요|이신|이고|인데|이(?=\s)|께서|한테|에게|(?<=어르신)(?=\s)|(?=\s(?:이름|명의|앞으로)))"  # 이라고 heard 이나 고; 천 병렬 어르신 …
)
# a name said apart from its surname before a role that a shop, an office or a school gives (곽 철민
# 사장님이고, 곽 민철 소장님이었어요, 은 채린 학생), or a person's title with a particle (점검 기사 하
# 준석 기사가 갑니다): 사장, 원장 after a name glued (부동산 사장님) are as often a shop's, so only said apart
_APART_NAME_BEFORE_ROLE = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}\s[가-힣]{{2}})\s(?:사장|원장|점장|소장|관장|국장|이장|학생|환자|어린이|손님|회원|{_PERSON_TITLE})(?:님)?"
    r"(?=\s|이|은|는|가|도|의|께|한테|에게|고\s|였|예요|라고|$)"  # 설 민아 대리고: 이고 after an open syllable
)
# … or glued, before such a role the agent checks (소민서 학생 맞으시죠, 김하준 환자분 본인이세요)
_NAME_BEFORE_ROLE_CHECKED = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}[가-힣]{{2}})\s(?:학생|환자|어린이|회원|수강생|원생)(?:분|님)?\s?"
    rf"(?:{CONFIRMED}|맞으시|맞으세요|맞나요|본인)"
)
# … and with its surname misheard (운제성 팀장님이라서 for 윤재성): any first syllable, then two of a
# given name's, before a person's title with 님 (not a sentence's end: 못 온대요 기사님 …)
# (맞동현 고객님 본인 맞으십니까: 마 동현 heard), or before 고객님 as the agent checks who it is;
# not what was done with them (통화한 상담사님, 방문한 기사님: a verb's 한)
_HEARD_NAME_BEFORE_TITLE = re.compile(
    rf"(?<![가-힣])(?P<name>[가-힣]{{3}})(?<!한){_NOT_SENTENCE_END}\s(?:{_PERSON_TITLE}님|고객님(?=\s?(?:본인|맞으|맞습|맞죠|이시죠|되시죠)))"
)
# a full name and the honorific copula after who the person is here (대표님은 복 정훈이세요, 원장님이 노 은숙이세요)
_TITLE_TOPIC_NAME = re.compile(
    r"(?:대표|사장|원장|팀장|과장|부장|실장|선생|교수|기사|회장|이사|소장|관장|센터장|점장|매니저|담당자)님(?:은|는|이)\s"
    rf"(?P<name>{SURNAME}\s?[가-힣]{{2}})(?=이세요|세요|이십니다|이시고|이시거든요|이신데)"
)
# 씨 heard 시 after a full name whose last syllable is closed (여상철시라고 하던데): after an open
# one, 시 is the honorific (전문가시라고)
_NAME_HEARD_SI = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}(?:\s?[가-힣]{{2}}|[가-힣]\s[가-힣]))(?<![{OPEN_SYLLABLES}])\s?시"  # 설만 봉시라고: split as heard
    rf"(?=라고|였|이었|한[테태]|께서|고\s|고요|가\s|\s{CONFIRMED}|이에요|예요|요(?![가-힣]))"  # 씨고 heard 시고; 전 보람시가, 변상육시 맞죠; 방기철시이에요; 용만 식시요
)
# … and after an open one too when a person was just named by what they are (경비 아저씨가 우창호시라고
# 하셨어요, 거래처 사장님 좌영호시고 …; 씨 heard 시), or 시로 after a closed one (왕서현시로 해 주세요)
_PERSON_THEN_NAME_HEARD_SI = re.compile(
    r"(?:아저씨|아주머니|사장님|기사님|주인분|집주인|주인|담당자|직원)(?:이|가|은|는)?\s"
    rf"(?P<name>{SURNAME}\s?[가-힣](?![가사원관장생]시)[가-힣])시(?=라고|고\s|로\s|였|예요|이에요|요(?![가-힣]))"  # not 전문가시라고
)
_NAME_HEARD_SI_TO = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}[가-힣]{{2}})(?<![{OPEN_SYLLABLES}])시로\s(?:해|바꿔|바뀌|돼|되|적어|올려|넣어|변경)"
)
# the surname alone after 성은/성이 with 씨, or 씨 heard 시 (성은 마 씨예요, 성이 봉시라고)
_SURNAME_ALONE = re.compile(
    rf"(?<=성[은이]\s)(?P<name>[{SURNAMES_1}])\s?[씨시](?=라고|예요|이에요|고요|고\s|요)"
)
# where 님 ends a word: nothing after it, or a particle or a copula (님이, 님께, 님도; not 오님팩)
_WORD_ENDS = r"(?:(?![가-힣])|(?=[이께은는도한의을과요만으에들처랑하]|덕분))"  # 님덕분에: glued
_TITLED_NAME = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}(?:[가-힣]{{1,3}}|\s[가-힣]{{1,2}}|[가-힣]\s[가-힣]{{1,2}}))\s?(?=고객님|님{_WORD_ENDS}|씨(?![발팔빨])|손님|회원님|고객\s?(?:맞|이시|되시))"
)
# 제 지도교수님, 제 담당 선생님: "my" and the first word of a compound title, no name said apart;
# 이 건은 상담원 선에서: "this matter"
_MY_TITLE_HEADS = frozenset(
    (
        *(f"제 {head}" for head in ("지도", "담당", "담임", "주치", "전담", "개인")),
        "이 건은",
        "그 건은",
    )
)
# 날씨, 솜씨, 글씨: a word that ends in 씨 glued, no name and 씨 (선적 날짜는 heard 손적 날씨는)
_WORDS_ENDING_SSI = frozenset("날솜말글맵불꽃볍")
# 과장님, 기사님, 경찰관님, 선생님: titles, not names; 도객님: 고객님 as heard
_TITLE_ENDINGS = ("장", "사", "관", "생", "객")


def titled_names(text: str) -> list[IdentitySpan]:
    """Names in `text` before 님, 씨 or a person's title, judged by their shape."""
    found: list[IdentitySpan] = []
    for span in _before_titles(text):
        word = text[span.start : span.end]
        short = len(word.replace(" ", "")) < 3  # a two-syllable name: recognized speech drops surnames
        # 박힌장님: 팀장 heard; 설계사님, 경찰관님: a job
        titled = word.endswith(_TITLE_ENDINGS) if short else word.endswith(("장", "사", "관"))
        titled = titled or word in TITLES  # 피디님, 트레이너님: a job, not a name
        # said apart (주 미란 님): judged whole, of a given name's syllables
        surname_alone = word in SURNAMES_2  # 남궁 씨 성 가진 분: a surname with 씨, no name
        a_word = text.startswith("씨", span.end) and word[-1] in _WORDS_ENDING_SSI
        if (
            reads_as_name(word)
            and not titled
            and not surname_alone
            and not a_word
            and not (short and VERB_ENDING.search(word))
        ) or (len(word) == 1 and text[: span.start].endswith(("성은 ", "성이 "))):  # 성은 승 씨고요
            found.append(span)
    found += shaped_names(
        text,
        (
            _NAME_BEFORE_TITLE,
            _APART_NAME_BEFORE_ROLE,
            _NAME_BEFORE_ROLE_CHECKED,
            _HEARD_NAME_BEFORE_TITLE,
            _NAME_HEARD_SI,
            _PERSON_THEN_NAME_HEARD_SI,
            _NAME_HEARD_SI_TO,
            _TITLE_TOPIC_NAME,
        ),
    )
    # 제 지도교수님, 이 건은 상담원: "my" or "this matter" before a title, not a surname said apart (제 경민
    # 상담사님 stays a name); one filter for every way above
    found = [span for span in found if text[span.start : span.end] not in _MY_TITLE_HEADS]
    return found + spans_of(_SURNAME_ALONE, text, IdentityKind.NAME, "name")


def _before_titles(text: str) -> list[IdentitySpan]:
    """Names before 님, 씨, 고객님: where a match of two words is no name (제가 성훈님: 제 read as a
    surname), its last word alone is tried (성훈님)."""
    found = []
    for match in _TITLED_NAME.finditer(text):
        name = match.group("name")
        if " " in name and not reads_as_name(name):  # 도 지원 님 is one name, whole
            match = _TITLED_NAME.match(text, match.start("name") + name.rindex(" ") + 1) or match
        skip = 3 if match.group("name").startswith(("성은 ", "성이 ")) else 0  # 성은 승 씨: the surname
        found.append(IdentitySpan(match.start("name") + skip, match.end("name"), IdentityKind.NAME))
    return found
