"""A full name said right after who the person is to the speaker: the surname glued to the relation
by recognition (아들금 도현입니다), or the name with a person's particle (저희 딸 하 윤슬이 다니는
학원; 제 딸 heard 제달) or its copula (제 친구 옹 재민이라서요), a minor's 군 or 양 (아들 편 준우 군인데), or a count
(저랑 동생 맹수아 둘이에요, or with the relation left out: 저랑 마동혁 둘이에요); the second of two
named after one relation (친구 석 나래랑 국 하은이에요); 아내 heard 안에 (안에는 소은정이예요); a colleague
named with their team (개발팀 엄 수린이에요);
or said after whose name a thing is in (남편 앞으로 돼 있어요 육 승훈이요); siblings said one after
another with one surname (온 가을 온 겨울이고); names listed with commas between them (표 다빈, 채 이안,
맹 서율 이렇게 세 명이에요). Only of a surname and a given name's syllables, but for siblings."""

from __future__ import annotations

import re

from agent.redaction.identity.name_shape import (
    DAUGHTER_HEARD,
    OPEN_SYLLABLES,
    RELATION,
    SURNAME,
    given_name_shaped,
    shaped_names,
)
from agent.redaction.identity.name_words import NOT_NAMES, SURNAMES_1
from agent.redaction.identity.spans import IdentityKind, IdentitySpan

# a relation with the surname glued to it by recognition, the given name apart (아들금 도현입니다,
# 사위석 준영이가 for 아들 금도현, 사위 석준영); not a particle glued to it (친구도 영상으로 인사한대요)
_RELATION_GLUED_NAME = re.compile(
    rf"(?<![가-힣]){RELATION}(?P<name>(?![도은가이])[{SURNAMES_1}]\s[가-힣]{{2}})"  # not 친구도 영상으로: a particle
    r"(?=입니다|이에요|예요|이요|이고|이가|으로|로\s|\s?[씨시](?:예요|이에요|요|고)|[,.?!]|\s?$"  # 미자 씨예요
    r"|하고\s|인데|한테|이랑\s|이는\s|이도\s)"  # 제 남편길 현우하고 저 …, 사촌 형금 도윤인데
)
# 딸 heard 달 after whose she is, the surname glued to it (저는 딸 표 미경이에요 → 저는 달표 미경이에요, 우리
# 큰딸 설 예원인데 → 큰 달설 예원인데, 제 큰딸 홍서현이고 → 제크는 달홍서 현이고)
_DAUGHTER_HEARD_GLUED_NAME = re.compile(
    rf"(?:{DAUGHTER_HEARD}|(?:(?<=저는\s)|(?<=크는\s))달)"  # 제 큰딸 heard 제크는 달
    rf"(?P<name>(?![도은가이])[{SURNAMES_1}](?:\s[가-힣]{{2}}|[가-힣]\s[가-힣]))"
    r"(?=입니다|이에요|예요|이요|이고|이\s고|이가|으로|로\s|인데|한테|하고\s|이랑\s|[,.?!]|\s?$)"  # 이고 heard apart: 하은이 고미성 …
)
# … or the whole name glued to it (제 조카천우진이고요), after a relation of two syllables or more
# (딸기우유예요 is no 딸 and a name), with a copula after it
_RELATION_GLUED_FULL_NAME = re.compile(
    rf"(?<![가-힣])(?P<relation>{RELATION})(?P<name>{SURNAME}[가-힣]{{2}})"
    r"(?=이고요|이구요|이고\s|이에요|이예요|입니다|이라서|이래요)"
)
# a relation, then a full name (said apart or not) with a person's particle (저희 딸 하 윤슬이 다니는
# 학원, 남편 정태민한테; 딸 heard 달 after 저희 or 우리, as heard too: 저흘이, 울이); not a thing (아들 학원이 끝나면: no surname and given name)
_RELATION_FULL_NAME = re.compile(
    rf"(?:(?<![가-힣])|(?<=(?<![가-힣])[제재]))"  # 제 동생 heard glued: 재동생
    rf"(?:{RELATION}|{DAUGHTER_HEARD})\s(?P<name>{SURNAME}\s?[가-힣]{{2}})"
    r"(?=(?:이|이가|이는|이도|이랑|이하고|이한테|가|는|도|랑|한테|에게|하고|이고|인데)\s"  # 우리 딸 용 채원이고 …
    r"|이고요|이구요|이에요|예요|이요|입니다|이라서|이라고|이래요|이라니까|이라니깐|이라\s"  # 명의가 제 친구 옹 재민이라서요; … 정숙이라 양도하려면
    r"|\s?[군양](?:인데|이에요|이고|입니다|이|은|한테)"  # a minor's 군 or 양 (아들 편 준우군인데)
    r"|\s(?:둘|셋|넷|두\s?명|세\s?명|이렇게)"  # counted with the speaker (저랑 동생 맹수아 둘이에요)
    r"|\s(?:이에요|예요|입니다)(?![가-힣])"  # its copula heard apart (제동생 변태호 예요)
    r"|에서\s"  # the name something passes from (엄마 명 선희에서 제 이름으로)
    r"|\s(?:앞으로|명의로|이름으로)\s"  # 돌아가신 아버지 석 달수 앞으로 계속 와요
    r"|(?:을|를)\s(?:넣어|추가|올려|적어|등록|빼|바꿔)"  # 제 조카 피 준영을 넣어 주세요
    r"|(?:이로|으로|로)\s(?:했|해|돼|되|신청|예약|접수|등록|바꿔|바꾸|올려|적)"  # 신청을 제 딸 소 예린이로 했는데
    r"|\s씨(?:고|예요|이에요|요|는|가|한테|\s))"  # 제 아버지 노 갑수 씨고
)

# whose name a thing is in, or will be put in, then the name (회원권은 남편 앞으로 돼 있어요 육 승훈이요;
# 명의 이전은 아내 앞으로 할 거예요 우 소정이요)
_HOLDER_THEN_NAME = re.compile(
    rf"(?:{RELATION}|저|제|본인)\s?(?:앞으로|명의로|이름으로)\s(?:(?:돼|되어|되|해)\s?(?:있|놨|놓)|할\s?거|하려|할게|하겠)[가-힣]{{0,4}}\s"
    rf"(?P<name>{SURNAME}\s?[가-힣]{{2}})(?=이요|이오|이에요|예요|이고요|이구요|입니다|[.,]|\s?$|(?<=[{OPEN_SYLLABLES}])요)"  # 편 영애요
)

# two people after one relation, the second name after 랑 or 하고 (친구 석 나래랑 국 하은이에요)
_SECOND_NAME = re.compile(
    rf"(?<![가-힣]){RELATION}\s{SURNAME}\s?[가-힣]{{2}}(?:이랑|랑|하고|와|과)\s"
    rf"(?P<name>{SURNAME}\s?[가-힣]{{2}})(?=이에요|예요|이요|이고|입니다|이랑|랑|[,.]|\s?$)"
)

# a full name counted with the speaker, who they are to the speaker left out or misheard (등록할 사람은
# 저랑 마동혁 둘이에요; 제 남편 heard 재낮연 in between)
_COUNTED_WITH_SPEAKER = re.compile(
    rf"(?<![가-힣])(?:저랑|저하고|나랑|저와)\s(?:[가-힣]{{1,4}}\s)?(?P<name>{SURNAME}\s?[가-힣]{{2}})"
    r"\s(?:둘|셋|두\s?명|세\s?명)(?:이에요|이요|예요|입니다|이고|이서|이|요|\s|$)"
)

# 아내 heard 안에 (a homophone), with its topic or subject particle, then a full name and its copula
# (안에는 소은정이예요 for 아내는 소은정이에요)
_WIFE_HEARD = re.compile(
    rf"(?<![가-힣])안에(?:는|가)?\s(?P<name>{SURNAME}\s?[가-힣]{{2}})(?=이에요|이예요|예요|입니다|이고요|이요)"
)

# a colleague named with their team, then a copula or their rank (받는 사람은 개발팀 엄 수린이에요, 영업팀
# 단 지혁 대리예요)
_TEAM_THEN_NAME = re.compile(
    rf"(?<![가-힣])[가-힣]{{1,4}}팀\s(?P<name>{SURNAME}\s?[가-힣]{{2}})"
    r"(?=이에요|이예요|예요|입니다|이고|이요|\s?(?:대리|과장|차장|부장|팀장|주임|사원|씨|님))"
)

# siblings said one after another, one surname for both (쌍둥이 이름은 온 가을 온 겨울이고): both, whatever
# their given names' syllables (가을, 겨울: native words as names)
_SIBLINGS = re.compile(
    rf"(?<![가-힣])(?P<first>(?P<surname>{SURNAME})\s[가-힣]{{2}})\s(?P<second>(?P=surname)\s[가-힣]{{2}})"
    r"(?=이고|이에요|예요|이요|입니다|[,.]|\s?$)"
)


# names listed with commas between them (명단은 표 다빈, 채 이안, 맹 서율 이렇게 세 명이에요): each that
# has a name's shape, when two of them have it
_LISTED_NAME = rf"{SURNAME}\s?[가-힣]{{2}}"
_NAME_LIST = re.compile(rf"(?<![가-힣]){_LISTED_NAME}(?:,\s?{_LISTED_NAME}){{1,5}}(?![가-힣])")
_LIST_ITEM = re.compile(_LISTED_NAME)


def _listed_names(text: str) -> list[IdentitySpan]:
    """Names listed with commas between them, two or more of a name's shape."""
    found: list[IdentitySpan] = []
    for listed in _NAME_LIST.finditer(text):
        items = [
            IdentitySpan(item.start(), item.end(), IdentityKind.NAME)
            for item in _LIST_ITEM.finditer(text, listed.start(), listed.end())
            if given_name_shaped(item.group())
        ]
        if len(items) >= 2:
            found += items
    return found


def relation_names(text: str) -> list[IdentitySpan]:
    """Full names after a relation word in `text`, and names listed with commas between them."""
    found = shaped_names(
        text,
        (
            _RELATION_GLUED_NAME,
            _DAUGHTER_HEARD_GLUED_NAME,
            _RELATION_FULL_NAME,
            _HOLDER_THEN_NAME,
            _SECOND_NAME,
            _COUNTED_WITH_SPEAKER,
            _WIFE_HEARD,
            _TEAM_THEN_NAME,
        ),
    )
    found += [
        IdentitySpan(glued.start("name"), glued.end("name"), IdentityKind.NAME)
        for glued in _RELATION_GLUED_FULL_NAME.finditer(text)
        if len(glued.group("relation")) >= 2 and given_name_shaped(glued.group("name"))
    ]
    found += _listed_names(text)
    for siblings in _SIBLINGS.finditer(text):
        if not any(name.split()[1] in NOT_NAMES for name in siblings.group("first", "second")):
            found += [
                IdentitySpan(siblings.start(g), siblings.end(g), IdentityKind.NAME)
                for g in ("first", "second")
            ]
    return found
