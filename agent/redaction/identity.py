"""Quasi-identifiers in Korean call text: personal names, birth dates, addresses and car plates.

A name with a birth date identifies a person as surely as a registration number, so these are
masked like the numbers of `agent/redaction/redactor.py` (which calls `find_identities`), before
anything is stored, indexed or sent to an LLM. Each finder works on what is said around the value,
because a Korean name or place is an ordinary word without it:

- **Names**: a surname (the common single-syllable ones and the two-syllable 남궁, 황보, 제갈,
  선우, 독고, 사공, 서문 …) and a given name of one or two syllables, where something says it is a
  name: a word before it (이름은, 성함은, 예약자, 명의자, 수령인, 보호자, 저는 …, with a relation
  word between: 명의는 아버지 유재석), a title after it (고객님, 님, 씨: names of three syllables or
  more, so 기사님 and 선생님 stay), `… 이름으로 / 명의로`, or a name that opens an answer right
  before a birth date (이서연이고요 구십일년 …). The caller can also say a name is expected (the
  agent just asked for it): then the answer's first word, when it has a name's shape, is one.
  The agent's own name in a greeting is kept unless `agent_name` is set.
- **Birth dates**: year, month and day read any way (digits, Sino-Korean numerals, 시월/유월) followed
  by 생 or near 생년월일 / 생일 / 태어나다 / 출생; a year with 년생 alone; a month and day after 생일;
  six or eight digits after 생년월일. Other dates (결제일, 계약 만료) are left alone.
- **Addresses**: a road name (…로, …길, …번길) or a neighbourhood (…동, …리, …가) followed by a
  building or lot number (digits, a dash or 다시, Sino-Korean numerals, 번지), a building and unit
  (101동 1203호, 백오동 천이백일호), extended over the city and district before it and the floor
  after. A road or station named without a number (강남역 2번 출구로, 테헤란로 쪽으로) is a
  direction, not an address; a number followed by a unit (미터, 분, 원, 개 …) is not a house number.
- **Car plates**: two or three digits, the plate's Hangul letter and four digits (12가 3456), in
  Arabic digits anywhere, and read out in Hangul digits or numerals after a car word (차, 차량,
  번호판).

- **E-mail addresses half-heard**: what follows 이메일은 / 메일 주소는 up to the sentence's end, when
  it has an address's marks however recognition wrote them (골빵이, 닷컴, a mail provider).

Recognized speech rewrites what these rules look for (a surname misheard, 년 written 연 or 면, a
plate's digits read with place values), so a second layer reads what recognition makes of them:
after a cue that can only announce a name, any two to four syllables with a name's ending; a
two-syllable name before 님; the rare two-syllable surnames alone; a number right after a
birth-date cue; the rest of the sentence after 주소는 when it has an address's parts. Measured in
docs/redaction.md.

Every pattern has bounded repeats and no nested ones: the scan is linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

SURNAMES_2 = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "을지", "망절", "어금")
SURNAMES_1 = (
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현"
    "함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부가복태목형계피두감음빈동온호범좌"
)


class IdentityKind(StrEnum):
    NAME = "name"
    BIRTH_DATE = "birth_date"
    ADDRESS = "address"
    PLATE = "plate"
    EMAIL = "email"  # an address read aloud and half-heard, after a word that announces it


@dataclass(frozen=True)
class IdentitySpan:
    start: int
    end: int
    kind: IdentityKind


_SURNAME = "(?:" + "|".join(SURNAMES_2) + "|[" + SURNAMES_1 + "])"
# A name: surname + one or two syllables (a space between surname and given name is allowed).
_NAME = rf"{_SURNAME}(?:\s?[가-힣]{{1,2}}|[가-힣]\s[가-힣])"
# After a cue that can only announce a name, recognized speech may have misheard the surname:
# any two to four syllables (one space among them) will do.
_ANY_NAME = r"[가-힣](?:\s?[가-힣]{1,2}|[가-힣]\s[가-힣]|[가-힣]{2}\s?[가-힣])"
_RELATION = (
    r"(?:어머니|아버지|엄마|아빠|어머님|아버님|남편|아내|와이프|동생|언니|오빠|누나|형|딸|아들|할머니|할아버지|"
    r"부모님|배우자|자녀)"
)
# Words that announce the name that follows (a word or two may stand between: 명의는 저희 어머니 …).
_NAME_CUE = re.compile(
    r"(?<![가-힣\d])(?:(?:사용자|이용자|회원|가입자|예금주)\s?[명면]|"  # 사용자 명은 (면은 as heard): before 가입자
    r"이름|성함|명의자|명의|예약자|수령인|수령|받는\s?(?:사람|분)|보호자|가입자|신청자|계약자|고객명|예금주|소유자|"
    rf"운전자|피보험자|{_RELATION})(?:은|는|이|가|이요|요|이고|:)?(?:\?|,)?(?=\s|$)"
)
_SELF_CUE = re.compile(r"(?:^|(?<=\s))(?:저는|전|제가|나는|난)(?=\s)")
_BARE_SELF_CUE = re.compile(r"(?:^|(?<=\s))저(?=\s)")  # "저 최민호라고 하는데요"
_AGENT_CUE = re.compile(r"(?:상담원|상담사|고객센터|매니저)(?=\s)")
_WORD_START = re.compile(r"\s+(?=\S)")
# A name as a cue's answer: the name, then a copula, a particle that goes with a name, or a pause.
_ANSWER_NAME = re.compile(
    rf"(?P<name>{_NAME})(?=이\s?고요|이\s?구요|이\s?에요|이\s?예요|예요|입니다|이고|이요|요\b|요[,.?]|고요|"
    r"이라고|라고|이랑|으로|로\b|로\s|님|씨|\s?고객님|,|\.|\?|$)"
)
# Cues after which only a name can follow (no relation word, no 저는): the surname may be misheard.
_STRONG_CUE = re.compile(
    r"(?<![가-힣\d])(?:(?:사용자|이용자|회원|가입자|예금주)\s?[명면]|"
    r"이름|성함|명의자|예약자|수령인|수령이|보호자|가입자|신청자|계약자|고객명|예금주)"
    r"(?:은|는|이|가|이요|요|:)?(?:\?|,)?\s"
)
_LOOSE_NAME = re.compile(
    rf"(?P<name>{_ANY_NAME})(?=이\s?고요|이\s?에요|예요|입니다|이고|이요|요\b|요[,.]|이라고|라고|으로|로\s|,|\.|$|"
    r"\s(?:생년|생일|주소|연락처|전화|번호|본인|님|씨))"
)
_OURS = r"저희|저[흐흠히]"  # 저희, and what recognition makes of it
_BETWEEN = re.compile(rf"(?:{_OURS}|제|우리|{_RELATION})(?=\s)")  # what may stand between a cue and its name
_NOUN_PARTICLE = re.compile(r"으로|로\s|이라고|라고")
_SELF_NAME_END = re.compile(r"이라고|라고|이에요|예요|입니다|이고|이요|요")
_QUOTED_NAME_END = re.compile(r"이라고|라고|입니다")
_AGENT_NAME_END = re.compile(r"입니다|이에요|예요|이고요|이고")
CUE_WORDS_SKIPPED = 2  # words between a cue and its name (저희 어머니)
# What may stand between a cue that only a name can follow and the name: the same words, and a
# filler the speaker (or the recognizer) put there (이름이 어 …, 성함은 음 …).
_STRONG_BETWEEN = re.compile(rf"(?:{_OURS}|제|우리|{_RELATION}|어|음|아|그|요)(?=\s)")
_TITLED_NAME = re.compile(
    rf"(?<![가-힣])(?P<name>{_SURNAME}(?:[가-힣]{{1,3}}|\s[가-힣]{{1,2}}|[가-힣]\s[가-힣]{{1,2}}))\s?(?=고객님|님|씨|손님|회원님)"
)
# The rare two-syllable surnames make a name by themselves: 황보현우, 남궁민, 선우진 …
_RARE_SURNAME_NAME = re.compile(
    r"(?<![가-힣])(?P<name>(?:황보|남궁|제갈|선우|독고)[가-힣]{1,2})(?![가-힣]{2})"
)
_TITLE_ENDINGS = ("장", "사", "관", "생")  # 과장님, 기사님, 경찰관님, 선생님: titles, not names
# A name spelled syllable by syllable: 김 영 희요.
_SPELLED_NAME = re.compile(
    rf"(?<![가-힣])(?P<name>{_SURNAME}\s[가-힣]\s[가-힣](?:\s[가-힣])?)(?=요|이요|입니다|이에요|예요)"
)
_NAME_AS = re.compile(
    rf"(?<![가-힣])(?P<name>{_NAME})\s?(?=이름으로|명의로|앞으로|이름이요|명의예요|명의입니다)"
)
_OPENING_NAME = re.compile(  # used with .match at the segment's start
    rf"\s*(?:네\s|예\s|아\s|저\s)?(?P<name>{_SURNAME}[가-힣]{{1,2}})(?=이\s?고요|이\s?고|이\s?에요|예요|입니다|이요|요|,|\s)"
)
# Titles and ordinary words that look like surname + syllables before 님/씨.
_NOT_NAMES = frozenset(
    (  # noqa: SIM905 (one word list to read, not 200 quoted items)
        "기사 선생 사장 부장 과장 차장 대리 팀장 원장 교수 회원 고객 상담사 상담원 손님 형 누나 언니 오빠 이분 그분 저분 이사 감독 반장 소장 실장 국장 "
        "의사 간호사 기자 작가 선배 후배 주인 사모 사장님 아버 어머 할머 할아 도련 아가 박사 신부 목사 스님 수녀 점장 매니저 대표 총무 계장 주임 조장 "
        "공무원 장관 시장 구청장 사원 사용자 이용자 본인 가족 동생 부모 아드 따님 아드님 고모 이모 삼촌 조카 사위 며느리 여러분 귀하 당신 우리 저희 정말 "
        "조금 이번 한번 이제 오늘 내일 어제 지금 그냥 진짜 혹시 하나 주문 문의 신청 변경 확인 안내 처리 이용 가입 해지 결제 요금 배송 수리 교체 방문 예약 "
        "취소 환불 어떻게 어떻 어디 어느 어떤 이거 이게 이것 이건 이렇게 그렇게 저렇게 저기 전화 전에 제가 하고 하는 안녕 주소 주민 성함 이름 명의 계약 "
        "연락 번호 사람 사실 서비스 상담 문자 방금 남편 아내 유심 우선 일단 이미 아직 다시 마지 나중 정도 정확 전부 모두 명의자 예약자 수령인 보호자 가입자 "
        "신청자 계약자 고객명 예금주 소유자 운전자 피보험자 어머니 아버지 어머님 아버님 할머니 할아버지 부모님 배우자 자녀 와이프 엄마 아빠 딸 아들"
    ).split()
)

# --- numbers as they are read ------------------------------------------------------------------
_SINO = r"[일이삼사오육칠팔구십백천공영인]{1,7}"  # 인: a common mishearing of 일
# a numeral whose last syllable took the ㄴ of 년 (구십구 년 heard 구십군 연, 구십 년 heard 구심 년)
_SINO_N = r"[일이삼사오육칠팔구십백천공영인]{0,6}[군산온심]"
_NUM = rf"(?:\d{{1,4}}|{_SINO})"
# 연, 면: 년 as recognition often writes it; after a syllable that took its ㄴ, also 영 (구십군영)
_YEAR = rf"(?:(?:\d{{2}}|\d{{4}}|{_SINO})\s?[년연면]|{_SINO_N}\s?[년연면영])"
_MONTH = r"(?:\d{1,2}|[일이삼사오육칠팔구십]{1,3}|시|유|우)\s?월"
_DAY = r"(?:\d{1,2}|[일이삼사오육칠팔구십인]{1,4}|[이삼]십\s[일이삼사오육칠팔구인])\s?일"  # 이십 사일: read with a pause
_BIRTH_CUE = re.compile(r"생\s?년\s?월\s?일|생년|생일|태어|출생|탄생")
_FULL_DATE = re.compile(rf"(?<!\d){_YEAR}\s?{_MONTH}\s?{_DAY}")
_MONTH_DAY = re.compile(rf"(?<![\d가-힣]){_MONTH}\s?{_DAY}")
_YEAR_OF_BIRTH = re.compile(rf"(?<![\d])(?:\d{{2}}|\d{{4}}|[가-힣]?{_SINO}[가-힣]?)\s?[년연]생")
# A number read with place values right after a birth cue: 생년월일 여섯 자리는 팔십팔만 이백십사
_BIRTH_NUMBER = re.compile(
    r"[일이삼사오육칠팔구십백천만공영]{2,8}(?:\s[일이삼사오육칠팔구십백천만공영]{1,8}){0,2}"
)
# six or eight digits, read in groups (구팔공 육일이: a space between them)
_BIRTH_DIGITS = re.compile(r"(?<!\d)(?<!\d )(?:(?:\d ?){7}|(?:\d ?){5})\d(?! ?\d)")
BIRTH_CUE_CHARS = 24  # how far before a date a birth word may stand

# --- addresses -----------------------------------------------------------------------------------
_HOUSE_NUMBER = rf"(?:\d{{1,5}}(?:\s?-\s?\d{{1,4}})?|{_SINO}(?:\s?(?:다시|에|의)?\s?{_SINO})?)"
_NOT_HOUSE = r"(?!\s?(?:미터|m\b|킬로|km|분|시간|시|원|만|천원|개|명|대|번\s?출구|번\s?버스|%|퍼센트|살|세|년|월|일|회|배|등|위|주|달|초|층짜리))"
_END = r"(?=$|[\s,.?!]|번지|번|층|호|이에요|예요|입니다|이요|요|이고|으로|로|에|이|쪽)"
_ROAD = re.compile(
    rf"(?<![가-힣])(?P<road>[가-힣][가-힣0-9]{{0,10}}(?:대로|로|길)(?:\s?\d{{1,4}}\s?번?길)?)\s?{_HOUSE_NUMBER}{_NOT_HOUSE}{_END}"
)
_LOT = re.compile(rf"(?<![가-힣])[가-힣]{{1,6}}(?:동|리|가)\s?{_HOUSE_NUMBER}{_NOT_HOUSE}\s?번지")
# A neighbourhood with its district before it and a number after it is a house's lot, with or
# without 번지 or 다시 (연수구 송도동 이십구 십삼으로): a number of two syllables or more (이 층 is a floor).
_DISTRICT_LOT = re.compile(
    rf"(?<![가-힣])[가-힣]{{1,4}}(?:구|군|시)\s[가-힣]{{1,6}}(?:동|리|읍|면)\s?"
    rf"(?:\d{{1,5}}(?:\s?-\s?\d{{1,4}})?|[일이삼사오육칠팔구십백천공영인]{{2,7}}(?:\s?(?:다시|에|의)?\s?{_SINO})?)"
    rf"{_NOT_HOUSE}{_END}"
)
# A number before 번지 is a lot whatever was misheard around it (효자동 삼가 구백십 번지 → 효자동
# 삼각오백십번지); 번지수 (an idiom: 번지수를 잘못 찾았다) and 번지 점프 (bungee) are not one.
_LOT_NUMBER = re.compile(
    rf"(?<![가-힣])(?:[가-힣]{{1,6}}(?:동|리|가)\s?)?[가-힣]{{0,2}}(?:\d{{1,5}}(?:\s?-\s?\d{{1,4}})?|{_SINO})\s?번지(?!수|\s?점프)"
)
_LOT_DASH = re.compile(
    rf"(?<![가-힣])[가-힣]{{1,6}}(?:동|리|가)\s?(?:\d{{1,5}}\s?-\s?\d{{1,4}}|{_SINO}\s?다시\s?{_SINO})"
)
# What may stand between two parts of one address: a building's name (at most two words, no punctuation).
_BUILDING_BETWEEN = re.compile(r"\s?(?:[가-힣A-Za-z0-9]{1,12}\s?){0,2}\s?")
# What follows "주소는": everything up to the sentence's end, when it has an address's parts.
_ADDRESS_CUE = re.compile(r"(?<![가-힣])(?:주소|배송지|사는\s?곳)(?:는|은|가|이|요)?\s")
_ADDRESS_TAIL = re.compile(r"[^.?!]{4,60}?(?=\s?(?:이에요|이예요|예요|입니다|이고요|이요|요)?[.?!]?$|[.?!])")
_ADDRESS_PART = re.compile(
    r"[가-힣](?:구|동|로|길|시|리|읍|면)(?:\s|$)|번지|\d|[일이삼사오육칠팔구]?[백천십]"
)
# a unit number's first digit misheard (오백이호 → 요백이호, 로백이호): between 동 and 호 it is still one
_UNIT_NUM = rf"(?:{_NUM}|[가-힣][백천십][일이삼사오육칠팔구십백천공영인]{{0,5}})"
_UNIT = re.compile(rf"(?<![\d가-힣]){_UNIT_NUM}\s?동\s?{_UNIT_NUM}\s?호")
# A particle or an ordinary word, not a road name ending in 로 or 대로; a road name has two
# syllables or more before 로 (종로 and the like are written with their 가: 종로3가).
_ROAD_WORDS_NOT = re.compile(
    r"(?:으로|에서|부터|까지|그대로|이대로|저대로|제대로|마음대로|멋대로|예정대로|순서대로|말씀대로|원래대로|계획대로|"
    r"규정대로|약속대로|생각대로|시간대로|법대로)$|^[가-힣](?:로|길)$"
)
_AREA_WORD = re.compile(
    r"(?<![가-힣])(?:[가-힣]{1,8}(?:특별시|광역시|특별자치시|특별자치도|시|도|구|군|읍|면)|서울|부산|대구|인천|광주|대전|울산|세종|제주|경기|강원|충북|충남|전북|전남|경북|경남)\s$"
)
# Whose address it is: a shop, branch, office or centre's is not personal.
_BUSINESS = re.compile(
    r"매장|지점|대리점|사무실|본사|지사|센터|영업소|회사|공장|점은|점이|점의|가게|병원|학교|은행"
)
BUSINESS_CHARS = 16
_FLOOR_AFTER = re.compile(rf"^\s?,?\s?{_NUM}\s?층")

# --- car plates ----------------------------------------------------------------------------------
_PLATE_LETTER = "[가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주아바사자배허하호]"
_HANGUL_DIGITS = "[공영일이삼사오육칠팔구]"
# Four digits read with place values: 오천육백칠십팔, 삼 천사백 오십육
_THOUSANDS = r"[일이삼사오육칠팔구]?\s?천\s?(?:[일이삼사오육칠팔구]?백)?\s?(?:[일이삼사오육칠팔구]?십)?\s?[일이삼사오육칠팔구]?"
_PLATE_DIGITS = re.compile(rf"(?<![\d])\d{{2,3}}\s?{_PLATE_LETTER}\s?\d{{4}}(?!\d)")
_PLATE_SPOKEN = re.compile(
    rf"(?<![가-힣])(?:{_HANGUL_DIGITS}{{2,3}}|[이삼사오육칠팔구]?십[일이삼사오육칠팔구]?|[일이삼사오육칠팔구]?백[이삼사오육칠팔구]?십?[일이삼사오육칠팔구]?)"
    rf"\s?{_PLATE_LETTER}\s?(?:{_HANGUL_DIGITS}{{4}}|\d{{4}}|{_THOUSANDS})(?!\d)"
)
_CAR_CUE = re.compile(r"차|번호\s?판|번호\s?반|렌트|렌터카")
CAR_CUE_CHARS = 20
# What recognition makes of a plate read out after a car cue: digit words split where the reader
# paused (오육오일 이삼사이에요 for 65오 1234), the plate's letter misheard as a word (삼십삼 어찌
# 칠칠팔팔 for 33어 7788). Six to nine digit syllables in a run of digit words, with at most one
# short other word inside, is a plate.
_DIGIT_WORD = re.compile(r"[공영일이삼사오육칠팔구십백천]+")
_WORD_ENDING = re.compile(
    r"(?:이에요|이예요|예요|에요|입니다|이고요|이고|이요|요|번|이거든요|거든요|인데요|이라서|이라고)$"
)
_SPOKEN_WORD = re.compile(r"\S+")
_LETTER_THEN_DIGITS = re.compile(rf"{_PLATE_LETTER}[공영일이삼사오육칠팔구]{{1,4}}")
PLATE_DIGITS = (6, 9)
PLATE_TAIL_CHARS = 48


# --- e-mail addresses as recognition writes them -------------------------------------------------
_EMAIL_CUE = re.compile(r"(?<![가-힣])(?:이메일|이매일|메일|매일)\s?(?:주소)?(?:는|은|이|가|요)?\s")
# A mail provider's domain read out: the surest part of an address to be heard right (점검, 점심
# are words, so the top-level domain must sound like one; a site visited is no address).
_SPOKEN_DOMAIN = re.compile(
    r"(?<![가-힣A-Za-z])(?:[네내]이버|[지G]\s?[메매]일|한[메매]일|다음|네이트|카카오|naver|gmail|daum|hanmail|nate|kakao)"
    r"\s?(?:점|닷|쩜)\s?(?:컴|컵|껌|커|넷|넽|com|net)"
    r"(?![A-Za-z]|\s?(?:에|사이트|홈페이지|들어))",  # a site visited (네이버 닷컴에서 봤어요) is no address
    re.IGNORECASE,
)
_WORDS_BEFORE = re.compile(r"(?:[^\s.?!,]+\s+){1,2}$")  # searched in a bounded window: linear
EMAIL_USER_CHARS = 32
_EMAIL_AT_MARK = re.compile(r"골뱅|골빵|골백|[고오](?:뱅|빵|벵)이|고백이|olbang|앳|@")
# after an e-mail cue, the marks however they were heard (골뱅이 as 오빵이 or 고백이, 닷컴 as 닿고 or
# 다섯컴, 점 컴 as 점커)
_EMAIL_MARK = re.compile(
    r"골뱅|골빵|골백|[고오](?:뱅|빵|벵)이|고백이|olbang|앳|닷|닿|다섯\s?[컴컵껌커컼]|점\s?[컴컵껌커]|점\s?넷|"
    r"[네내]이버|다음|[지G]\s?[메매]일|한[메매]일|카카오|네이트|gmail|naver|daum|hanmail|kakao|\.com|\.net",
    re.IGNORECASE,
)


def _spans_of(
    pattern: re.Pattern[str], text: str, kind: IdentityKind, group: str | None = None
) -> list[IdentitySpan]:
    return [
        IdentitySpan(m.start(group) if group else m.start(), m.end(group) if group else m.end(), kind)
        for m in pattern.finditer(text)
    ]


_VERB_ENDING = re.compile(r"(?:죠|요|다|까|세|시|니|네|고|서|며|면|게|지|해|러|도)$")


def _is_name(text: str) -> bool:
    """Not a title, an ordinary word or a verb: 김 대리, 기사, 정말, 맞으시 …"""
    compact = text.replace(" ", "")
    if len(compact) < 2 or any(compact[:n] in _NOT_NAMES for n in (2, 3, len(compact))):
        return False
    return not any(word in _NOT_NAMES or compact[1:] == word for word in text.split() if len(word) >= 2)


def _name_after(text: str, cue_end: int, ends: re.Pattern[str] | None = None) -> IdentitySpan | None:
    """The name a cue announces: the next word with a name's shape (for `ends`, followed by one of
    those endings), with at most CUE_WORDS_SKIPPED relation words before it (저희 어머니)."""

    def answer(pos: int) -> IdentitySpan | None:
        found = _ANSWER_NAME.match(text, pos)
        if (
            found is None
            or not _is_name(found.group("name"))
            or (ends is not None and not ends.match(text, found.end()))
        ):
            return None
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
            span = _name_after(text, match.end(), ends)
            if span is not None:
                found.append(span)
    for span in _spans_of(_TITLED_NAME, text, IdentityKind.NAME, "name"):
        word = text[span.start : span.end]
        short = len(word.replace(" ", "")) < 3  # a two-syllable name: recognized speech drops surnames
        if _is_name(word) and not (short and (word.endswith(_TITLE_ENDINGS) or _VERB_ENDING.search(word))):
            found.append(span)
    for strong in _STRONG_CUE.finditer(text):
        loose = _loose_name_after(text, strong.end())
        if loose is not None:
            found.append(loose)
    found += [
        s
        for s in _spans_of(_RARE_SURNAME_NAME, text, IdentityKind.NAME, "name")
        if _is_name(text[s.start : s.end])
    ]
    for pattern in (_NAME_AS, _SPELLED_NAME):
        found += [
            s for s in _spans_of(pattern, text, IdentityKind.NAME, "name") if _is_name(text[s.start : s.end])
        ]
    opening = _OPENING_NAME.match(text, segment_start)
    if opening is not None and _is_name(opening.group("name")):
        rest = text[opening.end("name") :]
        if expected or birth_dates(rest):  # an answer to "성함이?" or a name given with a birth date
            found.append(IdentitySpan(opening.start("name"), opening.end("name"), IdentityKind.NAME))
    return found


def birth_dates(text: str, answer_at: int | None = None) -> list[IdentitySpan]:
    """`answer_at`: where the answer to "생년월일이 어떻게 되세요?" starts: it reads as a birth cue."""
    found = _spans_of(_YEAR_OF_BIRTH, text, IdentityKind.BIRTH_DATE)
    cues = [m.end() for m in _BIRTH_CUE.finditer(text)]  # in order: one bisect per date
    if answer_at is not None:
        cues = sorted([*cues, answer_at])

    def cue_before(start: int) -> bool:
        at = bisect.bisect_right(cues, start)
        return at > 0 and start - cues[at - 1] <= BIRTH_CUE_CHARS

    for pattern in (_FULL_DATE, _MONTH_DAY):
        for match in pattern.finditer(text):
            end = match.end()
            if text.startswith("생", end) or cue_before(match.start()) or "태어" in text[end : end + 6]:
                found.append(
                    IdentitySpan(match.start(), end + text.startswith("생", end), IdentityKind.BIRTH_DATE)
                )
    for cue_end in cues:  # the first number within a few words after the cue
        number = _BIRTH_NUMBER.search(text, cue_end, cue_end + BIRTH_CUE_CHARS)
        if number is not None and len(number.group().replace(" ", "")) >= 4:
            found.append(IdentitySpan(number.start(), number.end(), IdentityKind.BIRTH_DATE))
    if cues:
        from agent.redaction.digits import digit_view

        views = {digit_view(text), digit_view(text, drop_trailing_i=True)}  # …일이요: 이 may be a particle
        for view in views:
            for match in _BIRTH_DIGITS.finditer(view):
                # 생년월일은 …, or … (이)요, 생년월일
                if cue_before(match.start()) or _BIRTH_CUE.search(text, match.end(), match.end() + 8):
                    found.append(IdentitySpan(match.start(), match.end(), IdentityKind.BIRTH_DATE))
    return found


_OPEN_DATE = re.compile(rf"(?<!\d){_YEAR}[\s\d일이삼사오육칠팔구십시유우월생]{{0,14}}$")


def open_date(text: str) -> IdentitySpan | None:
    """A date a partial transcript ends with: whether it is a birth date is only known once the
    sentence is (…일생이에요), so a partial keeps it masked until its final."""
    found = _OPEN_DATE.search(text[-40:])
    if found is None:
        return None
    offset = max(0, len(text) - 40)
    return IdentitySpan(found.start() + offset, found.end() + offset, IdentityKind.BIRTH_DATE)


def addresses(text: str, answer_at: int | None = None) -> list[IdentitySpan]:
    """House and building addresses; a business's (매장 주소가 …, 본사는 …) is not a person's.
    `answer_at`: where the answer to "주소가 어떻게 되세요?" starts: it reads as an address cue."""
    found = []
    for match in _ROAD.finditer(text):
        if _ROAD_WORDS_NOT.search(match.group("road")):
            continue
        found.append(IdentitySpan(match.start(), match.end(), IdentityKind.ADDRESS))
    for pattern in (_LOT, _LOT_NUMBER, _LOT_DASH, _DISTRICT_LOT, _UNIT):
        found += _spans_of(pattern, text, IdentityKind.ADDRESS)
    cues = [cue.end() for cue in _ADDRESS_CUE.finditer(text)]
    for cue_end in cues if answer_at is None else [*cues, answer_at]:
        tail = _ADDRESS_TAIL.match(text, cue_end)
        if tail is not None and len(_ADDRESS_PART.findall(tail.group())) >= 2:
            found.append(IdentitySpan(tail.start(), tail.end(), IdentityKind.ADDRESS))
    widened = [_widened(text, span) for span in found]
    kept = [s for s in widened if not _BUSINESS.search(text, max(0, s.start - BUSINESS_CHARS), s.start)]
    return _joined(text, kept)


def _joined(text: str, spans: list[IdentitySpan]) -> list[IdentitySpan]:
    """Two parts of one address with a building's name between them (대학로 99 | 한빛아파트 | 103동
    702호) become one span: the name between is part of the address."""
    joined: list[IdentitySpan] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if joined and _BUILDING_BETWEEN.fullmatch(text, joined[-1].end, span.start):
            last = joined.pop()
            span = IdentitySpan(last.start, max(last.end, span.end), span.kind)
        joined.append(span)
    return joined


def _widened(text: str, span: IdentitySpan) -> IdentitySpan:
    """The address with the city and district before it and the floor after it."""
    start = span.start
    for _ in range(3):  # 서울시 강남구 …, 경기도 성남시 분당구 …
        area = _AREA_WORD.search(text, max(0, start - 16), start)
        if area is None:
            break
        start = area.start()
    floor = _FLOOR_AFTER.match(text[span.end : span.end + 12])
    end = span.end + floor.end() if floor else span.end
    return IdentitySpan(start, end, span.kind)


def spoken_emails(text: str) -> list[IdentitySpan]:
    """What follows 이메일은 / 메일 주소는 up to the sentence's end, when it has an e-mail's marks
    (골뱅이, 닷컴, a mail provider) however they were heard: the strict patterns of the redactor
    need them heard right. Without a cue, a provider's domain read out (네이버 점 컴) with the
    two words before it: the user name and a misheard 골뱅이."""
    found = []
    for cue in _EMAIL_CUE.finditer(text):
        tail = _ADDRESS_TAIL.match(text, cue.end())
        # 매일 is also "every day" (매일은 아니고 다음 주에): after it alone only an at-mark will do
        every_day = cue.group().startswith("매일") and "주소" not in cue.group()
        marks = _EMAIL_AT_MARK if every_day else _EMAIL_MARK
        if tail is not None and marks.search(tail.group()):
            found.append(IdentitySpan(tail.start(), tail.end(), IdentityKind.EMAIL))
    for domain in _SPOKEN_DOMAIN.finditer(text):
        window = max(0, domain.start() - EMAIL_USER_CHARS)
        before = _WORDS_BEFORE.search(text, window, domain.start())
        start = before.start() if before is not None else domain.start()
        found.append(IdentitySpan(start, domain.end(), IdentityKind.EMAIL))
    return found


def plates(text: str, answer_at: int | None = None) -> list[IdentitySpan]:
    found = _spans_of(_PLATE_DIGITS, text, IdentityKind.PLATE)
    for match in _PLATE_SPOKEN.finditer(text):
        if _CAR_CUE.search(text, max(0, match.start() - CAR_CUE_CHARS), match.start()):
            found.append(IdentitySpan(match.start(), match.end(), IdentityKind.PLATE))
    for cue in _CAR_CUE.finditer(text):
        found += _misheard_plate(text, cue.end())
    if answer_at is not None:  # the answer to "차량 번호가 어떻게 되세요?"
        found += [
            IdentitySpan(m.start(), m.end(), IdentityKind.PLATE)
            for m in _PLATE_SPOKEN.finditer(text, answer_at)
        ]
        found += _misheard_plate(text, answer_at)
    return found


def _misheard_plate(text: str, after: int) -> list[IdentitySpan]:
    """A run of digit words after a car cue (at most one short other word inside: the plate's
    letter misheard) holding six to nine digit syllables. Linear in the words read."""
    words = [
        (m.start(), m.end(), _WORD_ENDING.sub("", m.group()))
        for m in _SPOKEN_WORD.finditer(text, after, after + PLATE_TAIL_CHARS)
    ]
    low, high = PLATE_DIGITS
    for first in range(len(words)):
        start, _, word = words[first]
        if not _DIGIT_WORD.fullmatch(word):
            continue
        digits, end, letter_used = 0, start, False
        for w_start, _, w in words[first:]:
            if _DIGIT_WORD.fullmatch(w):
                digits, end = digits + len(w), w_start + len(w)  # the digits, not the ending after them
            elif not letter_used and digits >= 2 and _LETTER_THEN_DIGITS.fullmatch(w):
                letter_used, digits, end = True, digits + len(w) - 1, w_start + len(w)  # 보일이: 보 + 12
            elif not letter_used and digits >= 2 and len(w) <= 2:
                letter_used = True
            else:
                break
        if low <= digits <= high:
            return [IdentitySpan(start, end, IdentityKind.PLATE)]
        return []  # only the first run of digit words after the cue is read
    return []


def find_identities(
    text: str,
    kinds: Iterable[IdentityKind] = tuple(IdentityKind),
    *,
    agent: bool = False,
    agent_name: bool = False,
    expected: frozenset[IdentityKind] = frozenset(),
    segment_start: int = 0,
) -> list[IdentitySpan]:
    """Every quasi-identifier of `kinds` in `text` (possibly overlapping; the redactor merges)."""
    wanted = set(kinds)
    found: list[IdentitySpan] = []
    if IdentityKind.NAME in wanted:
        found += names(
            text, agent=agent, agent_name=agent_name, expected=IdentityKind.NAME in expected,
            segment_start=segment_start,
        )  # fmt: skip

    def answer_to(kind: IdentityKind) -> int | None:
        return segment_start if kind in expected else None

    if IdentityKind.BIRTH_DATE in wanted:
        found += birth_dates(text, answer_to(IdentityKind.BIRTH_DATE))
    if IdentityKind.ADDRESS in wanted:
        found += addresses(text, answer_to(IdentityKind.ADDRESS))
    if IdentityKind.PLATE in wanted:
        found += plates(text, answer_to(IdentityKind.PLATE))
    if IdentityKind.EMAIL in wanted:
        found += spoken_emails(text)
    return found


_ASKED = (
    (IdentityKind.NAME, re.compile(r"성함|이름")),
    (IdentityKind.BIRTH_DATE, re.compile(r"생년월일|생일|몇\s?년생")),
    (IdentityKind.ADDRESS, re.compile(r"주소|배송지|사시는\s?곳")),
    (IdentityKind.PLATE, re.compile(r"차량\s?번호|차\s?번호|번호판")),
)
_QUESTION = re.compile(r"\?|까요|나요|세요|가요|주시겠|주세요|말씀|알려|불러")


def asked_for(text: str) -> frozenset[IdentityKind]:
    """What the agent's `text` asks the customer for (성함이 어떻게 되세요? → a name)."""
    if not _QUESTION.search(text):
        return frozenset()
    return frozenset(kind for kind, words in _ASKED if words.search(text))
