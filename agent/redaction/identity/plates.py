"""Car plates: in digits anywhere, read out after a car word, and as recognition splits them."""

from __future__ import annotations

import re

from agent.redaction.identity.spans import IdentityKind, IdentitySpan, spans_of

_PLATE_LETTER = "[가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주아바사자배허하호]"
_HANGUL_DIGITS = "[공영일이삼사오육륙칠팔구]"  # 륙: 육 as written after a vowel (사오륙칠)
# Four digits read with place values: 오천육백칠십팔, 삼 천사백 오십육
_THOUSANDS = r"[일이삼사오육칠팔구]?\s?천\s?(?:[일이삼사오육칠팔구]?백)?\s?(?:[일이삼사오육칠팔구]?십)?\s?[일이삼사오육칠팔구]?"
_PLATE_DIGITS = re.compile(rf"(?<![\d])\d{{2,3}}\s?{_PLATE_LETTER}\s?\d{{4}}(?!\d)")
_PLATE_SPOKEN = re.compile(  # after a word, or glued to the region (경남십이가 일이삼사)
    rf"(?:(?<![가-힣])|(?<=서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주))"
    rf"(?:{_HANGUL_DIGITS}{{2,3}}|[이삼사오육칠팔구]?십[일이삼사오육칠팔구]?|[일이삼사오육칠팔구]?백[이삼사오육칠팔구]?십?[일이삼사오육칠팔구]?)"
    # the four digits may be read in two pairs (사오 육칠), or glued to the letter (하사 오육칠)
    rf"\s?(?P<letter>{_PLATE_LETTER})\s?(?:(?P<four>{_HANGUL_DIGITS}(?:\s?{_HANGUL_DIGITS}){{3}})|\d{{4}}|{_THOUSANDS})(?!\d)"
)
# with no car word near (the sentence's car word misheard: 트럭 번호가 heard 틀오펀호가), a plate read
# out whole: its letter no digit as well (not 사, 오, 구: 영일구 사사영사 is a phone number) and its
# four digits read one by one (not 사십오 이천이: an address's numbers)
_DIGIT_LETTERS = "사오구"
# a car named by its model is a car word too (흰색 소나타 이십사 노 칠칠공팔)
_CAR_CUE = re.compile(
    r"차|번호\s?판|번호\s?반|렌트|렌터카|오토바이|이륜차|스[쿠쿼]터|바이크|원동기|택시|트럭|버스|승합|영업용|자가용|"
    r"[소쏘]나타|아반떼|그랜저|카니발|쏘렌토|싼타페|스포티지|제네시스|벤츠|아우디|포터|봉고"
)
# an older or a two-wheeler's plate: the region (and district) before the letter (서울 강남 바 일이삼사;
# after a district, a two-wheeler's letters are more than a car's: 부산 해운대 차 일오오일)
_REGION = r"(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)"
_REGIONAL_PLATE = re.compile(
    rf"(?<![가-힣]){_REGION}\s?(?:[가-힣]{{1,3}}(?={_PLATE_LETTER}\s)|[가-힣]{{1,3}}\s)?(?:{_PLATE_LETTER}|(?<=[가-힣]\s)[가-힣])\s?(?:{_HANGUL_DIGITS}(?:\s?{_HANGUL_DIGITS}){{3}}|\d{{4}}|{_THOUSANDS})(?!\d)"
)
CAR_CUE_CHARS = 40  # a car word earlier in the sentence (번호판 끝자리 말고 전체 불러 드릴게요 …)
# What recognition makes of a plate read out after a car cue: digit words split where the reader
# paused (오육오일 이삼사이에요 for 65오 1234), the plate's letter misheard as a word (삼십삼 어찌
# 칠칠팔팔 for 33어 7788). Six to nine digit syllables in a run of digit words, with at most one
# short other word inside, is a plate.
_DIGIT_WORD = re.compile(r"[공영일이삼사오육륙칠팔구십백천인]+")  # 인: 일 or 이 as heard
_WORD_ENDING = re.compile(
    r"(?:이에요|이예요|예요|에요|입니다|이고요|이고|이요|이오|요|번|이거든요|거든요|인데요|이라서|이라고|이었어요|였어요|이었는데|였는데)$"
)
_SPOKEN_WORD = re.compile(r"[^\s.,?!]+")  # a word without the punctuation after it
_LETTER_THEN_DIGITS = re.compile(rf"{_PLATE_LETTER}[공영일이삼사오육칠팔구인]{{1,4}}")
_DIGITS_THEN_LETTER = re.compile(
    rf"[공영일이삼사오육칠팔구십백인]{{1,4}}{_PLATE_LETTER}에?"
)  # 십이가 삼 사오육; 고에
# … the letter's ㄴ carried back onto the digit before it (이백십산우 for 이백십사 누: 사누 heard 산우)
_DIGITS_THEN_CARRIED_LETTER = re.compile(r"[공영일이삼사오육칠팔구십백인]{0,3}[인산온군][아어오우]에?")
# … or the letter heard with a final consonant it does not have (육십팔몰 공오오일 for 68모 0551)
_CLOSED_LETTERS = "".join(
    chr(ord(letter) + final) for letter in _PLATE_LETTER.strip("[]") for final in range(1, 28)
)
_DIGITS_THEN_CLOSED_LETTER = re.compile(rf"[공영일이삼사오육칠팔구십백인]{{2,4}}[{_CLOSED_LETTERS}]")
# the letter between digits in one word (오십칠나일 이삼삼: 57나 1233 heard with a pause after 1)
_DIGITS_LETTER_DIGITS = re.compile(
    rf"[공영일이삼사오육칠팔구십백인]{{1,4}}(?:{_PLATE_LETTER}|[{_CLOSED_LETTERS}])[공영일이삼사오육칠팔구인]{{1,4}}"
)  # the letter heard closed too (이십덕이 구일칠 for 20더 9917)
# a letter misheard as another syllable, then digits (넣칠칠공 for 너 7702)
_ANY_LETTER_THEN_DIGITS = re.compile(r"[가-힣][공영일이삼사오육칠팔구인]{2,4}")
# the plate's letter and its four digits, the front digits said apart or not at all (렌터카 번호 하
# 오칠칠공 앞자리는 십구요)
_LETTER_AND_FOUR = re.compile(
    rf"(?<![가-힣]){_PLATE_LETTER}\s[공영일이삼사오육칠팔구]{{4}}(?=[^가-힣]|$|요|이요|이에요|예요|입니다|이고)"
)
# asked for the plate's last four digits, the answer's four digits (칠칠이오요)
_LAST_FOUR = re.compile(
    r"\s*(?:[네예],?\s)?(?P<four>[공영일이삼사오육칠팔구]{4}|\d{4})"
    r"(?=이요|이에요|이예요|입니다|이고|(?![\d가-힣]{0,1}[공영일이삼사오육칠팔구\d]))"  # no fifth digit; 팔공팔공이요
)
_PARTICLE_ON_DIGITS = re.compile(r"[가는][공영일이삼사오육칠팔구십백]{2,4}")
PLATE_DIGITS = (6, 9)
PLATE_TAIL_CHARS = 48


def plates(text: str, answer_at: int | None = None) -> list[IdentitySpan]:
    """`answer_at`: where the answer to "차량 번호가 어떻게 되세요?" starts: it reads as after a car word."""
    found = spans_of(_PLATE_DIGITS, text, IdentityKind.PLATE)
    for pattern in (_PLATE_SPOKEN, _REGIONAL_PLATE, _LETTER_AND_FOUR):
        for match in pattern.finditer(text):
            # the car word before the plate or right after it (… 구일일일 그 회색 차가 제 차예요)
            if _CAR_CUE.search(text, max(0, match.start() - CAR_CUE_CHARS), match.end() + CAR_CUE_CHARS) or (
                pattern is _PLATE_SPOKEN
                and match.group("four")
                and match.group("letter") not in _DIGIT_LETTERS
            ):
                found.append(IdentitySpan(match.start(), match.end(), IdentityKind.PLATE))
    for cue in _CAR_CUE.finditer(text):
        found += _misheard_plate(text, cue.end())
    if answer_at is not None:  # the answer to "차량 번호가 어떻게 되세요?"
        found += [
            IdentitySpan(m.start(), m.end(), IdentityKind.PLATE)
            for m in _PLATE_SPOKEN.finditer(text, answer_at)
        ]
        found += _misheard_plate(text, answer_at)
        found += [  # the letter and four digits (하 칠이일오요 앞에는 삼십육이에요)
            IdentitySpan(m.start(), m.end(), IdentityKind.PLATE)
            for m in _LETTER_AND_FOUR.finditer(text, answer_at, answer_at + PLATE_TAIL_CHARS)
        ]
        four = _LAST_FOUR.match(text, answer_at)
        if four is not None:
            found.append(IdentitySpan(four.start("four"), four.end("four"), IdentityKind.PLATE))
    return found


def _misheard_plate(text: str, after: int) -> list[IdentitySpan]:
    """A run of digit words after a car cue (at most one short other word inside: the plate's
    letter misheard) holding six to nine digit syllables. Linear in the words read."""
    words = [
        (m.start(), m.end(), _WORD_ENDING.sub("", m.group()))
        for m in _SPOKEN_WORD.finditer(text, after, after + PLATE_TAIL_CHARS)
    ]
    # 번호가 split by recognition with its particle on the digits (번호 가오십팔 주팔팔이사)
    words = [
        (s + 1, e, w[1:])
        if i and words[i - 1][2] == "번호" and _PARTICLE_ON_DIGITS.fullmatch(w)
        else (s, e, w)
        for i, (s, e, w) in enumerate(words)
    ]
    low, high = PLATE_DIGITS
    for first in range(len(words)):
        start, _, word = words[first]
        if not (
            _DIGIT_WORD.fullmatch(word)
            or _DIGITS_THEN_LETTER.fullmatch(word)
            or _DIGITS_THEN_CARRIED_LETTER.fullmatch(word)
            or _DIGITS_THEN_CLOSED_LETTER.fullmatch(word)
            or _DIGITS_LETTER_DIGITS.fullmatch(word)
        ):
            continue
        digits, end, letter_used = 0, start, False
        for w_start, _, w in words[first:]:
            if not letter_used and _DIGITS_THEN_LETTER.fullmatch(w) and not _DIGIT_WORD.fullmatch(w):
                letter = 1 + w.endswith("에")  # 십이가: 12 + 가; 칠십팔고에: 78 + 고 + 에
                letter_used, digits, end = True, digits + len(w) - letter, w_start + len(w)
            elif not letter_used and _DIGITS_THEN_CLOSED_LETTER.fullmatch(w) and not _DIGIT_WORD.fullmatch(w):
                letter_used, digits, end = True, digits + len(w) - 1, w_start + len(w)  # 육십팔몰
            elif not letter_used and _DIGITS_THEN_CARRIED_LETTER.fullmatch(w):
                letter = 1 + w.endswith("에")  # 이백십산우: 210 + 사 + 누
                letter_used, digits, end = True, digits + len(w) - letter, w_start + len(w)
            elif _DIGIT_WORD.fullmatch(w):
                digits, end = digits + len(w), w_start + len(w)  # the digits, not the ending after them
            elif not letter_used and _DIGITS_LETTER_DIGITS.fullmatch(w):
                letter_used, digits, end = True, digits + len(w) - 1, w_start + len(w)  # 오십칠나일
            elif not letter_used and digits >= 2 and _LETTER_THEN_DIGITS.fullmatch(w):
                letter_used, digits, end = True, digits + len(w) - 1, w_start + len(w)  # 보일이: 보 + 12
            elif not letter_used and digits >= 2 and _ANY_LETTER_THEN_DIGITS.fullmatch(w):
                letter_used, digits, end = True, digits + len(w) - 1, w_start + len(w)  # 넣칠칠공
            elif not letter_used and digits >= 2 and len(w) <= 2:
                letter_used = True
            else:
                break
        if low <= digits <= high:
            return [IdentitySpan(start, end, IdentityKind.PLATE)]
        if _DIGITS_THEN_CARRIED_LETTER.fullmatch(word) or _DIGITS_THEN_CLOSED_LETTER.fullmatch(word):
            continue  # a letter only as heard (삼십산 아오 천육백칠십팔): the next run may be the plate
        return []  # only the first run of digit words after the cue is read
    return []
