"""House and building addresses: road or lot numbers, building and unit, widened over the city and
district before them and the floor after; a business's address is left alone."""

from __future__ import annotations

import re

from agent.redaction.identity.spans import IdentityKind, IdentitySpan, spans_of
from agent.redaction.identity.spoken import NUM, SENTENCE_TAIL, SINO

_HOUSE_NUMBER = rf"(?:\d{{1,5}}(?:\s?-\s?\d{{1,4}})?|{SINO}(?:\s?(?:다시|에|의)?\s?{SINO})?)"
_NOT_HOUSE = r"(?!\s?(?:미터|m\b|킬로|km|분|시간|시(?![청장내외립민])|원|만|천원|개|명|대|번\s?출구|번\s?버스|%|퍼센트|살|세|년|[연면]\s?생|월|일|회|배|등|위|주(?![공택])|달|초|층짜리))"  # 주: weeks (삼 주), not 주공 아파트
# a road's branch after its number: 번길, or a lettered one (이십구가길), as heard too (이십구각일)
_BRANCH = r"(?:번?길|[가나다라마바사]\s?길|[각낙닥]\s?[일길기])"
_END = r"(?=$|[\s,.?!]|번지|번|층|호|이에요|예요|입니다|이요|요|이고|으로|로|에|이|쪽|을|를|은|는|지\s?하|지상|[피티]스텔|아파트|빌라|빌딩|타워)"
_ROAD = re.compile(
    rf"(?<![가-힣])(?P<road>[가-힣][가-힣0-9]{{0,10}}(?:대로|로|길)(?:\s?(?:\d{{1,4}}|{SINO})\s?{_BRANCH})?)\s?"
    rf"(?!이(?:[\s,.?!]|$)){_HOUSE_NUMBER}{_NOT_HOUSE}{_END}"  # 길이 막혀요: a particle, not number 2
)
# a road's name split in two by recognition right after its district or neighbourhood (수성구 달구 벌로
# 이천사백삼십이; 보람동 보듬 칠로 이십: its number said apart)
_SPLIT_ROAD = re.compile(
    rf"(?<=[구군시읍면동]\s)(?P<first>[가-힣]{{1,5}})\s(?P<rest>[가-힣]{{1,4}}(?:대로|로|길))\s?"
    rf"{_HOUSE_NUMBER}{_NOT_HOUSE}{_END}"
)
# … or its 로 glued to the number (완산구 홍산 로이백오십육번기 이십이, 대학 로이백구십일)
_GLUED_ROAD = re.compile(
    rf"(?<=[구군시읍면]\s)(?P<first>[가-힣]{{1,5}})\s로(?:{SINO}|\d{{1,4}})(?:\s?(?:번\s?[길기]|{_BRANCH})(?:\s?{SINO})?)?"
    rf"{_NOT_HOUSE}{_END}"
)
# … or its number glued to the building's name after it as heard (대구 수성구 범어로 이백삼십오틜 수성…,
# 분당구 불정로 이백삼십오파크뷰): after a district, a number with a place value (백, 천)
_ROAD_NUMBER_GLUED = re.compile(
    rf"(?<=[구군시]\s)(?P<road>[가-힣]{{1,8}}(?:대로|로|길))\s?[일이삼사오육칠팔구]?[백천][일이삼사오육칠팔구십백]{{0,6}}{_NOT_HOUSE}(?=[가-힣])(?![일이삼사오육칠팔구십백천])"
)
_CLAUSE_END = re.compile(r"(?:서|고|면|다|요|죠|니|며|게|지|동|리|가)$")  # 가서 일로 …: no road's first half
_LOT = re.compile(rf"(?<![가-힣])[가-힣]{{1,6}}(?:동|리|가)\s?{_HOUSE_NUMBER}{_NOT_HOUSE}\s?번지")
# A neighbourhood with its district before it and a number after it is a house's lot, with or
# without 번지 or 다시 (연수구 송도동 이십구 십삼으로; 충주시 앙성면 용포리 이백십일로: a town between):
# a number of two syllables or more (이 층 is a floor).
_DISTRICT_LOT = re.compile(
    rf"(?<![가-힣])[가-힣]{{1,4}}(?:구|군|시)\s(?:[가-힣]{{1,6}}(?:읍|면)\s)?[가-힣]{{1,6}}(?:동|리|읍|면)\s?(?:산\s?)?"
    rf"(?:\d{{1,5}}(?:\s?-\s?\d{{1,4}})?|[일이삼사오육칠팔구십백천공영인]{{2,7}}(?:\s?(?:다시|에|의)?\s?{SINO})?)"
    rf"{_NOT_HOUSE}{_END}"
)
# A number before 번지 is a lot whatever was misheard around it (효자동 삼가 구백십 번지 → 효자동
# 삼각오백십번지); 번지수 (an idiom: 번지수를 잘못 찾았다) and 번지 점프 (bungee) are not one.
_LOT_NUMBER = re.compile(
    rf"(?<![가-힣])(?:[가-힣]{{1,6}}(?:동|리|가)\s?)?[가-힣]{{0,2}}(?:\d{{1,5}}(?:\s?-\s?\d{{1,4}})?|{SINO})\s?번지(?!수|\s?점프)"
)
# a lot number with its sub-number: 12-3, read 십이 다시 삼 or 십이의 삼 (다시 heard apart: 팔백오십다 시 사)
_LOT_DASH = re.compile(
    rf"(?<![가-힣])[가-힣]{{1,6}}(?:동|리|가)\s?(?:산\s?)?(?:\d{{1,5}}\s?-\s?\d{{1,4}}|{SINO}\s?(?:다\s?시|의)\s?{SINO}|"
    rf"{SINO}\s?다\s?시(?=\s|$))"  # the sub-number misheard (삼백사십오다시 유우기요)
)
# What may stand between two parts of one address: a building's name (at most two words, no punctuation).
_BUILDING_BETWEEN = re.compile(  # … and its floor (현대 빌라 이층 이백일호)
    r"\s?(?:[가-힣A-Za-z0-9]{1,12}\s?){0,2}(?:(?:지하\s?)?[일이삼사오육칠팔구십\d]{1,3}\s?층\s?)?\s?"
)
# What follows "주소는": everything up to the sentence's end, when it has an address's parts.
# not a mail's, a site's or a link's address (메일 주소, 매일 주소 as heard, 홈페이지 주소)
_ADDRESS_CUE = re.compile(
    r"(?<![가-힣])(?<!메일\s)(?<!매일\s)(?<!사이트\s)(?<!페이지\s)(?<!링크\s)(?<!아이피\s)(?<!인터넷\s)"
    r"(?:주소|배송지|사는\s?곳)(?:는|은|가|이|요)?\s"
    r"(?!(?:변경|수정|이전|확인|등록|조회|입력|정정)(?:은|는)\s)"  # 주소 변경은 …: asked about; 배송지 변경이요 … gives one
)
_ADDRESS_PART = re.compile(
    r"[가-힣](?:구|동|로|길|시|리|읍|면)(?:\s|$)|번지|\d|[일이삼사오육칠팔구]?[백천십]"
)
# a unit number's first digit misheard (오백이호 → 요백이호, 로백이호): between 동 and 호 it is still one
_UNIT_NUM = rf"(?:{NUM}|[가-힣][백천십][일이삼사오육칠팔구십백천공영인]{{0,5}})"
_UNIT = re.compile(rf"(?<![\d가-힣]){_UNIT_NUM}\s?동\s?{_UNIT_NUM}\s?호")
# … or glued to the building's name before it as heard (관악 푸르지오 백삼동 → 부르질오백삼동 천이백사호):
# with a high-rise unit's 백 or 천 before 호, 동 and 호 together are a home's unit whatever precedes
_UNIT_GLUED = re.compile(
    rf"(?<=[가-힣]){SINO}\s?동\s?[일이삼사오육칠팔구]?[백천][일이삼사오육칠팔구십백공영]{{0,5}}\s?호"
)
# … or with its 호 lost or heard 오, after a home's building (현대 아파트 이백이동 삼백육오이에요)
_HOME_UNIT_HEARD = re.compile(
    rf"(?:아파트|아[팎팟]|빌라|맨션|[피티]스텔)\s?(?P<unit>{_UNIT_NUM}\s?동\s?{_UNIT_NUM})"
    r"(?=오|이에요|예요|입니다|이고|[\s,.?!]|$)"
)
# a unit number alone (천오백육호로 배달), three or four digits, with a home's word near it; after 동
# too (앞이 동삼백일호: 비동 heard, its letter lost), or glued to its building's word (상가백삼호)
_BARE_UNIT = re.compile(
    r"(?:(?<![\d가-힣])|(?<=층)|(?<=동)|(?<=상가|빌라|빌딩|타워))(?:\d{3,4}|[일이삼사오육칠팔구]?[백천][일이삼사오육칠팔구십백공영인]{1,5})\s?(?:호|홀(?=로))"  # 호로 heard 홀로
    r"(?=로|에|요|예요|이에요|입니다|이고|고|인[데대]|까지|는|\s?[.,?!]|\s?$|\s(?:앞|문\s?앞|현관|입구))"  # not 호 규모, 호선, 천호역
)
# a home's word, or a floor just before the unit (십이층 천이백칠호): a unit in a building
# (피스텔: 오피스텔 with its first letter misheard, 호피스텔; 아팎, 아팟: 아파트 as heard)
_HOME_WORD = re.compile(
    r"[피티]스텔|아파트|아[팎팟]|빌라|원룸|주택|맨션|집|호수|배달|배송|택배|이사|층\s?[일이삼사오육칠팔구백천\d]|"
    r"(?<![가-힣])(?:지하\s?)?[일이삼사오육칠팔구\d]\s?층(?=\s)"  # 지하 일층 비 백삼호로
)
HOME_WORD_CHARS = 24
# a building named by a letter (비동, 에이동, 가동) before a unit number; not a machine's or a line's
# number (가동 삼호기, 이동 이호선)
_LETTER_UNIT = re.compile(
    rf"(?<![\d가-힣])(?:에이|비|씨|디|에프|[가나다라마바사])\s?동\s?{_UNIT_NUM}\s?호(?!기|선|차|실|점)"
)
# A particle or an ordinary word, not a road name ending in 로 or 대로; a road name has two
# syllables or more before 로 (종로 and the like are written with their 가: 종로3가).
_ROAD_WORDS_NOT = re.compile(
    r"(?:으로|에서|부터|까지|마음대로|멋대로|예정대로|순서대로|말씀대로|원래대로|계획대로|"
    r"규정대로|약속대로|생각대로|시간대로|법대로)$|^(?:그대로|이대로|저대로|제대로)$|"  # 원이대로 is a road
    r"^[가-힣](?:로|길)$|(?<!도)[시군]로$|"  # 하남시로: a city and 로 (기업도시로: a road)
    r"^[일이삼사오육칠팔구십백천]+로$|"  # 사십육로: a number and a plate's letter 로, as heard
    r"^(?:자리|거리|소리|처리|관리|수리|요리|머리|미리|빨리|제대로|마음대로)로$|"  # 여덟 자리로 일구구삼: words
    r"^(?:추가|별도|실제|정말|진짜|억지|무료|유료|우편|택배|현금|카드|계좌|문자|전화|메일|이메일|서면|공식|개별|단체|일시불|할부|번호|휴대폰|핸드폰)로$"  # 추가로 칠구: how, not where
)
# a number that is also a verb (팔 sell, 사 buy, 오 come) after a word and 로, then what a verb takes
# (중고차로 팔 때, 현금으로 사 올게요): how something is sold or bought, no road and house number
_VERB_NUMBERS = ("팔", "사", "오")
_VERB_AFTER = re.compile(
    r"\s(?:때|거|건|걸|게|수|려|러|면|고|서|야|줘|주|드|봐|보|와|왔|갔|놓|놨|버|줄|준|놔|달라|라고|기로)"
    r"|(?:는데|는|면|니까|려고|러|셔서|세요)"  # … or its ending glued (문자가 제 번호로 오는데)
)
# … and 이사 (moving) before going or doing (다른 구로 이사 갈 거예요), not house number 24 (… 이사 가동)
_MOVING_AFTER = re.compile(r"\s(?:갈|가[요서려고는]|간|갔|했|할|해[요서]|하[려고는]|와|왔|온|올)")


def _a_verb(number: str, text: str, end: int) -> bool:
    """Whether a road's number read after it is a verb: 팔, 사, 오 (sell, buy, come) or 이사 (moving)."""
    if number == "이사":
        return _MOVING_AFTER.match(text, end) is not None
    return number in _VERB_NUMBERS and _VERB_AFTER.match(text, end) is not None


_AREA_WORD = re.compile(
    r"(?<![가-힣])(?:[가-힣]{1,8}(?:특별시|광역시|특별자치시|특별자치도|시|도|구|군|읍|면)|서울|부산|대구|인천|광주|대전|울산|세종|제주|경기|강원|충북|충남|전북|전남|경북|경남)\s$"
)
# Whose address it is: a shop, branch, office or centre's is not personal; a parcel sent to one's
# workplace (회사로 보내 주세요 …) goes where the caller is, so that address is.
_BUSINESS = re.compile(
    r"매장|지점|대리점|사무실|본사|지사|센터|영업소|회사(?!(?:\s?주소)?(?:로|으로)\s(?:보내|배송|받))|공장|점은|점이|점의|가게|가\s개(?=\s주소)|병원|학교|은행|"  # 가게 heard 가 개"
    r"장례식장|예식장|승마장|골프장|캠핑장|글램핑장|수영장|체육관|공방|창고|물류|리조트|펜션|호텔|복지관|경로당|도서관|주민센터|행정복지센터|"
    r"세관|구청|시청|군청|법원|경찰서|우체국|소방서|세무서|공단|청사"  # a public office's (세관은 매암로 칠십육이라고)
)
BUSINESS_CHARS = 16
# … or named right after, as what stands there (조례동 천칠백오 번지에 있는 병원 장례식장이에요)
_BUSINESS_THERE = re.compile(rf"(?:에|에서)?\s?있는\s(?:[가-힣]{{1,6}}\s){{0,2}}?(?:{_BUSINESS.pattern})")
_BUSINESS_SET_ASIDE = re.compile(
    r"\s?(?:번지\s)?(?:(?:[가-힣]{1,3}\s?)?층\s)?(?:매장|지점|대리점|사무실|본사|가게|카페|식당|회사|창고)\s?(?:말고|아니고|아니라)"
)
_IN_ROAD_NAME = re.compile(r"[가-힣]{2,}(?:로|길)(?![가-힣])")
# a business or an office named as a landmark beside the address, not as whose it is
_LANDMARK = re.compile(
    r"\s?(?:바로\s)?(?:옆|앞|뒤|근처|건너편|맞은편|부근|사거리)(?:에|에서|으로|의)?(?![가-힣])"
)
# where a parcel is to go, said before the workplace it names (받는 곳은 회사예요 서울 중구 …)
_DELIVERED_TO = re.compile(r"(?:받는|받을|받으실|보낼|보내실|배송|배달)\s?(?:곳|지|주소)")
DELIVERED_TO_CHARS = 12
# a business's paper, where the customer's own address is written (예식장 계약서에 주소가 …)
_ITS_PAPER = re.compile(r"\s?(?:계약서|영수증|신청서|가입서|서류|명세서|고지서|청구서|회원 ?정보)")
# 대학교 말고 저희 집은 …, 회사 주소 말고: the business is set aside
_NOT_THIS = re.compile(r"\s?(?:주소는?\s?|쪽\s?|거\s?)?(?:말고|아니고|아니라)")
# … or a home named after it (회사 주소 말고 집으로요, 본사 말고 자택으로): the address is the home's
_OWN_HOME = re.compile(
    r"(?<![가-힣])(?:집(?:으로|은|이|\s?주소)|(?:자택|본가|친정|시댁)(?:으로|은|이)?)(?![가-힣])"
)
# whose home the address is, said first after the cue (배송 주소는 수린 씨 집이고 인천 …)
_WHOSE_HOME = re.compile(r"[가-힣]{1,4}\s?(?:씨|님)\s?(?:집|댁)(?:이고|은|는|이요|이에요|예요|으로)?\s")
_FLOOR_AFTER = re.compile(rf"^\s?,?\s?{NUM}\s?층")


def addresses(text: str, answer_at: int | None = None) -> list[IdentitySpan]:
    """House and building addresses; a business's (매장 주소가 …, 본사는 …) is not a person's.
    `answer_at`: where the answer to "주소가 어떻게 되세요?" starts: it reads as an address cue."""
    found = []
    for match in _ROAD.finditer(text):
        if _ROAD_WORDS_NOT.search(match.group("road")):
            continue
        if _a_verb(text[match.end("road") : match.end()].strip(), text, match.end()):
            continue
        found.append(IdentitySpan(match.start(), match.end(), IdentityKind.ADDRESS))
    for glued in _GLUED_ROAD.finditer(text):
        if not _CLAUSE_END.search(glued.group("first")):
            found.append(IdentitySpan(glued.start(), glued.end(), IdentityKind.ADDRESS))
    for glued in _ROAD_NUMBER_GLUED.finditer(text):
        if not _ROAD_WORDS_NOT.search(glued.group("road")):
            found.append(IdentitySpan(glued.start(), glued.end(), IdentityKind.ADDRESS))
    for split in _SPLIT_ROAD.finditer(text):
        road = split.group("first") + split.group("rest")
        if _a_verb(text[split.end("rest") : split.end()].strip(), text, split.end()):
            continue
        if not (_ROAD_WORDS_NOT.search(road) or _CLAUSE_END.search(split.group("first"))):
            found.append(IdentitySpan(split.start(), split.end(), IdentityKind.ADDRESS))
    for pattern in (_LOT, _LOT_NUMBER, _LOT_DASH, _DISTRICT_LOT, _UNIT, _UNIT_GLUED, _LETTER_UNIT):
        found += spans_of(pattern, text, IdentityKind.ADDRESS)
    found += spans_of(_HOME_UNIT_HEARD, text, IdentityKind.ADDRESS, "unit")
    for unit in _BARE_UNIT.finditer(text):
        before = text[max(0, unit.start() - 2) : unit.start()]
        # 동 and 호 together, or the building's word glued to the number: a unit
        after_building = before.endswith("동") or before in ("동 ", "상가", "빌라", "빌딩", "타워")
        near = _HOME_WORD.search(text, max(0, unit.start() - HOME_WORD_CHARS), unit.end() + HOME_WORD_CHARS)
        if after_building or near:
            found.append(IdentitySpan(unit.start(), unit.end(), IdentityKind.ADDRESS))
    cues = [cue.end() for cue in _ADDRESS_CUE.finditer(text)]
    for cue_end in cues if answer_at is None else [*cues, answer_at]:
        if _NOT_THIS.match(text, cue_end):  # 회사 주소 말고 …: not this address
            continue
        tail = SENTENCE_TAIL.match(text, cue_end)
        if tail is not None and len(_ADDRESS_PART.findall(tail.group())) >= 2:
            whose = _WHOSE_HOME.match(text, tail.start())  # 주소는 수린 씨 집이고 …: the name is a name's
            found.append(
                IdentitySpan(whose.end() if whose else tail.start(), tail.end(), IdentityKind.ADDRESS)
            )
    widened = [_widened(text, span) for span in found]
    # a business's named just before, or set aside right after (연북로 사백십 번지 일 층 카페 말고 …)
    kept = [
        s
        for s in widened
        if not (
            _business_before(text, s.start)
            or _BUSINESS_SET_ASIDE.match(text, s.end)
            or _BUSINESS_THERE.match(text, s.end)
        )
    ]
    return _joined(text, kept)


def _business_before(text: str, start: int) -> bool:
    """Whether a business's word stands just before `start` (and is not set aside: 매장 말고)."""
    for word in _BUSINESS.finditer(text, max(0, start - BUSINESS_CHARS), start):
        if _IN_ROAD_NAME.match(text, word.end()):  # 센터미정양로: a road's name, as heard
            continue
        if _LANDMARK.match(text, word.end()):  # 구청 옆 효자로 …, 병원 앞 …: where a home is, by a landmark
            continue
        if _ITS_PAPER.match(text, word.end()):  # 예식장 계약서에 주소가 …: the customer's, on its paper
            continue
        if _DELIVERED_TO.search(text, max(0, word.start() - DELIVERED_TO_CHARS), word.start()):
            continue  # 받는 곳은 회사예요 …: where the caller takes a parcel
        if not (_NOT_THIS.match(text, word.end()) or _OWN_HOME.search(text, word.end(), start)):
            return True
    return False


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
