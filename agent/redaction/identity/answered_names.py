"""A name that opens what the customer says: after a question for a name (성함이 어떻게 되세요?)
the answer's first word reads as one, its surname misheard or said apart too, or in Latin letters; unasked, only a name
given with a birth date after it (김민수 구십년생이에요)."""

from __future__ import annotations

import re

from agent.redaction.identity.dates import birth_cue_at, birth_dates
from agent.redaction.identity.name_shape import (
    DIGITS_READ,
    OPEN_SYLLABLES,
    RELATION_WORD,
    SURNAME,
    VERB_ENDING,
    given_name_shaped,
    is_name,
    sounds_like_surname_2,
)
from agent.redaction.identity.name_words import GIVEN_SYLLABLES, NOT_NAMES, SURNAMES_1, SURNAMES_2
from agent.redaction.identity.spans import IdentityKind, IdentitySpan

# what may come before a name that opens an answer (네 김민수요)
_OPENING_LEAD = r"\s*(?:네\s?네\s|예\s?예\s|아\s[네예]\s|[네예]\s저\s|네\s|예\s|아\s|음\s|저요\??\s|저\s)?"  # 저요? 탁 은영인데요
_OPENING_NAME = re.compile(  # used with .match at the segment's start; 독고 영재: a space after a two-syllable surname
    rf"{_OPENING_LEAD}(?P<name>(?:{'|'.join(SURNAMES_2)})\s[가-힣]{{1,2}}|"
    # a two-syllable surname misheard, the name said apart (남구 하은입니다 for 남궁하은)
    rf"[{''.join(dict.fromkeys(n[0] for n in SURNAMES_2))}][가-힣]\s[가-힣]{{2}}(?=입니다|이에요|예요|이요|요\b|이고)|"
    rf"{SURNAME}[가-힣]{{1,2}})"
    rf"(?=이\s?고요|이\s?고|이\s?에요|예요|입니다|이요|이오|요|인데요|인데\s|으로|로\s|,|\s|(?<=[{OPEN_SYLLABLES}])고요|"  # 반지호고요
    r"이\s(?=[공영일이삼사오육칠팔구천]{2})|"  # 이요 heard 이 before the date asked with it (윤서진이 이천이년 …)
    r"[공영일이삼사오육칠팔구십]{2})"  # the birth date asked with it, glued on (천은비구공 공공팔 이칠)
)
# in an answer to a question for a name, a single surname said apart from the given name (석 다은)
_OPENING_SPACED_NAME = re.compile(  # used with .match at the segment's start
    rf"{_OPENING_LEAD}(?P<name>[{SURNAMES_1}]\s[가-힣]{{2}})"
    r"(?=이\s?고요|이\s?고|이\s?에요|예요|입니다|이요|이오|요|인데요|인데\s|,|\s|$|"
    r"이\s)"  # 이고 heard 이 and a word after it (엄 세진이 보면 … for 엄 세진이고 면허는 …)
)
# a numeral and its counter, not a surname and a name (오 분만 기다려 주세요, 이 번 …, 한 분은 …)
_NUMERAL_AND_COUNTER = re.compile(
    r"(?:[일이삼사오육칠팔구]|한|두|세|네)\s[분시초번개명일월년층호살만천백십원주회달]"
)


# unasked, the birth date begins this close after the name (김민수이고요 생년월일은 구십 …); after
# two syllables, a word at most between (전임 채윤이고 구십 …: 저는 임채윤 heard; not 승선 신고서에
# 생년월일이 …)
_DATE_AFTER_NAME_CHARS = 12
_DATE_AFTER_SHORT_NAME_CHARS = 8
# a subject's particle (하이가 이천십구년 …: 아이가 misheard): an opening word so ended is no name given
_SUBJECT_ENDING = ("가", "는", "를", "도")
# In an answer to a question for a name, the answer's first word may be the name with its surname
# misheard (택지후 예요 for 탁지후예요; 제가 알민중이요): three syllables and a copula.
_ANSWERED_ANY_NAME = re.compile(  # used with .match at the segment's start
    r"\s*(?:네\s|예\s|아\s|저\s|제가\s|저는\s)?(?P<name>[가-힣]{3})"
    r"(?=\s?(?:예요|이에요|입니다|이고요|이요)(?:\s|[.?!,]|$)|이\s요)"  # 이요 heard 이 요
)

# … or in Latin letters (Kim Minsu요 여권이랑 똑같이요)
_ANSWERED_LATIN_NAME = re.compile(  # used with .match at the segment's start
    rf"{_OPENING_LEAD}(?P<name>[A-Za-z]{{2,12}}(?:\s[A-Za-z]{{2,12}}){{0,2}})"
    r"(?=\s?(?:이요|요|입니다|이에요|예요|이고)|[,.]|\s?$)"  # Daniel Kim 이요
)
_LATIN_WORDS = frozenset(("ok", "okay", "yes", "no", "sorry", "hello", "hi"))
_DIGIT_WORDS = frozenset("일이삼사오육칠팔구십")
_DIGIT_AFTER = re.compile(r"\s?[공영일이삼사오육칠팔구십백천]")


def opening_name(text: str, segment_start: int, *, expected: bool) -> IdentitySpan | None:
    """The name the segment starting at `segment_start` opens with; `expected`: it answers a
    question for a name."""
    opening = _OPENING_NAME.match(text, segment_start)
    surname_heard = opening.group("name").split()[0] if opening is not None else ""
    if opening is not None and " " in opening.group("name").strip() and surname_heard not in SURNAMES_2:
        given = opening.group("name").split()[-1]
        rhyming = all(c in GIVEN_SYLLABLES for c in given)  # 남중 예린이에요: 남궁, its 궁 misheard
        opening = (
            opening if sounds_like_surname_2(surname_heard, rhyming=rhyming) else None
        )  # not 서울 말고요
    if opening is not None and len(compact := opening.group("name").replace(" ", "")) == 2:
        # 안에 저는 …: 아 네 misheard; 좌팔 십팔년생: a number read out goes on after 팔
        number_goes_on = compact[1] in _DIGIT_WORDS and _DIGIT_AFTER.match(text, opening.end("name"))
        opening = opening if compact[1] in GIVEN_SYLLABLES and not number_goes_on else None
    if opening is not None and (
        DIGITS_READ.fullmatch(opening.group("name")) or opening.group("name") in ("성이", "성은")
    ):
        opening = None  # 이삼 …: a number read out; 성이 노씨고: the surname is, not a name
    if opening is not None and birth_cue_at(text, opening.start("name")):
        opening = None  # 태일이 구월 삼십일: 생일 as heard, not a name
    if opening is not None and is_name(opening.group("name")):
        rest = text[opening.end("name") :]
        name = opening.group("name")
        # a relation and its particle (형이 팔십오년 …: the brother's birth date) is no name either,
        # asked or not (신랑은 궉 민재고 신부는 …: the names follow it)
        relation = bool(name.endswith(("이", "가", "은", "는", "도")) and RELATION_WORD.fullmatch(name[:-1]))
        subject = (len(name) == 3 and name.endswith(_SUBJECT_ENDING)) or relation
        if len(name) == 3 and name.endswith("에") and rest.startswith(" "):
            return None  # 명찰에 어 준혁이라고: where the name was written, not the name
        # an answer to "성함이?", or a name given with a birth date (not a sentence's subject)
        # (unasked, three syllables are a name only of given names' syllables: 태어난 해는 …)
        shaped = len(name.replace(" ", "")) != 3 or given_name_shaped(name)
        dates = birth_dates(rest)  # … right after the name (not 라식 수술 … 구십구년생이라)
        reach = _DATE_AFTER_NAME_CHARS if len(name.replace(" ", "")) >= 3 else _DATE_AFTER_SHORT_NAME_CHARS
        if (expected and not relation) or (
            not subject and shaped and dates and min(d.start for d in dates) <= reach
        ):
            return IdentitySpan(opening.start("name"), opening.end("name"), IdentityKind.NAME)
    elif expected and (spaced := _OPENING_SPACED_NAME.match(text, segment_start)) is not None:
        name = spaced.group("name")
        # 석 다은 is one name; 제 남편 is "my husband", 오 분만 a numeral and its counter
        ordinary = (
            name[2:] in NOT_NAMES or name.startswith(("제 ", "저 ")) or _NUMERAL_AND_COUNTER.match(name)
        )
        if is_name(name.replace(" ", "")) and not (ordinary or DIGITS_READ.fullmatch(name)):
            return IdentitySpan(spaced.start("name"), spaced.end("name"), IdentityKind.NAME)
    elif expected and (answered := _ANSWERED_ANY_NAME.match(text, segment_start)) is not None:
        name = answered.group("name")
        if is_name(name) and not VERB_ENDING.search(name) and not RELATION_WORD.fullmatch(name):
            return IdentitySpan(answered.start("name"), answered.end("name"), IdentityKind.NAME)
    elif (
        expected
        and (latin := _ANSWERED_LATIN_NAME.match(text, segment_start)) is not None
        and latin.group("name").lower() not in _LATIN_WORDS  # OK요: no name
    ):
        return IdentitySpan(latin.start("name"), latin.end("name"), IdentityKind.NAME)
    return None
