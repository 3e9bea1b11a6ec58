"""Personal names: a surname and a given name where something around them says it is a name
(see the package's docstring)."""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.redaction.identity.dates import birth_dates
from agent.redaction.identity.name_words import GIVEN_SYLLABLES, NOT_NAMES, SURNAMES_1, SURNAMES_2, TITLES
from agent.redaction.identity.spans import IdentityKind, IdentitySpan, spans_of

# syllables with no final consonant: a name ending in one takes 고, 예요, 로 (육정호고)
_OPEN_SYLLABLES = "".join(chr(0xAC00 + 28 * i) for i in range(19 * 21))
_SURNAME = "(?:" + "|".join(SURNAMES_2) + "|[" + SURNAMES_1 + "])"
_SURNAME_LETTERS = frozenset(SURNAMES_1)
# A name: surname + one or two syllables (a space between surname and given name is allowed).
_NAME = (
    rf"{_SURNAME}(?:\s?[가-힣]{{1,2}}|[가-힣]\s[가-힣]|\s[가-힣]\s[가-힣])"  # 권 도 현: said letter by letter
)
# After a cue that can only announce a name, recognized speech may have misheard the surname:
# any two to four syllables (one space among them) will do.
_ANY_NAME = r"[가-힣](?:\s?[가-힣]{1,2}|[가-힣]\s[가-힣]{1,2}|[가-힣]{2}\s?[가-힣])"  # 독구 영재: 독고 heard
_RELATION = (
    r"(?:큰|작은|막내|첫째|둘째|셋째)?"  # 큰아들, 막내딸
    r"(?:어머니|아버지|엄마|아빠|어머님|아버님|시어머니|시아버지|장인|장모|남편|아내|와이프|집사람|남동생|여동생|동생|"
    r"언니|오빠|누나|형님|형|딸|아들|손녀|손자|사위|며느리|조카|할머니|할아버지|부모님|배우자|자녀|친구|지인|동료|처|"
    r"신랑|애인|남자친구|여자친구|남친|여친|약혼자)"
)
# who a name belongs to on a form, said with 명 after it (예약자명, 주문자 명은, 수령인명)
_ROLE_WITH_NAME = r"(?:사용자|이용자|회원|가입자|예금주|예약자|주문자|수령인|수취인|구매자|신청자|계약자|탑승자|투숙객|보호자|환자)"
# Words that announce the name that follows (a word or two may stand between: 명의는 저희 어머니 …).
_NAME_CUE = re.compile(
    rf"(?<![가-힣\d])(?:{_ROLE_WITH_NAME}\s?[명면]|"  # 사용자 명은, 예약자명 (면 as heard): before the role alone
    r"이름|성함|존함|성명|명의\s?자|명의|예약자|수령인|수령|수취인|수익자|세대주|보호자|가입자|신청자|계약자|고객명|예금주|소유자|"
    r"대표자|동반자|동행자|탑승자|투숙객|주문자|구매자|신고자|임차인|대리인|상속인|청구인|신청인|환자분?|[명영]단에|"
    r"(?:받는|반는|반든|봤는|받으실|받으시는|보내는|보내시는)\s?(?:사람|분)|반응\s?부(?=[은는])|"  # 받는 as it is said: [반는], heard 봤는, 반응 부는
    rf"운전자|[피비]보험자|{_RELATION}님?)분?(?:은|는|이|가|이요|요|이고|:)?(?:\?|,)?(?=\s|$)"  # 피 heard 비; 장모님
)
_SELF_CUE = re.compile(r"(?:^|(?<=\s))(?:저는|전|제가|나는|난|본인은)(?=\s)")
_BARE_SELF_CUE = re.compile(r"(?:^|(?<=\s))저(?=\s)")  # "저 최민호라고 하는데요"
_AGENT_CUE = re.compile(r"(?:상담원|상담사|고객센터|매니저)(?=\s)")
_WORD_START = re.compile(r"\s+(?=\S)")
# a title a person is called by after their name (봉미란 과장님, 감순례 여사님); not 사장, 원장 or 기사,
# which follow a shop or a trade as often as a name (부동산 사장님, 정수기 기사님)
_PERSON_TITLE = r"(?:과장|대리|부장|차장|팀장|실장|주임|계장|선생|교수|여사|간호사|매니저|변호사|세무사|회계사|수간호사|대표|이사)"
# after a cue's name: its title (감순례 여사님) or the speaker confirming it (서문경아 맞습니다)
_TITLE_OR_CONFIRMED = rf"\s?{_PERSON_TITLE}님|\s맞(?:습니다|아요|고요|구요|죠)"
# a full name before a person's title (지난번 상담해 주신 분이 봉미란 과장님이었어요, 국하늘 선생님께),
# with 님 or said of them (채수빈 주임이라고 하던데요, 명재희 팀장이었어요)
_NAME_BEFORE_TITLE = re.compile(
    rf"(?<![가-힣])(?P<name>{_SURNAME}\s?[가-힣]{{2}})\s{_PERSON_TITLE}"
    r"(?:님|이?라[고는]|이?\s?나\s?고|이었|이에요|이세요|이신|이고|께서|한테|에게)"  # 이라고 heard 이나 고
)
# … and with its surname misheard (운제성 팀장님이라서 for 윤재성): any first syllable, then two of a
# given name's, before a person's title with 님
_HEARD_NAME_BEFORE_TITLE = re.compile(rf"(?<![가-힣])(?P<name>[가-힣]{{3}})\s{_PERSON_TITLE}님")
# a full name before the word for an elder (김옥순 할머니요, 박춘배 어르신)
_NAME_BEFORE_ELDER = re.compile(
    rf"(?<![가-힣])(?P<name>{_SURNAME}\s?[가-힣]{{2}})\s(?:할머니|할머님|할아버지|할아버님|어르신)"
    r"(?=[요께가는]|이세요|이시|이요|댁|\s?앞|\s?[.,?!]|\s?$)"  # not a shop's name (이순자 할머니 손칼국수)
)
# whose name an 이름 cue gives: a pet's, a shop's or a product's is no person's (강아지 이름이 초코예요)
_THING_NAMED = re.compile(
    r"(?:(?<![가-힣])개|간판|강아지|고양이|반려견|반려묘|반려동물|애완견|애완동물|냥이|멍멍이|햄스터|가게|회사|상호|매장|식당|카페|"
    r"브랜드|제품|상품|모델|요금제|앱|어플|게임|캐릭터|와이파이|파일|폴더|학교|학원|병원|아파트|건물|단지|약)"
    r"\s?(?:의\s?)?$"
)
THING_NAMED_CHARS = 8  # the window before 이름 that _THING_NAMED looks at: linear
# a full name after a cue, then a pause and the sentence going on (주문자는 도예린 받는 곳은 …)
_PARTICLE_SYLLABLES = tuple("을를은는이가에의로와과도")
_NAME_THEN_PAUSE = re.compile(rf"(?P<name>{_SURNAME}\s?[가-힣]{{2}})(?=\s|,)")
# A name as a cue's answer: the name, then a copula, a particle that goes with a name, or a pause.
_ANSWER_NAME = re.compile(
    rf"(?P<name>{_NAME})(?=이\s?고요|이\s?구요|이\s?에요|이\s?예요|예요|입니다|이고|이요|이오\b|요\b|요[,.?]|고요|인데요|"
    r"이?\s?라[고코]|이?나\s?고\s?[합하]|이?라서|이?라는|이?거든요|이랑|으로|로\b|로\s|님|씨|시(?=\s|이에요|예요|입니다)|(?<=[가-힣]{3})시로|이\s고\s|\s?고객님|\s?고객\s?(?:맞|이시|되시)|\s본인|"
    r"이?시고|이?세요|이?십니다|이?신데|이가(?=\s)|인데(?=\s|$)|한테|에게|께(?=\s)|\s(?:환자|학생|어린이)|,|\.|\?|$|"
    rf"{_TITLE_OR_CONFIRMED}|(?<=[{_OPEN_SYLLABLES}])[고가]\s|\s(?P=name))"  # said twice: 도하윤 도하윤입니다
)
# Cues after which only a name can follow (no relation word, no 저는): the surname may be misheard.
_STRONG_CUE = re.compile(
    rf"(?<![가-힣\d])(?:{_ROLE_WITH_NAME}\s?[명면]|"
    r"이름|성함|존함|성명|명의\s?자|예약자|수령인|수령이|보호자|가입자|신청자|계약자|고객명|예금주)"
    r"(?:은|는|이|가|이요|요|:)?(?:\?|,)?\s"
)
_LOOSE_NAME = re.compile(
    rf"(?P<name>{_ANY_NAME})(?=이\s?고요|이\s고\s|인데(?=\s|$)|이\s?에요|예요|입니다|이고|이요|요\b|요[,.]|이라고|라고|이?라서|이?거든요|으로|로\s|,|\.|$|"
    rf"[고구]\s?요|(?<=[{_OPEN_SYLLABLES}])[고구]\s|"  # 이고요 as heard after an open syllable (설민호구 요)
    r"\s(?:생년|생일|주소|연락처|전화|번호|본인|님|씨)|[씨시](?=\s|였|이었|예요|이에요)|"  # 진선우 씨 heard 진선우시
    rf"{_TITLE_OR_CONFIRMED})"
)
_OURS = (
    r"저희|저[흐흠히브]|저흐이|접[은으]|접으[이시]"  # 저희, and what recognition makes of it (접은 어머니)
)
# what may stand between a cue and its name (제 is heard 재, and glued to the word after it: 재동생)
_BETWEEN = re.compile(
    rf"(?:{_OURS}|[제재]|우리|[제재]?{_RELATION}|(?<=우리\s)달|본인[이은]?)(?=\s)"
)  # 딸 heard 달
_RELATION_WORD = re.compile(rf"[가-힣]?{_RELATION}")  # 작은딸, 큰아들: who, not a name
# a relation with the surname glued to it by recognition, the given name apart (아들금 도현입니다,
# 사위석 준영이가 for 아들 금도현, 사위 석준영)
_RELATION_GLUED_NAME = re.compile(
    rf"(?<![가-힣]){_RELATION}(?P<name>[{SURNAMES_1}]\s[가-힣]{{2}})"
    r"(?=입니다|이에요|예요|이요|이고|이가|으로|로\s|[,.?!]|\s?$)"
)
_NOUN_PARTICLE = re.compile(r"으로|로\s|이라고|라고")
# 이라고 as recognition may split it (오세훈이 라고) or hear it on a phone line (라코)
# 이라고 합니다 heard 이나 고합니다 on a phone line
_SELF_NAME_END = re.compile(
    r"이?\s?라[고코]|이?나\s?고\s?[합하]|이?라서|이에요|예요|입니다|이고|이요|요|이랑\s|하고\s"
)
# a full name before the role it has here (저는 오세훈 고객인데요); two syllables there are mostly a
# kind of customer (신규, 우수, 기존 고객), so only three (남궁민서: four)
_SELF_ROLE_NAME = re.compile(
    rf"(?:^|(?<=\s))(?:저는|전|제가|본인은|[아네]?저)\s(?P<name>{_SURNAME}[가-힣]{{2}})\s?(?:고객|회원|가입자|계약자)(?:이|인|입|으로|님)"
)
# 본인 and a full name said as who one is (피보험자 본인 변희정인데요)
_SELF_STATED_NAME = re.compile(
    rf"(?:^|(?<=\s))본인\s(?P<name>{_SURNAME}[가-힣]{{2}})(?=인데요|인데|이에요|입니다|이고)"
)
# 저 glued by recognition to the name after it (저석진우고요, 저사공 민철이 나고 하는데)
_GLUED_SELF_NAME = re.compile(
    rf"(?:^|(?<=\s))[아네]?저(?P<name>{_SURNAME}[가-힣]{{2}}|(?:{'|'.join(SURNAMES_2)})\s?[가-힣]{{1,2}})"
    r"(?=이?\s?라[고코]|이?\s?나\s?고|이?고요|인데요|인데\s|입니다|이에요|예요)"
)
_QUOTED_NAME_END = re.compile(r"이?\s?라[고코]|입니다")
# 저 and a full name with 인데요 or a copula (저 엄태성인데요): three syllables, and not a kind of
# person that ends like one (신입생, 임산부, 연구원, 대학생 …) or a place
_BARE_SELF_NAME = re.compile(  # 저 석진우고요 too; not a noun with 이 before the ending (저 장남이고요)
    rf"(?:^|(?<=\s))[아네]?저\s(?P<name>{_SURNAME}[가-힣]{{2}})(?=인데\s?요|인데\s|인데$|(?<!이)(?:이?고요|이고\s|이에요|예요|입니다))"
)
_PLACE_ENDINGS = ("시", "군", "구", "동", "읍", "면", "도")  # 저 안양시고요: where one lives
_ROLE_ENDINGS = ("생", "부", "객", "자", "원", "사", "장", "관", "님", "인")
# who one is by an earlier call (지난주에 통화했던 표승현인데요, 어제 전화드렸던 …입니다): a three-syllable
# name after a clause about calling, then a copula
_CALLED_BEFORE_NAME = re.compile(
    rf"(?:통화|전화|연락)[가-힣]{{0,5}}던\s(?P<name>{_SURNAME}[가-힣]{{2}}|[A-Za-z]{{4,12}})"
    r"(?=인데요|인데\s|인데$|입니다|이에요|예요)"
)
# In an answer to a question for a name, the answer's first word may be the name with its surname
# misheard (택지후 예요 for 탁지후예요; 제가 알민중이요): three syllables and a copula.
_ANSWERED_ANY_NAME = re.compile(  # used with .match at the segment's start
    r"\s*(?:네\s|예\s|아\s|저\s|제가\s|저는\s)?(?P<name>[가-힣]{3})"
    r"(?=\s?(?:예요|이에요|입니다|이고요|이요)(?:\s|[.?!,]|$)|이\s요)"  # 이요 heard 이 요
)
_AGENT_NAME_END = re.compile(r"입니다|이에요|예요|이고요|이고")
CUE_WORDS_SKIPPED = 2  # words between a cue and its name (저희 어머니)
# What may stand between a cue that only a name can follow and the name: the same words, and a
# filler the speaker (or the recognizer) put there (이름이 어 …, 성함은 음 …).
_STRONG_BETWEEN = re.compile(
    rf"(?:{_OURS}|[제재]|우리|[제재]?{_RELATION}|(?<=우리\s)달|어|음|아|그|요)(?=\s)"
)
# where 님 ends a word: nothing after it, or a particle or a copula (님이, 님께, 님도; not 오님팩)
_WORD_ENDS = r"(?:(?![가-힣])|(?=[이께은는도한의을과요만으에들처랑하]|덕분))"  # 님덕분에: glued
_TITLED_NAME = re.compile(
    rf"(?<![가-힣])(?P<name>{_SURNAME}(?:[가-힣]{{1,3}}|\s[가-힣]{{1,2}}|[가-힣]\s[가-힣]{{1,2}}))\s?(?=고객님|님{_WORD_ENDS}|씨|손님|회원님|고객\s?(?:맞|이시|되시))"
)
# The rare two-syllable surnames make a name by themselves: 황보현우, 남궁민, 선우진 …
_RARE_SURNAME_NAME = re.compile(
    r"(?<![가-힣])(?P<name>(?:황보|남궁|제갈|선우|독고)[가-힣]{1,2})(?![가-힣]{2})"
)
# … and said apart from the given name (제갈 민우고요): the given name then a name's ending
_RARE_SURNAME_APART = re.compile(
    r"(?<![가-힣])(?P<name>(?:황보|남궁|제갈|선우|독고)\s[가-힣]{1,2})"
    r"(?=[\s,.?!]|$|이?고요|이고|이?에요|예요|입니다|이요|요|씨|님|으로|로\s|이라고|라고)"
)
# A Vietnamese name as Korean writes it (응우옌 티 란, 쩐 반 훙): the most common surnames, then one
# to three short words, then a name's ending; Vietnamese residents are Korea's largest group of
# marriage migrants, and their names follow no Korean surname.
_VIETNAMESE_NAME = re.compile(
    r"(?<![가-힣])(?P<name>(?:응우옌|응우엔|응웬|뉴엔|쩐|호앙|후인|부이|즈엉|응오)(?:\s[가-힣]{1,2}?){1,3}?)"
    r"(?=으로|로\s|이에요|예요|입니다|이고|이요|요\b|이라고|라고|\s?씨|\s?님|[,.?!]|\s?$)"
)
_TITLE_ENDINGS = ("장", "사", "관", "생")  # 과장님, 기사님, 경찰관님, 선생님: titles, not names
# A name spelled syllable by syllable: 김 영 희요.
_SPELLED_NAME = re.compile(
    rf"(?<![가-힣])(?P<name>{_SURNAME}\s[가-힣]\s[가-힣](?:\s[가-힣])?)(?=요|이요|입니다|이에요|예요)"
)
# A name cue earlier in the sentence and a full name closing it (아들 이름으로 가입했는데 기준우예요):
# three syllables, then a copula and the sentence's end.
_FAR_CUE = re.compile(r"(?:이름|성함|존함|명의)(?:은|는|이|가|으로|로)?\s")
_CLOSING_NAME = re.compile(
    rf"(?<![가-힣])(?P<name>{_SURNAME}[가-힣]{{2}})(?:이에요|예요|입니다|이고요|이요|(?P<bare>요))(?=\s?[.?!]?\s*$|[.?!])"
)
FAR_CUE_CHARS = 40

# A name spelled with 자 after each letter (소 자 영 자), then said whole (소영) or ended (…자요)
_JA_SPELLED = re.compile(
    r"(?<![가-힣])(?P<letters>(?:[가-힣]\s?자\s){1,3}[가-힣]\s?자)(?P<end>요|예요|이에요|입니다|\s)"
)
# A name spelled and then said whole (도 하 윤 도하윤입니다): the letters, then the word they make.
_SPELLED_BEFORE_WHOLE = re.compile(rf"(?<![가-힣])(?P<name>{_SURNAME}\s[가-힣]\s[가-힣](?:\s[가-힣])?)\s")
_DIGITS_READ = re.compile(r"[공영일이삼사오육칠팔구십\s]+")  # 공 이 칠: a number read out, not a name
_NAME_AS = re.compile(
    rf"(?<![가-힣])(?P<name>{_NAME})(?:\s|이\s|\s?[씨시]\s)?(?=이름으로|명의로|앞으로|이름이요|명의예요|명의입니다|이?라는\s?(?:이름|명의))"
)
# what may come before a name that opens an answer (네 김민수요)
_OPENING_LEAD = r"\s*(?:네\s?네\s|예\s?예\s|네\s|예\s|아\s|음\s|저\s)?"
_OPENING_NAME = re.compile(  # used with .match at the segment's start; 독고 영재: a space after a two-syllable surname
    rf"{_OPENING_LEAD}(?P<name>(?:{'|'.join(SURNAMES_2)})\s[가-힣]{{1,2}}|"
    # a two-syllable surname misheard, the name said apart (남구 하은입니다 for 남궁하은)
    rf"[{''.join(dict.fromkeys(n[0] for n in SURNAMES_2))}][가-힣]\s[가-힣]{{2}}(?=입니다|이에요|예요|이요|요\b|이고)|"
    rf"{_SURNAME}[가-힣]{{1,2}})"
    rf"(?=이\s?고요|이\s?고|이\s?에요|예요|입니다|이요|이오|요|으로|로\s|,|\s|(?<=[{_OPEN_SYLLABLES}])고요)"  # 반지호고요
)
# in an answer to a question for a name, a single surname said apart from the given name (석 다은)
_OPENING_SPACED_NAME = re.compile(  # used with .match at the segment's start
    rf"{_OPENING_LEAD}(?P<name>[{SURNAMES_1}]\s[가-힣]{{2}})"
    r"(?=이\s?고요|이\s?고|이\s?에요|예요|입니다|이요|이오|요|,|\s|$)"
)
# A name explained syllable by syllable (김영희요 영어 할 때 영; 탁지후예요 탁구 할 때 탁): the
# syllable after 할 때 (대 as heard), and the word before the explanation that holds it is a name.
_SPELLING_HINT = re.compile(
    r"(?<![가-힣])[가-힣]{1,4}\s?할\s?[때대]\s?(?P<syllable>[가-힣])(?=이요|요|이고|고|[,.]|\s|$)"
)
_WORD_BEFORE = re.compile(r"(?P<word>[가-힣]{2,6})[\s,.]+$")  # searched in a bounded window: linear
_NAME_WORD_END = re.compile(r"(?:이에요|예요|이요|요|입니다|이고요|이고|고요|이|고)$")
SPELLING_HINT_CHARS = 16
# a numeral and its counter, not a surname and a name (오 분만 기다려 주세요, 이 번 …)
_NUMERAL_AND_COUNTER = re.compile(r"[일이삼사오육칠팔구]\s[분시초번개명일월년층호살만천백십원주회달]")


def _initial(syllable: str) -> int:
    """The initial consonant of a Hangul syllable (0-18)."""
    return (ord(syllable) - 0xAC00) // 588


# a two-syllable surname as heard: its first syllable, and a second one that starts with the same
# consonant (남구, 남공 for 남궁; 독구 for 독고; not 서울 for 서문)
_SURNAME_2_SOUNDS = frozenset((n[0], _initial(n[1])) for n in SURNAMES_2)


def _sounds_like_surname_2(word: str) -> bool:
    return len(word) == 2 and "가" <= word[1] <= "힣" and (word[0], _initial(word[1])) in _SURNAME_2_SOUNDS


# a subject's particle (하이가 이천십구년 …: 아이가 misheard): an opening word so ended is no name given
_SUBJECT_ENDING = ("가", "는", "를", "도")


_VERB_ENDING = re.compile(r"(?:죠|요|다|까|세|시|니|네|고|서|며|면|게|지|해|러|도)$")


def _given_name_shaped(name: str) -> bool:
    """A surname and two syllables that given names are made of, not an ordinary word."""
    compact = name.replace(" ", "")
    given = compact[2:] if compact[:2] in SURNAMES_2 and len(compact) == 4 else compact[1:]
    # said apart (도 예린) it is still judged whole: 도 is no word of its own here
    return (
        len(given) == 2
        and all(c in GIVEN_SYLLABLES for c in given)
        and _is_name(compact)
        and not (" " in name and _VERB_ENDING.search(compact))  # 안 해요: a word and a verb
    )


def _is_name(text: str) -> bool:
    """Not a title, an ordinary word or a verb: 김 대리, 정대리, 기사, 정말, 맞으시 …"""
    compact = text.replace(" ", "")
    if len(compact) < 2 or any(compact[:n] in NOT_NAMES for n in (2, 3, len(compact))):
        return False
    if compact[1:] in TITLES or compact[2:] in TITLES:
        return False
    if text.startswith(("제 ", "저 ")):  # 제 거고: "mine", not the surname 제 before a given name
        return False
    if compact[0] in "제저" and _RELATION_WORD.fullmatch(compact[1:]):  # 제처, 제딸: "my wife", glued
        return False
    if _RELATION_WORD.fullmatch(compact):  # 신랑 명의로: who, not a name
        return False
    return not any(word in NOT_NAMES or compact[1:] == word for word in text.split() if len(word) >= 2)


def _a_place(name: str) -> bool:
    """A city or a district, not a name: three syllables ending as a place does whose middle no
    given name holds (어머니 서울시로 이사 …; 김민구로 is a name)."""
    compact = name.replace(" ", "")
    return len(compact) == 3 and compact.endswith(_PLACE_ENDINGS) and compact[1] not in GIVEN_SYLLABLES


def _names_a_thing(text: str, cue_start: int) -> bool:
    """The 이름 cue at `cue_start` names a pet, a shop or a product (우리 강아지 이름이 …)."""
    return text.startswith("이름", cue_start) and (
        _THING_NAMED.search(text, max(0, cue_start - THING_NAMED_CHARS), cue_start) is not None
    )


def strong_cue_ends(text: str) -> list[int]:
    """Where the name begins after each cue only a name can follow (이름은, 성함이, 예금주 …; not
    a pet's or a shop's 이름): for the recognizer's unsure words (agent/redaction/confidence.py)."""
    return [cue.end() for cue in _STRONG_CUE.finditer(text) if not _names_a_thing(text, cue.start())]


def stands_before_name(text: str, pos: int) -> bool:
    """The word at `pos` may stand between a cue and its name (제, 저희, 남편, 어 …)."""
    return _STRONG_BETWEEN.match(text, pos) is not None


def _name_after(text: str, cue_end: int, ends: re.Pattern[str] | None = None) -> IdentitySpan | None:
    """The name a cue announces: the next word with a name's shape (for `ends`, followed by one of
    those endings), with at most CUE_WORDS_SKIPPED relation words before it (저희 어머니)."""

    def answer(pos: int) -> IdentitySpan | None:
        found = _ANSWER_NAME.match(text, pos)
        if (
            found is None
            # said apart (엄마 전 미숙이에요): whole, of a given name's syllables
            or not (_is_name(found.group("name")) or _given_name_shaped(found.group("name")))
            or _a_place(found.group("name"))
            or (ends is not None and not ends.match(text, found.end()))
        ):
            # a name and a pause (주문자는 도예린 받는 …); not a noun and its particle (환자 기록을 …)
            paused = None if ends is not None else _NAME_THEN_PAUSE.match(text, pos)
            if (
                paused is None
                or paused.group("name").endswith(_PARTICLE_SYLLABLES)
                or not _given_name_shaped(paused.group("name"))
            ):
                return None
            return IdentitySpan(paused.start(), paused.end(), IdentityKind.NAME)
        return IdentitySpan(found.start(), found.end(), IdentityKind.NAME)

    gap = _WORD_START.match(text, cue_end)
    return None if gap is None else _past_words(text, gap.end(), _BETWEEN, answer)


def _loose_name_after(text: str, pos: int) -> IdentitySpan | None:
    """After a cue only a name can follow: any name-shaped word (the surname may be misheard), past
    at most CUE_WORDS_SKIPPED words that may stand between (제 남편, a filler such as 어 or 음)."""

    def loose(at: int) -> IdentitySpan | None:
        found = _LOOSE_NAME.match(text, at)
        if found is None or not _is_name(found.group("name")):
            return None
        # two syllables: a surname and a given syllable, or a given name alone; either way the
        # second is one names are made of (초코, a pet's name, is not)
        compact = found.group("name").replace(" ", "")
        if len(compact) == 3 and compact.endswith("예") and text.startswith("요", found.end("name")):
            compact = compact[:2]  # 초코예요: a word and its copula
        if len(compact) == 2 and compact[1] not in GIVEN_SYLLABLES:
            return None
        # a verb's ending (… 하지요) is no name, unless a particle only a noun takes follows (배수지로)
        if _VERB_ENDING.search(found.group("name")) and not _NOUN_PARTICLE.match(text, found.end("name")):
            return None
        return IdentitySpan(found.start("name"), found.end("name"), IdentityKind.NAME)

    return _past_words(text, pos, _STRONG_BETWEEN, loose)


def _past_words(
    text: str, pos: int, between: re.Pattern[str], find: Callable[[int], IdentitySpan | None]
) -> IdentitySpan | None:
    """`find` at `pos`, else past each of at most CUE_WORDS_SKIPPED words `between` allows there."""
    for _ in range(CUE_WORDS_SKIPPED + 1):
        found = find(pos)
        if found is not None:
            return found
        word = between.match(text, pos)
        gap = None if word is None else _WORD_START.match(text, word.end())
        if gap is None:
            return None
        pos = gap.end()
    return None


def names(
    text: str,
    *,
    agent: bool = False,
    agent_name: bool = False,
    expected: bool = False,
    segment_start: int = 0,
) -> list[IdentitySpan]:
    """Names in `text`. `agent`: the agent is speaking (their own name in a greeting is kept
    unless `agent_name`); `expected`: the text answers a question for a name; `segment_start`:
    where the latest segment begins (earlier text is the speaker's previous finals)."""
    found: list[IdentitySpan] = []
    cues: list[tuple[re.Pattern[str], re.Pattern[str] | None]] = [(_NAME_CUE, None)]
    if not agent or agent_name:
        cues += [(_SELF_CUE, _SELF_NAME_END), (_BARE_SELF_CUE, _QUOTED_NAME_END)]
    if agent and agent_name:
        cues.append((_AGENT_CUE, _AGENT_NAME_END))
    for cue, ends in cues:
        for match in cue.finditer(text):
            if _names_a_thing(text, match.start()):
                continue
            span = _name_after(text, match.end(), ends)
            if span is not None:
                found.append(span)
    if not agent:
        found += [
            s
            for pattern in (_SELF_ROLE_NAME, _SELF_STATED_NAME)
            for s in spans_of(pattern, text, IdentityKind.NAME, "name")
            if _is_name(text[s.start : s.end])
        ]
    for span in _titled_names(text):
        word = text[span.start : span.end]
        short = len(word.replace(" ", "")) < 3  # a two-syllable name: recognized speech drops surnames
        # 박힌장님: 팀장 heard; 설계사님, 경찰관님: a job
        titled = word.endswith(_TITLE_ENDINGS) if short else word.endswith(("장", "사", "관"))
        if _is_name(word) and not titled and not (short and _VERB_ENDING.search(word)):
            found.append(span)
    found += [
        s
        for pattern in (
            _NAME_BEFORE_TITLE,
            _HEARD_NAME_BEFORE_TITLE,
            _NAME_BEFORE_ELDER,
            _RELATION_GLUED_NAME,
        )
        for s in spans_of(pattern, text, IdentityKind.NAME, "name")
        if _given_name_shaped(text[s.start : s.end])
    ]
    for strong in _STRONG_CUE.finditer(text):
        if _names_a_thing(text, strong.start()):
            continue
        loose = _loose_name_after(text, strong.end())
        if loose is not None:
            found.append(loose)
    found += [
        s
        for s in spans_of(_RARE_SURNAME_NAME, text, IdentityKind.NAME, "name")
        if _is_name(text[s.start : s.end])
    ]
    found += spans_of(_VIETNAMESE_NAME, text, IdentityKind.NAME, "name")
    found += [
        s
        for s in spans_of(_RARE_SURNAME_APART, text, IdentityKind.NAME, "name")
        if all(c in GIVEN_SYLLABLES for c in text[s.start + 3 : s.end])
    ]
    for pattern in (_NAME_AS, _SPELLED_NAME):
        found += [
            s
            for s in spans_of(pattern, text, IdentityKind.NAME, "name")
            if _is_name(text[s.start : s.end]) and not _DIGITS_READ.fullmatch(text[s.start : s.end])
        ]
    if not agent:
        for bare in _BARE_SELF_NAME.finditer(text):
            name = bare.group("name")
            if _is_name(name) and not name.endswith(_ROLE_ENDINGS + _PLACE_ENDINGS):
                found.append(IdentitySpan(bare.start("name"), bare.end("name"), IdentityKind.NAME))
        found += [
            s
            for s in spans_of(_GLUED_SELF_NAME, text, IdentityKind.NAME, "name")
            if _given_name_shaped(text[s.start : s.end])
        ]
        for called in _CALLED_BEFORE_NAME.finditer(text):
            name = called.group("name")
            if _is_name(name) and not name.endswith(_ROLE_ENDINGS):
                found.append(IdentitySpan(called.start("name"), called.end("name"), IdentityKind.NAME))
    for far in _FAR_CUE.finditer(text):
        if _names_a_thing(text, far.start()):
            continue
        closing = _CLOSING_NAME.search(text, far.end(), far.end() + FAR_CUE_CHARS)
        # 기현우요: a bare 요 after a name ending in an open syllable, of given names' syllables;
        # not a word and its copula (신규예요, 일반이요)
        if closing is not None and closing.group("bare") is not None:
            name = closing.group("name")
            if name[-1] in "예이" or name[-1] not in _OPEN_SYLLABLES or not _given_name_shaped(name):
                continue
        if closing is not None and _is_name(closing.group("name")):
            found.append(IdentitySpan(closing.start("name"), closing.end("name"), IdentityKind.NAME))
    for ja in _JA_SPELLED.finditer(text):
        letters = "".join(ja.group("letters").replace("자", " ").split())
        whole_after = ja.group("end").isspace() and text.startswith(letters, ja.end())
        written = ja.group("end").isspace() and text.startswith(("쓰", "써"), ja.end())  # 진 자 호 자 쓰시고
        if whole_after or written or (ja.group("end").strip() and letters[0] in _SURNAME_LETTERS):
            end = ja.end() + len(letters) if whole_after else ja.end("letters")
            found.append(IdentitySpan(ja.start(), end, IdentityKind.NAME))
    for spelled in _SPELLED_BEFORE_WHOLE.finditer(text):
        whole = spelled.group("name").replace(" ", "")
        if text.startswith(whole, spelled.end()) and _is_name(whole) and not _DIGITS_READ.fullmatch(whole):
            found.append(IdentitySpan(spelled.start("name"), spelled.end() + len(whole), IdentityKind.NAME))
    opening = _OPENING_NAME.match(text, segment_start)
    surname_heard = opening.group("name").split()[0] if opening is not None else ""
    if opening is not None and " " in opening.group("name").strip() and surname_heard not in SURNAMES_2:
        opening = opening if _sounds_like_surname_2(surname_heard) else None  # not 서울 말고요
    if opening is not None and len(compact := opening.group("name").replace(" ", "")) == 2:
        opening = opening if compact[1] in GIVEN_SYLLABLES else None  # 안에 저는 …: 아 네 misheard
    if opening is not None and _is_name(opening.group("name")):
        rest = text[opening.end("name") :]
        name = opening.group("name")
        subject = len(name) == 3 and name.endswith(_SUBJECT_ENDING)
        # an answer to "성함이?", or a name given with a birth date (not a sentence's subject)
        # (unasked, three syllables are a name only of given names' syllables: 태어난 해는 …)
        shaped = len(name.replace(" ", "")) != 3 or _given_name_shaped(name)
        if expected or (not subject and shaped and birth_dates(rest)):
            found.append(IdentitySpan(opening.start("name"), opening.end("name"), IdentityKind.NAME))
    elif expected and (spaced := _OPENING_SPACED_NAME.match(text, segment_start)) is not None:
        name = spaced.group("name")
        # 석 다은 is one name; 제 남편 is "my husband", 오 분만 a numeral and its counter
        ordinary = (
            name[2:] in NOT_NAMES or name.startswith(("제 ", "저 ")) or _NUMERAL_AND_COUNTER.match(name)
        )
        if _is_name(name.replace(" ", "")) and not (ordinary or _DIGITS_READ.fullmatch(name)):
            found.append(IdentitySpan(spaced.start("name"), spaced.end("name"), IdentityKind.NAME))
    elif expected and (answered := _ANSWERED_ANY_NAME.match(text, segment_start)) is not None:
        name = answered.group("name")
        if _is_name(name) and not _VERB_ENDING.search(name) and not _RELATION_WORD.fullmatch(name):
            found.append(IdentitySpan(answered.start("name"), answered.end("name"), IdentityKind.NAME))
    found += _explained_names(text)
    return found + _said_again(text, found)


def _titled_names(text: str) -> list[IdentitySpan]:
    """Names before 님, 씨, 고객님: where a match of two words is no name (제가 성훈님: 제 read as a
    surname), its last word alone is tried (성훈님)."""
    found = []
    for match in _TITLED_NAME.finditer(text):
        name = match.group("name")
        if " " in name and not _is_name(name):
            match = _TITLED_NAME.match(text, match.start("name") + name.rindex(" ") + 1) or match
        found.append(IdentitySpan(match.start("name"), match.end("name"), IdentityKind.NAME))
    return found


def _explained_names(text: str) -> list[IdentitySpan]:
    """The word right before an explanation of a name's syllable (… 할 때 영) that holds the syllable
    explained: 김영희요 영어 할 때 영 → 김영희."""
    found = []
    for hint in _SPELLING_HINT.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, hint.start() - SPELLING_HINT_CHARS), hint.start())
        if before is None:
            continue
        name = _NAME_WORD_END.sub("", before.group("word"))
        if 2 <= len(name) <= 4 and hint.group("syllable") in name and _is_name(name):
            found.append(
                IdentitySpan(before.start("word"), before.start("word") + len(name), IdentityKind.NAME)
            )
    return found


REPEAT_MIN_CHARS = 3  # a name found once is masked wherever it is said again (three syllables or more)
REPEAT_NAMES_MAX = 8  # names looked for again per text: linear in the text whatever it holds


def _said_again(text: str, found: list[IdentitySpan]) -> list[IdentitySpan]:
    """Each name found, wherever else the text says it (a name repeated to be sure: 도하윤, 네
    도하윤이요), when it has three syllables or more (two may be an ordinary word). One scan of
    the text per distinct name, for at most REPEAT_NAMES_MAX of them."""
    again = []
    distinct = dict.fromkeys(text[s.start : s.end].replace(" ", "") for s in found)
    for name in [n for n in distinct if len(n) >= REPEAT_MIN_CHARS][:REPEAT_NAMES_MAX]:
        at = text.find(name)
        while at >= 0:
            again.append(IdentitySpan(at, at + len(name), IdentityKind.NAME))
            at = text.find(name, at + len(name))
    return again
