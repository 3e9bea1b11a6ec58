"""A name said with what the words around it make of it: someone called so (인태오라는 사람인데요,
여 기현이라고 했는데),
a child's name before the parent speaking (허 윤재 엄마예요), an elder's before 할머니 (방 영숙
할머니신데), a given name whose surname is told after it (명희고요 성은 남이에요) or before it (성이
노씨고 이름은 하람이에요, 윤 씨 성에 가람이요), a one-syllable given name said as such (외자로
혁이에요), a person named by their role (사장님이 옥 태윤인데, 원래 주인이 곽 태린이었대요) or by
their badge or a list (명찰에 석 진영이라고), the role right before it (수사관 구 태식이라고), a name
said to be the right one (석 영관이 맞아요), the surname said and then the name (최 씨예요 최 윤서),
the name something is changed to (변경해 주세요 변 아름으로요), a name corrected (배 준호 말고 배
준영으로요) or only its given name (구 하람인데 아니 하람 말고 하랑이요), one name or another (탁
영수였나 탁 영호였나), the name after a change of name (개명해서 예 서윤이 됐어요) or after the former one (예전
이름 김 순자로 돼 있어요 지금은 김 서연이에요), a name the
answer's 네 was glued to (네금 다은 고객님). Only of a surname and a given name's syllables."""

from __future__ import annotations

import re

from agent.redaction.identity.name_shape import (
    CONFIRMED,
    SURNAME,
    given_name_shaped,
    is_name,
    reads_as_name,
    shaped_names,
)
from agent.redaction.identity.name_words import GIVEN_SYLLABLES, WORDS_OF_THEIR_OWN
from agent.redaction.identity.spans import IdentityKind, IdentitySpan

# someone called so: the name, then (이)라는 and a word for a person
_CALLED = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}\s?[가-힣]{{1,2}})이?라는\s?(?:사람|분|애|아이|학생|고객|손님|여자|남자|친구)"
)
# … or said to have given that name (상대방이 여 기현이라고 했는데): a surname and a given name of
# two syllables, said apart, or glued and of given names' syllables (not 금요일이라고 했는데)
_SAID_CALLED = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}\s?[가-힣]{{2}})이?라고\s?(?:했|하던|하더|하셨|하시더|소개)"
)
# the parent speaking of their child by name (허 윤재 엄마예요, 김도윤 보호자인데요)
_PARENT_OF = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}\s?[가-힣]{{2}})\s(?:엄마|아빠|어머니|아버지|어머님|아버님|보호자|학부모)"
    r"(?=예요|이에요|입니다|인데요|인데|이고|요|[,.?!]|\s?$|\s(?:앞으로|맞으시|맞으세))"  # 예 금순 어머님 앞으로
)
# a given name, then its surname told (명희고요 성은 남이에요, 금별이고 성은 구씨)
_SURNAME_TOLD = re.compile(
    rf"(?<![가-힣])(?P<given>[가-힣]{{2}})(?:이고요|이고|고요|고|구요|이요|요|예요|이에요)?,?\s성은\s(?P<surname>{SURNAME})"
    r"(?=\s?씨|이에요|예요|이고|입니다|요|[,.?!]|\s?$)"
)
# the surname told first, then the given name (성이 노씨고 이름은 하람이에요): one name
_SURNAME_FIRST = re.compile(
    rf"(?<![가-힣])성(?:이|은)\s?(?P<surname>{SURNAME})(?:\s?(?:씨|시|가)?이?고)?,?\s이름(?:은|이)\s(?:외자로\s)?"
    r"(?P<given>[가-힣]{1,2})(?=이에요|예요|이요|요|이고|입니다|[,.?!]|\s?$)"
)
# the surname said with 씨 성 (윤 씨 성에 가람이요; 윤시성의 가람이 as recognized)
_SURNAME_OF = re.compile(
    rf"(?<![가-힣])(?P<surname>{SURNAME})\s?(?:씨|시)\s?성(?:에|의|이고|이구요|이고요)\s(?:이름은\s)?"
    r"(?P<given>[가-힣]{1,2})(?=이에요|예요|이요|요|이고|입니다|이\s|[,.?!]|\s|$)"
)
# a one-syllable given name said as such (이름은 외자로 혁이에요)
_SINGLE_GIVEN = re.compile(
    r"(?:외자|한\s?글자)(?:로|이고|예요|인데|요)?,?\s(?P<given>[가-힣])(?=이에요|예요|이요|요|이고|입니다|[,.?!]|\s?$)"
)
# … or the one-syllable given name said, then called 외자 (사공 진이라고 외자 이름이에요)
_SINGLE_GIVEN_SAID = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}\s?[가-힣])(?:이라고|이라|이고|이에요|예요)[^.?!]{{0,10}}?외자"
)
# a pupil named after their grade or class (이 학년 삼 반 염 시우예요; not 이번 주만요: this week)
_IN_CLASS = re.compile(
    rf"(?:[일이삼사오육칠팔구십\d]\s?(?:학년|반)|(?!이번)[일이삼사오육칠팔구십\d]\s?번)\s(?P<name>{SURNAME}\s?[가-힣]{{2}})(?=이에요|예요|이고|이요|입니다|인데|[,.?!]|\s?$)"  # not 한 번 오세요
)
# a change from one person to another (전 세입자 고 민정 씨에서 저 함 지욱으로요)
_FROM_TO = re.compile(
    rf"(?:씨|님)?에서\s(?:저\s|제\s)?(?P<name>{SURNAME}\s?[가-힣]{{2}})(?:으로|로)(?=요|\s|[,.?!]|$)"
)
# the person named by their role (저희 가게 사장님이 옥 태윤인데, 담당자가 차 은우예요), or their
# office in a club or a union (회장은 편 동욱이고 부회장은 옥 수빈이에요)
_BY_ROLE = re.compile(
    rf"(?:사장|담당자|기사|선생|팀장|과장|대리|매니저|원장|실장|설계사|주무관|주인|소유자|회장|부회장|총무|간사|반장|부반장|위원장|이사장)님?(?:이|은|는|가)\s(?P<name>{SURNAME}\s?[가-힣]{{2}})"
    r"(?<![세셔]요)"  # not 기사님이 오세요, 선생님이 하세요: the person comes or does, a verb
    r"(?=인데|이에요|예요|입니다|이고|이세요|이십니다|이었|였|[,.?!]|\s?$)"
)
# … or the role right before the name, without a particle (검찰청 수사관 구 태식이라고 소개했어요;
# 계좌 주인 경 수현이고요; 저는 현장 소장 부 태산이고요)
_ROLE_THEN_NAME = re.compile(
    r"(?:수사관|형사|검사|경찰관|직원|주인|기사님|선생님|간호사|소장|팀장|과장|부장|차장|실장|사무장|원장|대표|"
    r"매니저|주임|반장|점장|센터장|지점장|주무관|변호사|세무사|노무사|회계사|코치|강사|리더|회장|총무)님?"
    rf"\s(?P<name>{SURNAME}\s?[가-힣]{{2}})(?<!시)"  # not 본부장님 나오시라고: a verb's 시
    r"(?=이?라고|이라는|이에요|예요|이고|이래요"  # not 입니다: the agent's own name (상담원 박 지은입니다)
    r"|(?:으로|로)\s(?:나와|나오|돼|되어|적|써|올려|해\s?주))"  # 대표님 옹 정호로 나와야 돼요
)
# the speaker naming themself beside 저 with a particle (명단에 저 육 태경이 빠져 있더라고요)
_SELF_APPOSED = re.compile(
    rf"(?<![가-힣])저\s(?P<name>{SURNAME}\s?[가-힣]{{2}})(?=(?:이가|이는|이도|이만|이랑|이하고|이|가|는|도|만|랑|하고)\s)"  # 저 봉 유나랑
)
# a name said apart ending the sentence with its copula, after a question for it in the same breath
# (장모님 성함도 적어야 하나요 맹 숙희세요, 이름도 필요해요? 송 지아예요)
_ANSWERED_AFTER_ASKING = re.compile(
    rf"(?:성함|이름|존함)[^.!]{{0,24}}?\s(?P<name>{SURNAME}\s[가-힣]{{2}})(?=(?:이)?세요[.?!]?$|이에요[.?!]?$|예요[.?!]?$)"
)
# a name said right to be the right one (석 영광으로 잘못 들어갔어요 석 영관이 맞아요)
_CONFIRMED = re.compile(rf"(?<![가-힣])(?P<name>{SURNAME}\s[가-힣]{{2}})(?:이|가)\s{CONFIRMED}")
# a full name before the word for an elder (김옥순 할머니요, 박춘배 어르신, 금 순 자 할머니: said apart)
_NAME_BEFORE_ELDER = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}(?:\s?[가-힣]{{2}}|\s[가-힣]\s[가-힣]))\s(?:할머니|할머님|할아버지|할아버님|어르신)"
    r"(?=[요께가는]|고\s|이세요|이시|인데|신|셨|이요|라고|라는|랑|한테|\s?댁|\s?앞|\s?[.,?!]|\s?$)"  # not a shop's name (이순자 할머니 손칼국수); 할머니고: 이고 contracted
)
# the surname said with 씨, then the whole name (채 씨 아니고 최 씨예요 최 윤서)
_SURNAME_THEN_NAME = re.compile(
    rf"(?<![가-힣])(?P<surname>{SURNAME})\s?[씨시]\s?(?:예요|이에요|고요|이고|요|입니다)[,.]?\s"  # 씨 heard 시
    r"(?P<name>(?P=surname)\s?[가-힣]{1,2})(?=이요|요|이에요|예요|입니다|[,.?!]|\s?$)"
)
# the name something is changed to (예약자 변경해 주세요 변 아름으로요)
_CHANGED_TO = re.compile(
    rf"(?:변경|바꿔|바꾸)[가-힣]{{0,3}}(?:\s[가-힣]{{1,4}}){{0,2}}\s(?P<name>{SURNAME}\s?[가-힣]{{2}})"
    r"(?=으로요|으로\s?(?:해|바꿔|변경)|로요)"
)
# two names of one surname in a row (박 지후 박 서후 쌍둥이예요): siblings named together
_SAME_SURNAME_PAIR = re.compile(
    rf"(?<![가-힣])(?P<first>(?P<surname>{SURNAME})\s?[가-힣]{{2}})(?:이랑|랑|이하고|하고|,)?\s"  # 길 영배랑 길 순옥
    rf"(?P<second>(?P=surname)\s?[가-힣]{{2}})"
    r"(?=\s?(?:이에요|예요|이요|요|이고|입니다|[,.?!]|$)|\s(?:쌍둥이|둘|두\s?명|형제|자매|남매|이렇게))"
)
# a name said to be written somewhere (하 태석이라고 돼 있네요, … 적혀 있어요)
_WRITTEN_AS = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}\s?[가-힣]{{2}})이?[라나]\s?고\s(?:(?:돼|되어|적혀|쓰여|써|나와)\s?있|떠|떴|뜨|뜹|뜬|나와요|나옵|찍혀)"  # 이라고 heard 이나 고; on a screen: 위 정훈이라고 떠요
)
# a name that something was done in the name of, or quoted, after a word for a name (이름을 할아버지
# 성함으로 했더라고요 석 만수로요; glued as heard: 석만수로요; 이름으로도 문의가 갔을 거예요 피 준호라고요)
_NAMED_AS = re.compile(
    rf"(?:이름|성함|명의)[^.?!]{{0,24}}?\s(?P<name>{SURNAME}\s?[가-힣]{{2}})(?=으로요|로요|이?라고요)"
)
# one name or another, unsure which (탁 영수였나 탁 영호였나): both
_EITHER_NAME = re.compile(
    rf"(?<![가-힣])(?P<first>{SURNAME}\s?[가-힣]{{2}})(?:이었나|였나|인가|이던가|던가)\s"
    rf"(?P<second>{SURNAME}\s?[가-힣]{{2}})(?=이었나|였나|인가|이던가|던가)"
)
# the name after a change of name (개명해서 예 서윤이 됐어요)
_RENAMED = re.compile(
    rf"[개갭]명(?:해서|했는데|하고|한\s?뒤로?|했어요)\s(?:[가-힣]{{1,4}}\s)?(?P<name>{SURNAME}\s?[가-힣]{{2}})"
    r"(?=이|가|으로|로)"
)
# the name now, after the former one (면허증 이름이 예전 이름 김 순자로 돼 있어요 지금은 김 서연이에요)
_NOW_NAMED = re.compile(
    rf"(?:예전|옛날|원래|전|바뀌기\s?전)\s?이름[^.?!]{{0,40}}?\s지금은\s(?P<name>{SURNAME}\s?[가-힣]{{2}})"
    r"(?=이에요|예요|이고|입니다|이요|으로|로\s|[,.]|$)"
)
# the given name corrected, the surname left as it was (구 하람인데 아니 하람 말고 하랑이요)
_GIVEN_CORRECTED = re.compile(
    rf"(?<![가-힣])(?P<surname>{SURNAME})\s?(?P<given>[가-힣]{{2}})[^.?!]{{0,16}}?\s(?P=given)\s(?:말고|아니고|아니라)\s"
    r"(?P<meant>[가-힣]{2})(?=이요|요|이에요|예요|으로|[,.]|\s|$)"
)
# the name a badge, a card or a list shows (명찰에 석 진영이라고 쓰여 있었어요, 명단에 시 은별이라고 있는지)
_ON_BADGE = re.compile(
    r"(?:명찰|이름표|명함|사원증|명단|명부|목록|리스트)(?:에|에는|엔)\s(?P<name>[가-힣]\s?[가-힣]{2})"  # any surname: 시 은별
    r"(?=이?라고|이?라\s?고|이었|였|하고\s(?:쓰여|적혀|써|돼|되어)"  # 이라고 heard 하고 (모은빈하고 쓰여)
    r"|(?:으로|로)\s(?:돼|되어|올라|적혀|나와|써))"  # 명부에는 노 경지로 돼 있대요
)
# a name before 고객님, 님 or 씨 with the answer's 네 glued to its surname by recognition (네금 다은
# 고객님 for 네 금다은 고객님)
_YES_GLUED = re.compile(rf"(?<![가-힣])[네예](?P<name>{SURNAME}\s[가-힣]{{2}})\s(?=고객님|님(?![가-힣])|씨)")

# a name said to be written wrong (도 판식으로 잘못 썼어요, 이름이 국 예은으로 잘못 나왔어요)
_WRITTEN_WRONG = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}\s?[가-힣]{{2}})(?:으로|로)\s잘못\s?(?:썼|적|나왔|됐|되|들어|기재|입력)"
)
# two names, the one not meant and the one meant (배준호 말고 배준영으로요, 노 미선이 아니라 노 미순으로;
# the first one's surname may be glued to the word before it by recognition: 변경 이오배 준호 말고 …)
_NAME_CORRECTED = re.compile(
    rf"(?P<name>{SURNAME}\s?[가-힣]{{2}})(?:이|가)?\s(?:말고|아니고|아니라)\s(?P<meant>{SURNAME}\s?[가-힣]{{2}})"
    r"(?=으로|로\s|이요|요|이에요|예요|입니다|[,.?!]|\s?$)"
)


def described_names(text: str) -> list[IdentitySpan]:
    """Names called so, before their parent or after their role, with the surname told apart,
    one-syllable given names said as such, and both names of a correction."""
    found = shaped_names(text, (_WRITTEN_WRONG,))
    for said in _SAID_CALLED.finditer(text):
        name = said.group("name")
        if given_name_shaped(name) and (" " in name or not name.endswith(("일", "월", "년"))):
            found.append(IdentitySpan(said.start("name"), said.end("name"), IdentityKind.NAME))
    for called in _CALLED.finditer(text):
        name = called.group("name")
        compact = name.replace(" ", "")
        shaped = compact[1] in GIVEN_SYLLABLES if len(compact) == 2 else reads_as_name(name)
        if shaped:
            found.append(IdentitySpan(called.start("name"), called.end("name"), IdentityKind.NAME))
    found += shaped_names(
        text,
        (
            _PARENT_OF,
            _BY_ROLE,
            _ROLE_THEN_NAME,
            _YES_GLUED,
            _SURNAME_THEN_NAME,
            _NAME_BEFORE_ELDER,
            _CHANGED_TO,
            _WRITTEN_AS,
            _RENAMED,
            _NOW_NAMED,
            _IN_CLASS,
            _FROM_TO,
            _SELF_APPOSED,
            _ANSWERED_AFTER_ASKING,
        ),
    )
    found += [  # not 전 현금으로요: a surname that is a word of its own (전, 한, 오 …) said apart
        span
        for span in shaped_names(text, (_NAMED_AS,))
        if text[span.start] not in WORDS_OF_THEIR_OWN or text[span.start + 1] != " "
    ]
    found += [  # 석 영관이 맞아요: read as a name whole (영관: no given name's syllables alone)
        IdentitySpan(named.start("name"), named.end("name"), IdentityKind.NAME)
        for named in _CONFIRMED.finditer(text)
        if reads_as_name(named.group("name"))
    ]
    for told in _SURNAME_TOLD.finditer(text):  # one name: the given name, the words between, the surname
        if all(c in GIVEN_SYLLABLES for c in told.group("given")):
            found.append(IdentitySpan(told.start("given"), told.end("surname"), IdentityKind.NAME))
            found += _whole_said_after(text, told.group("surname") + told.group("given"), told.end())
    for pattern in (_SURNAME_FIRST, _SURNAME_OF):
        for first in pattern.finditer(text):
            if all(c in GIVEN_SYLLABLES for c in first.group("given")):
                found.append(IdentitySpan(first.start("surname"), first.end("given"), IdentityKind.NAME))
                found += _whole_said_after(text, first.group("surname") + first.group("given"), first.end())
    found += [
        IdentitySpan(single.start("given"), single.end("given"), IdentityKind.NAME)
        for single in _SINGLE_GIVEN.finditer(text)
    ]
    found += [
        IdentitySpan(said.start("name"), said.end("name"), IdentityKind.NAME)
        for said in _SINGLE_GIVEN_SAID.finditer(text)
        if said.group("name")[-1] in GIVEN_SYLLABLES
    ]
    found += [
        IdentitySpan(shown.start("name"), shown.end("name"), IdentityKind.NAME)
        for shown in _ON_BADGE.finditer(text)
        if is_name(shown.group("name").replace(" ", ""))
        and not shown.group("name").startswith(("제 ", "저 "))  # 명단에 제 이름이라고: mine
        and all(c in GIVEN_SYLLABLES for c in shown.group("name").replace(" ", "")[1:])
    ]
    for pattern in (_SAME_SURNAME_PAIR, _EITHER_NAME):  # both, when both are of a given name's syllables
        for pair in pattern.finditer(text):
            if given_name_shaped(pair.group("first")) and given_name_shaped(pair.group("second")):
                found += [
                    IdentitySpan(pair.start(g), pair.end(g), IdentityKind.NAME) for g in ("first", "second")
                ]
    for fixed in _GIVEN_CORRECTED.finditer(text):  # the surname kept: both given names
        surname, given, meant = fixed.group("surname", "given", "meant")
        # the meant one of a given name's syllables, or the same name but one syllable (하람 → 하랑)
        like = meant[0] == given[0] or meant[1] == given[1]
        if given_name_shaped(surname + given) and (like or all(c in GIVEN_SYLLABLES for c in meant)):
            found.append(IdentitySpan(fixed.start("surname"), fixed.end("given"), IdentityKind.NAME))
            found.append(IdentitySpan(fixed.start("meant"), fixed.end("meant"), IdentityKind.NAME))
            found += _whole_said_after(text, surname + meant, fixed.end())  # … 하랑이요 구 하랑
    for corrected in _NAME_CORRECTED.finditer(text):  # both names, the one not meant too
        # each of a name's shape, or one of them and the other its surname with one syllable changed
        # (국 미란이 아니라 국 미난으로: 난, rare in names, misspelled)
        wrong, meant = corrected.group("name"), corrected.group("meant")
        both = [given_name_shaped(wrong), given_name_shaped(meant)]
        if all(both) or (any(both) and _one_syllable_apart(wrong, meant)):
            found += [
                IdentitySpan(corrected.start(group), corrected.end(group), IdentityKind.NAME)
                for group in ("name", "meant")
            ]
    return found


def _one_syllable_apart(name: str, other: str) -> bool:
    """One surname, given names of two syllables one of which differs (국 미란, 국 미난)."""
    a, b = name.replace(" ", ""), other.replace(" ", "")
    return len(a) == len(b) == 3 and a[0] == b[0] and (a[1] == b[1]) != (a[2] == b[2])


def _whole_said_after(text: str, name: str, after: int) -> list[IdentitySpan]:
    """The name told in parts then said whole (윤 씨 성에 가람이요 윤가람): its first whole saying
    after the parts, glued or with the surname apart."""
    for said in (name, f"{name[0]} {name[1:]}"):
        at = text.find(said, after)
        if at >= 0:
            return [IdentitySpan(at, at + len(said), IdentityKind.NAME)]
    return []
