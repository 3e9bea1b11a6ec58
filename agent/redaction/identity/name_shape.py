"""How a name looks: the word shapes the name rules judge a candidate by (a surname and a given
name's syllables, not a title, an ordinary word, a relation, a place or a verb), and whether an
이름 cue names a thing rather than a person; shared by the name modules of this package."""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent.redaction.identity.name_words import (
    ADVERBS,
    GIVEN_LAST_SAID_APART,
    GIVEN_SYLLABLES,
    NOT_NAME_STARTS,
    NOT_NAMES,
    SURNAMES_1,
    SURNAMES_2,
    TITLES,
)
from agent.redaction.identity.spans import IdentityKind, IdentitySpan, spans_of

# syllables with no final consonant: a name ending in one takes 고, 예요, 로 (육정호고)
OPEN_SYLLABLES = "".join(chr(0xAC00 + 28 * i) for i in range(19 * 21))
SURNAME = "(?:" + "|".join(SURNAMES_2) + "|[" + SURNAMES_1 + "])"
SURNAME_2 = "(?:" + "|".join(SURNAMES_2) + ")"  # 남궁, 황보 …: one syllable of given name may follow apart
RELATION = (
    r"(?:큰|작은|막내|첫째|둘째|셋째)?"  # 큰아들, 막내딸
    r"(?:어머니|아버지|엄마|아빠|어머님|아버님|시어머니|시아버지|장인어른|장인|장모|남편|아내|와이프|집사람|남동생|여동생|동생|"
    r"언니|오빠|누나|형님|형|딸|아들|손녀|손자|사위|며느리|조카|할머니|할아버지|부모님|배우자|자녀|친구|지인|동료|처(?!음|리|럼|방)|"  # 처 (wife), not 처음, 처리, 처럼, 처방
    r"신랑|신부|애인|남자친구|여자친구|남친|여친|약혼자|외삼촌|삼촌|이모부|고모부|이모|고모|숙모|처남|처제|형부|매형|형수|제수|"
    r"시누이|올케|제부|사촌|외할머니|외할아버지|손주|룸메이트|"
    r"첫째|둘째|셋째|넷째|막내|큰애|작은애|"  # a child by its place among siblings (둘째 하 윤슬이고)
    r"선배|후배|동기|동창|칭구|"  # 제 후배 엽 지훈이라니까요; 친구 heard 칭구
    # as recognition hears them, no words of their own: 할아버지 (하라버지, 하납어지, 하나버지), 장모님
    # (장몬이), 큰아들 (그나들, 크나들), 처남 (천암)
    r"하라버지|하납어지|하나버지|장몬이|그나들|크나들|천암|"
    r"(?<=(?<![가-힣])제\s)안에|(?<=(?<![가-힣])제)안에|"  # 제 아내 as recognition hears it: 제 안에, 제안에
    r"(?<=[제내생]\s)침구|"  # 친구 heard 침구 (10 of 106 sayings) after whose it is: 제 침구, 동생 침구
    # … and 칠구 (26 of 118), a number's digits elsewhere: only as a word with a particle (칠구는 변하람이고)
    r"(?<![가-힣\d])칠구(?=[는가도랑은]|한테|하고|\s이름))"
)
# 딸 heard 달 after whose she is (우리 딸 → 우리 달, 제 딸 → 제달, 저희 딸 → 저흘이 달, 큰딸 → 큰 달):
# 달 alone is a month. One list for every place that reads it (cues, what stands between a cue and
# its name, a relation before a full name, the surname glued to it)
DAUGHTER_HEARD = (
    r"(?:(?<=우리\s)|(?<=저희\s)|(?<=저[흐흘]\s)|(?<=저흐이\s)|(?<=저[흘브]이\s)|(?<=접으이\s)|(?<=울이\s)|(?<=조희\s)"
    r"|(?<=[제재]\s)|(?<=(?<![가-힣])[제재])|(?<=[첫둘셋]째\s)|(?<=막내\s)|(?<=큰\s)|(?<=작은\s))달"
)
# 작은딸, 큰아들: who, not a name; 안에 standing alone is 아내 as heard (RELATION holds it only after 제),
# 침구 친구 (only after whose)
RELATION_WORD = re.compile(rf"[가-힣]?{RELATION}|안에|침구|칠구")
CONFIRMED = r"맞(?:습니다|아요|고요|구요|죠)"  # a name said to be right (서문경아 맞습니다)
PLACE_ENDINGS = ("시", "군", "구", "동", "읍", "면", "도")  # 저 안양시고요: where one lives
DIGITS_READ = re.compile(r"[공영일이삼사오육칠팔구십\s]+")  # 공 이 칠: a number read out, not a name
# a tense no given name holds (바뀌었어, 정하셨), or 어 closing two syllables (길어요: a predicate)
# … or what is said of it, reported (예금주가 다르대요, 이름이 이상하대요, 이름이 아니래요)
_PREDICATE = re.compile(
    r"[었았겠셨했졌였됐렸겼웠]|(?<=^[가-힣])어요?$|(?:하|르|리|쁘|니|되|프|크)[대래]$"
)  # 성함이 빠졌어요: a verb
VERB_ENDING = re.compile(r"(?:죠|요|다|까|세|시|니|네|고|서|며|면|게|지|해|러|도)$")


def _initial(syllable: str) -> int:
    """The initial consonant of a Hangul syllable (0-18)."""
    return (ord(syllable) - 0xAC00) // 588


def _rhyme(syllable: str) -> int:
    """A Hangul syllable without its initial consonant: its vowel and final (궁 and 중 rhyme)."""
    return (ord(syllable) - 0xAC00) % 588


# a two-syllable surname as heard: its first syllable, and a second one that starts with the same
# consonant (남구, 남공 for 남궁; 독구 for 독고) or rhymes with it, its consonant misheard (남중 for
# 남궁); not 서울 for 서문
_SURNAME_2_SOUNDS = frozenset((n[0], _initial(n[1])) for n in SURNAMES_2)
_SURNAME_2_RHYMES = frozenset((n[0], _rhyme(n[1])) for n in SURNAMES_2)


def sounds_like_surname_2(word: str, *, rhyming: bool = False) -> bool:
    """`rhyming`: a second syllable that only rhymes will do too (for a caller that has judged the
    given name after it by its syllables)."""
    if len(word) != 2 or not "가" <= word[1] <= "힣":
        return False
    if (word[0], _initial(word[1])) in _SURNAME_2_SOUNDS:
        return True
    return rhyming and (word[0], _rhyme(word[1])) in _SURNAME_2_RHYMES


# the first syllable of a verb form that looks like a given name (해서, 가도, 나서, 봐요, 주세 …)
_VERB_STEM = re.compile(r"[해하가와봐줘주나돼되써사타놔져쳐켜떠보오자세시서드]")


def given_name_shaped(name: str) -> bool:
    """A surname and two syllables that given names are made of, not an ordinary word; or a
    two-syllable surname and one such syllable said apart from it (남궁 혁)."""
    compact = name.replace(" ", "")
    if name[2:3] == " " and compact[:2] in SURNAMES_2 and len(compact) == 3:  # 남궁 혁: one syllable, apart
        return compact[2] in GIVEN_SYLLABLES and is_name(compact, apart=True)
    given = compact[2:] if compact[:2] in SURNAMES_2 and len(compact) == 4 else compact[1:]
    # said apart (도 예린) it is still judged whole: 도 is no word of its own here
    return (
        len(given) == 2
        and given[0] in GIVEN_SYLLABLES
        and (given[1] in GIVEN_SYLLABLES or (name[1:2] == " " and given[1] in GIVEN_LAST_SAID_APART))
        and given not in NOT_NAMES  # 처남 이름으로: 남 and the word 이름, not a name
        and given not in ("예요", "에요")  # 이번 주예요: a word and its copula, no given name
        and not DIGITS_READ.fullmatch(given)  # 주팔팔이사: a plate's letter and digits as heard
        and is_name(compact, apart=name[1:2] == " ")  # 정 도겸: no 정도 (extent) in it
        # said apart, not a word and a verb (안 해요, 못 가서); a given name may end as a verb
        # does when its first syllable is no verb's stem (여 준서로, 김 민지요)
        and not (" " in name and VERB_ENDING.search(compact) and _VERB_STEM.match(given))
    )


def shaped_names(text: str, patterns: Iterable[re.Pattern[str]]) -> list[IdentitySpan]:
    """The `name` group of each match of `patterns` in `text` that is a surname and a given name's
    syllables (given_name_shaped)."""
    return [
        span
        for pattern in patterns
        for span in spans_of(pattern, text, IdentityKind.NAME, "name")
        if given_name_shaped(text[span.start : span.end])
    ]


_NATIVE_NUMERALS = ("다섯", "여섯", "일곱", "여덟", "아홉")
_CLOCK = re.compile(r"(?:[한두세네]|다섯|여섯|일곱|여덟|아홉|열|열한|열두)\s(?:시|분)(?:\s|$)")


_PARTICLES = frozenset(("부터", "까지", "마다", "처럼", "보다"))


def is_name(text: str, *, apart: bool = False) -> bool:
    """Not a title, an ordinary word or a verb: 김 대리, 정대리, 기사, 정말, 맞으시 …; not a
    time of day said apart (두 시 반). `apart`: the surname was said apart, so no word starts
    with it (정 도겸 holds no 정도)."""
    if _CLOCK.match(text):
        return False
    compact = text.replace(" ", "")
    heads = (len(compact),) if apart else (2, 3, len(compact))
    if len(compact) < 2 or any(compact[:n] in NOT_NAMES for n in heads):
        return False
    if compact[1:] in TITLES or compact[2:] in TITLES:
        return False
    if text.startswith(("제 ", "저 ")):  # 제 거고: "mine", not the surname 제 before a given name
        return False
    if compact[0] in "제저" and RELATION_WORD.fullmatch(compact[1:]):  # 제처, 제딸: "my wife", glued
        return False
    if RELATION_WORD.fullmatch(compact):  # 신랑 명의로: who, not a name
        return False
    # 어머니도 연세가 heard 어머니 도연세가: 도 (also) glued to a word, no surname
    if compact[0] == "도" and compact[1:] in NOT_NAMES:
        return False
    # 양띠, 소띠: a birth year's animal; 재무팀: a team; 이학년: a school year; not names
    if compact.endswith(("띠", "팀", "학년")):
        return False
    if compact[1:] in _PARTICLES:  # 몇 명부터예요: a word and a particle, no surname and given name
        return False
    if compact.endswith(_NATIVE_NUMERALS):  # 고일곱 시이에요: 일곱 시 (seven o'clock) as heard, not a name
        return False
    if _PREDICATE.search(compact, 1):  # 이름이 바뀌었어요, 이름이 길어요: said of a name, no name
        return False
    return not any(word in NOT_NAMES or compact[1:] == word for word in text.split() if len(word) >= 2)


def reads_as_name(text: str) -> bool:
    """A name glued (도예린) or said apart (도 예린, judged whole: of a given name's syllables)."""
    return is_name(text) or given_name_shaped(text)


def a_place(name: str) -> bool:
    """A city or a district, not a name: three syllables ending as a place does whose middle no
    given name holds (어머니 서울시로 이사 …; 김민구로 is a name)."""
    compact = name.replace(" ", "")
    return len(compact) == 3 and compact.endswith(PLACE_ENDINGS) and compact[1] not in GIVEN_SYLLABLES


# whose name an 이름 cue gives: a pet's, a shop's, a boat's or a product's is no person's (강아지 이름이
# 초코예요, 배 이름은 바다새 호고; 병원 heard 변 원: 현지 변 원 이름은 영어라서)
_THING_NAMED = re.compile(
    r"(?:(?<![가-힣])개|(?<![가-힣])배|보트|요트|선박|간판|강아지|고양이|반려견|반려묘|반려동물|애완견|애완동물|냥이|멍멍이|햄스터|가게|회사|상호|매장|식당|카페|"
    r"브랜드|제품|상품|모델|요금제|앱|어플|게임|캐릭터|와이파이|파일|폴더|학교|학원|병원|변\s?원|아파트|건물|단지|약|사이트|홈페이지|채널|프로그램)"
    r"\s?(?:의\s?)?$"
)
THING_NAMED_CHARS = 8  # the window before 이름 that _THING_NAMED looks at: linear


def names_a_thing(text: str, cue_start: int) -> bool:
    """The 이름 cue at `cue_start` names a pet, a shop or a product (우리 강아지 이름이 …)."""
    return text.startswith("이름", cue_start) and (
        _THING_NAMED.search(text, max(0, cue_start - THING_NAMED_CHARS), cue_start) is not None
    )


def starts_no_name(name: str) -> bool:
    """Words after a cue for a name that start no name (이름은 따로 없어요, 이름 석 자가)."""
    return name.split()[0] in ADVERBS or name.startswith(NOT_NAME_STARTS) or bool(_COUNTED.fullmatch(name))


_COUNTED = re.compile(r"[한두세네몇]\s?[명분](?:이|은|인|도)?")  # 소유자가 두 명인데: counted, no name
