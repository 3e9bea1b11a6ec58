"""Names not of a Korean name's shape: a Vietnamese name by its surname (응우옌 티 란), a name in
Latin letters after a cue only a name follows (이름은 Kevin Cho예요), and two words of Hangul
after such a cue with a name's ending (이름은 다나카 유키고요, 성함이 마리아 김이에요; 영문 이름은 존
스미스고)."""

from __future__ import annotations

import re

from agent.redaction.identity.name_shape import RELATION, VERB_ENDING, given_name_shaped, names_a_thing
from agent.redaction.identity.name_words import NOT_NAMES
from agent.redaction.identity.spans import IdentityKind, IdentitySpan, spans_of

# A Vietnamese name as Korean writes it (응우옌 티 란, 쩐 반 훙, 레 티 투): the most common surnames (레,
# 팜, 당, 보 only before a middle name such as 티 or 딘; 레 and 팜 before 반 too), then one
# to three short words, then a name's ending; Vietnamese residents are Korea's largest group of
# marriage migrants, and their names follow no Korean surname.
_VIETNAMESE_NAME = re.compile(
    r"(?<![가-힣])(?P<name>(?:(?:응\s?우옌|응\s?우엔|응웬|뉴엔|위엔|쩐|호앙|후인|부이|즈엉|응오)"
    r"|(?:레|팜|당|보)(?=\s(?:티|딘|득|꾸옥|밍)\s)|(?:레|팜)(?=\s반\s))(?:\s[가-힣]{1,2}?){1,3}?)"  # 레 티 투, 팜 반 롱: with a middle name
    r"(?=으로|로\s|\s?이에요|예요|입니다|이고|이요|요\b|이라고|라고|\s?씨|\s?님|[,.?!]|\s?$)"
)
# a name in Latin letters after a cue only a name follows (이름은 Kevin Cho예요)
_LATIN_NAME = re.compile(
    r"(?:이름|성함|존함|성명|영문명|영문\s?이름)(?:은|는|이|가|을|를)?\s(?:영문으로\s|영어로\s)?"  # 이름은 영문으로 JUNG HAEIN
    r"(?P<name>[A-Za-z]{2,12}(?:\s[A-Za-z]{2,12}){0,2})"
    r"(?=\s?(?:이에요|예요|입니다|이고|이요|으로|로\s|인데|라고|이라고)|요|\s?[.,?!]|\s?$)"  # 영문 이름을 KYUNG HAEUN 으로, … NURLANOV 라고
)
# … or a Latin name said to be what someone goes by (그 친구는 Sora Kim 이라는 이름으로 활동해요)
_LATIN_NAME_CALLED = re.compile(
    r"(?<![A-Za-z])(?P<name>[A-Z][a-z]{1,11}(?:\s[A-Z][a-z]{1,11}){1,2})(?=\s?(?:이)?라는\s?(?:이름|영어\s?이름|영문\s?이름|닉네임))"
)
# … or said after the person's nationality or after 외국인 (중국 국적 남편 왕 웨이고요, 베트남 국적인 쩐 반 훙이에요)
_NATIONAL_NAME = re.compile(
    rf"(?:국적(?:인|의|을 ?가진)?|(?P<foreigner>외국인)(?:은|이|인|으로는))\s(?P<kin>{RELATION}\s)?(?P<name>[가-힣]{{1,3}}(?:\s[가-힣]{{1,3}}){{1,2}}?)"
    r"(?=이고요|고요|이고\s|이에요|예요|입니다|이요|이라고|라고|[,.]|\s?$|\s한\s?(?:명|분))"  # 외국인은 존 스미스 한 명이에요
)
_COUNTED_ONE = re.compile(r"\s한\s?(?:명|분)")
# … or spelled letter by letter (영어 스펠링은 S O Y E O N 이고 성은 H W A N G 이에요)
_SPELLED_LATIN_NAME = re.compile(
    r"(?:이름|성함|성명|스펠링|철자|영문|성)(?:은|는|이|가)?\s(?P<name>[A-Za-z](?:\s[A-Za-z]){1,15})"
    r"(?=\s?(?:이고|이에요|예요|입니다|이요|요|라고|이라고)|\s?[,.]|\s?$)"
)
# … or two words of Hangul, each of two to four syllables (다나카 유키고요): a foreign name as
# Korean writes it, given name and family name in either order; a one-syllable family name first
# (리 웨이인데) only before a copula or 인데, and not a one-syllable Korean word (이름이 두 개예요)
_WRITTEN_FOREIGN_NAME = re.compile(
    r"(?:이름|성함|존함|성명)(?:은|는|이|가)?\s(?P<name>[가-힣]{2,4}\s[가-힣]{2,4}"
    r"(?=이고요|이고|고요|이에요|예요|입니다|이요|라고|이라고|\s?[.,?!]|\s?$)|"
    r"(?![한두세네몇그이저좀다안못잘또왜꼭늘참]\s)[가-힣]\s[가-힣]{2,3}(?=이고요|이고|이에요|예요|입니다|인데\s|이라고|라고))"
)

# … or after 영문 이름 (영문 이름은 존 스미스고): a word of one syllable too (존, 톰), ended with 고
_ENGLISH_NAME = re.compile(
    r"(?:영문|영어)\s?(?:이름|성함|성명|명)(?:은|는|이|가)?\s(?P<name>[가-힣]{1,4}(?:\s[가-힣]{1,4}){1,2}?)"
    r"(?=이고요|이고|고요|고\s|이에요|예요|입니다|이요|라고|이라고|\s?[.,?!]|\s?$)"
)


def foreign_names(text: str) -> list[IdentitySpan]:
    """Vietnamese names, names in Latin letters and foreign names in Hangul after a name's cue."""
    found = spans_of(_VIETNAMESE_NAME, text, IdentityKind.NAME, "name")
    found += spans_of(_SPELLED_LATIN_NAME, text, IdentityKind.NAME, "name")
    found += spans_of(_LATIN_NAME_CALLED, text, IdentityKind.NAME, "name")
    for national in _NATIONAL_NAME.finditer(text):  # not words (한국 국적 회복 신청 하려고요)
        words = national.group("name").split()
        # a surname of one syllable (왕 웨이, 쩐 반 훙) or a Vietnamese one; any after a relation
        surname = len(words[0]) == 1 or words[0] in ("응우옌", "후인", "부이", "도안")
        ordinary = any(
            w.removesuffix("이") in NOT_NAMES
            or w.startswith(("하", "되", "해", "했"))
            or w in ("그", "저", "제", "한", "두", "세", "몇", "명", "분")  # 외국인은 두 명이에요: counted
            for w in words
        )
        # after 외국인 only a person counted (외국인은 존 스미스 한 명이에요; not 외국인은 신분증 사본이요)
        if national.group("foreigner") and not _COUNTED_ONE.match(text, national.end("name")):
            continue
        if (surname or national.group("kin") or national.group("foreigner")) and not ordinary:
            found.append(IdentitySpan(national.start("name"), national.end("name"), IdentityKind.NAME))
    for pattern in (_LATIN_NAME, _WRITTEN_FOREIGN_NAME, _ENGLISH_NAME):
        for named in pattern.finditer(text):
            words = named.group("name").split()
            # not words and a verb (서문경아 맞습니다), not a Korean name said twice (도하윤 도하윤)
            ordinary = pattern is not _LATIN_NAME and (
                any(
                    w in NOT_NAMES
                    or VERB_ENDING.search(w)
                    or given_name_shaped(w)
                    or w.endswith(("님", "씨"))
                    for w in words
                )  # 탁 이장님이라고: a title
            )
            if not ordinary and not names_a_thing(text, named.start()):  # 파일 이름은 report예요
                found.append(IdentitySpan(named.start("name"), named.end("name"), IdentityKind.NAME))
    return found
