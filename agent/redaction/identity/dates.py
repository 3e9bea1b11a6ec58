"""Birth dates read any way, near a word that makes them one; a date a partial ends with."""

from __future__ import annotations

import bisect
import re

from agent.redaction.identity.name_shape import RELATION
from agent.redaction.identity.spans import IdentityKind, IdentitySpan, spans_of
from agent.redaction.identity.spoken import NATIVE_YEAR_NUMBER, SENTENCE_TAIL, SINO, SINO_N

# 연, 면: 년 as recognition often writes it; after a syllable that took its ㄴ, also 영 (구십군영)
_YEAR = rf"(?:(?:\d{{2}}|\d{{4}}|{SINO}|{NATIVE_YEAR_NUMBER})\s?[년연면]|{SINO_N}\s?[년연면영])"
# 유월 heard 우월, 누월; the lunar months elders name: 정월 (the first), 동짓달, 섣달
_MONTH = r"(?:(?:\d{1,2}|[일이삼사오육칠팔구십]{1,3}|시|유|우|누|정)\s?월|(?:동짓|섣)\s?달)"
_DAY = r"(?:\d{1,2}|[일이삼사오육칠팔구십인]{1,4}|[이삼]십\s[일이삼사오육칠팔구인])\s?일"  # 이십 사일: read with a pause
# a day of the lunar calendar counted in native words (초닷새, 열하루, 스무날, 보름, 정월 대보름, 그믐): how elders
# give a birthday (음력으로 육십칠년 시월 초닷새); 새, 레 as recognition also writes them (초여드려요, 초닷세)
_NATIVE_DAY = r"(?:초|열|스무)\s?(?:하루|이틀|사흘|나흘|닷[새세]|엿[새세]|이레|여드[레래려]|아흐[레래려]|열흘|날)|초파일|대?보름|그믐|(?<=칠월\s)칠석|(?<=칠월)칠석"  # 칠월 칠석
# 생일 as recognition also writes it (아이 생일이 → 아이상일이, 샹일이) when a particle follows; the
# registration number's first six digits are the birth date (주민번호 앞자리가 …); a child born
# (구월 구일에 낳았어요)
_BIRTH_CUE = re.compile(  # 색일, 태일: 생일 on a phone line; 생 일일: 생일이 heard apart; 생 연원일, 생 연월이는; 양력 세일; 돌: a first birthday
    r"태어난\s?날(?:짜)?|[생색]\s?[년연]\s?월\s?일|[생색]\s?[년연]\s?월이(?=는|가)|[생색]\s?연원일|(?<=[양음]력\s)세일|(?<![가-힣])돌[이은]\s(?=내일|모레|다음|곧|이번|지났|얼마)|생년|생일|[생상]\s일(?:일|이|은|는)(?=\s)|생신|행신(?=이\s|은\s)|[샹상색태]일(?=이\s|은\s|는\s|가\s)|태어|출생|탄생|낳(?:았|은|던)|"
    r"주민\s?(?:등록)?\s?번호\s?앞\s?(?:여섯\s?)?(?:자리|번호)"
)
# the calendar named between the year and the month (오십팔년 음력 유월 …, 팔십구년 양력으로 …)
_CALENDAR = r"(?:\s?[음양]력(?:으로)?)?"
_FULL_DATE = re.compile(rf"(?<!\d){_YEAR}{_CALENDAR}\s?{_MONTH}\s?(?:{_DAY}|{_NATIVE_DAY})")
# a year and a month with the birth said after them, whatever recognition made of the day between
# (육십칠년 시월 초 다제에 태어났어요): the year, the month and at most two words up to the verb
_BORN_AFTER = re.compile(
    rf"(?<!\d){_YEAR}{_CALENDAR}\s?{_MONTH}(?:\s?[가-힣]{{1,4}}?){{0,2}}?(?=\s?에?\s(?:태어|나셨|나신))"  # 나셨대요: born, of an elder
)
# … or a year and a day named by its feast, with the birth said after (이천이십년 동짓날 태어났어요,
# 팔십년 추석에 태어났고, 구십오년 단오날생): not 추석에 이사했어요
_NAMED_DAY = r"(?:동짓날|동지|단오\s?날|단오|삼짇날|칠석\s?날|칠석|추석|설날|한식|정월\s?대보름|대보름|초파일|중양절|크리스마스|어린이\s?날)"
_YEAR_AND_NAMED_DAY = re.compile(
    rf"(?<!\d){_YEAR}{_CALENDAR}\s?{_NAMED_DAY}(?=\s?(?:에|날에?)?\s?(?:태어|출생)|\s?생(?:이|입|으로|인|[,.?!]|\s|$))"
)
_MONTH_DAY = re.compile(rf"(?<![\d가-힣]){_MONTH}\s?(?:{_DAY}|{_NATIVE_DAY})")  # 삼월 초이틀
# 생 heard 색 on a phone line (구십온 연색이에요), 년 heard 면 (칠십삼면생)
# (a space before 생 too: 칠십오년 생; not 생활, 생각 …)
_YEAR_OF_BIRTH = re.compile(
    rf"(?<![\d])(?!(?:[가-힣](?<![일이삼사오육칠팔구]))?천\s?[년연면])"  # 초년생 heard 천연생: 천 alone is no year
    rf"(?:(?:\d{{2}}|\d{{4}}|[가-힣]?{SINO}[가-힣]?|{NATIVE_YEAR_NUMBER})\s?[년연면]|(?:{SINO_N}|[공일이삼사오육칠팔구십]{{2,4}})\s?영)\s?[생색](?!활|각|산|명|기|선|방|겼|긴|길)"  # 칠십군영생, 팔십삼 영생: 년 heard 영
)
# a year with the zodiac animal it gives (칠십팔년 말띠): a year of birth; 띠 heard 뒤, 디, 지 (닭띠 heard
# 닥지), 비 before a copula (소띠세요 heard 소비세요) or 따 (돼지띠 heard 대지따; not 말 따로)
_YEAR_AND_ANIMAL = re.compile(
    rf"(?<!\d){_YEAR}\s?(?:쥐|소|호랑이|범|토끼|용|뱀|말|양|원숭이|닭|닥|개|돼지|대지)\s?(?:[띠뒤디지](?=\s?(?:고|이|예|요|인|라|세|시|[,.?!])|\s|$)|기(?=고|이에|예요|세요|시고)|비(?=세요|시고|예요|이에요)|대(?=예요|이에요|고\s|세요)|[띠따](?![로라뜻르져]))"  # not 년 말 뒤에; 소띠세요, 소띠시고; 원숭이띠고 heard 원숭이기고, 양띠예요 heard 양대예요
    # … or its 띠 not heard at all, the copula right after the animal (팔십년 원숭이띠고 → 팔십년 원숭이이고,
    # 구십년 말띠예요 → 구십년 말이에요: 8 of 8 such sayings in the recognized sets)
    rf"|(?<!\d){_YEAR}\s?(?:쥐|소|호랑이|범|토끼|용|뱀|말|양|원숭이|닭|개|돼지)(?=이?(?:이에요|이고|이세요|이시고|이신데|이라서))"  # 띠 heard 이 (호랑이이이에요)
)
# a year with its name in the sixty-year cycle and 생 (사십팔년 무자생): a year of birth
_YEAR_AND_CYCLE = re.compile(
    rf"(?<!\d){_YEAR}\s?[갑을병정무기경신임계개게][자축인묘진사오미신유술해]\s?생(?!활|각|산|명|기|선|방)"  # 계 heard 개
)
# a year and a month with 생 (칠팔년 구월생, 구십일 연사월 생이고): born then; not 생활, 생각, 생산 …
_MONTH_OF_BIRTH = re.compile(  # 생이에요 heard 세이에요
    rf"(?<!\d){_YEAR}{_CALENDAR}\s?{_MONTH}\s?(?:[일이삼사오육칠팔구십]{{1,3}}(?=생))?(?:생(?!활|각|산|명|기|선|방)|세(?=이에요|이고|이요|예요)|행(?=이에요|이고|이요|예요))"  # 이일생 heard 일생; 칠월생 heard 칠월행 on a phone line
)
# A number read with place values right after a birth cue: 생년월일 여섯 자리는 팔십팔만 이백십사
_BIRTH_NUMBER = re.compile(
    r"[일이삼사오육칠팔구십백천만공영]{2,8}(?:\s[일이삼사오육칠팔구십백천만공영]{1,8}){0,2}"
)
# six or eight digits, read in groups (구팔공 육일이: a space between them)
_BIRTH_DIGITS = re.compile(r"(?<!\d)(?<!\d )(?:(?:\d ?){7}|(?:\d ?){5})\d(?! ?\d)")
BIRTH_CUE_CHARS = 24  # how far before a date a birth word may stand
BIRTH_CUE_AFTER_CHARS = 8  # … and after it (… 이 제 생일이에요)
BORN_AFTER_CHARS = 16  # … and 태어났어요 after it (오월 오일 어린이 날 태어났어요, … 크리스마스에 태어났어요)
_YEAR_AFTER_CUE = re.compile(rf"(?:(?:은|는|이|가|요)?\s)?(?P<date>{_YEAR}(?:\s?{_MONTH})?)")
# 생 said after a date or six digits, after a pause too (구십사년 팔월 이십구일 생이에요): born then
# (생이세요 heard 세 이세요: 사십구년 시월 삼일세 이세요)
_BORN_THEN = re.compile(
    r"\s?(?:[생행](?=이|입|으로|인|일[아이]|[,.?!]|\s|$)|세(?=\s?이(?:세요|에요|고|요)))"
)  # 행: 생 on a phone line; 생일이
# A day said with 생 is a birthday whatever recognition made of the year and month before it (육십군여
# 노월 삼 일생): the day, and up to three words before it that start with a numeral or end in 년 or
# 월 as heard. Not 일생 as "a lifetime" (일생을, 일생의, 일생 동안).
# the year one was born in, said as such (태어난 해는 칠십이년이고)
_YEAR_BORN_IN = re.compile(rf"태어난\s?(?:해|연도|년도)(?:는|가|은)?\s(?P<year>{_YEAR})")
# the year named after a birthday was given (생일이 시월 십일인데 연도는 칠십칠이요): a year of birth
# when a birth word stands before it
_YEAR_NAMED = re.compile(
    rf"(?<![가-힣])(?:연도|년도|연동)(?:는|가|은)?\s(?P<year>{SINO}(?:\s?[년연])?)"  # 연도는 heard 연동은
    r"(?=이요|요|이에요|예요|이고|입니다|[,.?!]|\s?$)"
)
_PET = re.compile(
    r"(?:강아지|고양이|반려견|반려묘|반려동물|애완견|애완동물|멍멍이|햄스터|냥이|(?<![가-힣])개)\s?(?:의\s?)?$"
)
_BORN = re.compile(r"[태택]어\s?[났나놨]|낳(?:았|은)")  # 태어났어요, heard 택어놨어요 too; 낳았어요
_DAY_OF_BIRTH = re.compile(
    rf"(?<![가-힣]){_DAY}(?:생(?!을|의|에|\s?동안)|색(?=이에요|이고|이요|예요))"
)  # 일생 heard 일색 on a phone line
_NUMERAL_WORD_BEFORE = re.compile(
    r"(?<![가-힣])(?:[일이삼사오육칠팔구십백천공영인][가-힣]{0,5}|[가-힣]{0,3}[년연월])\s$"
)
DAY_WORDS_BEFORE = 3
# "생일은 …" / "생년월일이 …": the rest of the sentence is the date however it was heard (이천일 연집이월
# 이십팔일이에요), when it holds two date parts (a numeral before 년, 월 or 일, or a digit)
# (생년월일은 as recognition hears it: 생전 월이는, 탱년 월이는, 색 연월일은)
_BIRTH_TOPIC = re.compile(
    r"(?<![가-힣])(?:(?:[생색탱]\s?[년연전]\s?월\s?일|생일|생신)(?:은|는|이|가)|[생색탱]\s?[년연전]\s?월\s?이는)\s"
)
# 생일 heard 세일 or 새 일, which is also a sale: a birthday only when a year is said after it
# (glued to the word before as heard: 처남 생일이 → 천안세일이 팔십팔년 …), or when it is someone's
# (제 세일이 팔월 십오일, 남편 세일은 십이월 삼일이고: 생일 heard so 33 times in 214 on the phone line;
# not 저희 세일은 삼월 십일부터: a shop's); so too 생일은 glued to the word before and heard 생이는
# (그 형생이는 칠십산면 유월 …, 피보험자 생일은 → 비보험 나생이는 육십구년 …)
_SALE_OR_BIRTHDAY = re.compile(r"(?:세일|(?<![가-힣])새\s일)(?:은|이)\s|생이는\s")
_WHOSE_SALE_OR_BIRTHDAY = re.compile(rf"(?<![가-힣])(?:제|내|[제재]?{RELATION})\s세일(?:은|이|는)\s")
_YEAR_SAID = re.compile(r"[일이삼사오육칠팔구십백천공영인군산]\s?[년연면]")  # 칠십사년 heard 칠십산면
_DATE_PART = re.compile(r"[일이삼사오육칠팔구십백천공영인][년연월일]|\d")
_HEARD_DATE_PART = re.compile(
    r"[일이삼사오육칠팔구십백천공영인][년연월일면]|[유시]월|\d"
)  # 칠십사년 유월 heard 칠십산면 유월


def birth_dates(text: str, answer_at: int | None = None) -> list[IdentitySpan]:
    """`answer_at`: where the answer to "생년월일이 어떻게 되세요?" starts: it reads as a birth cue."""
    found = spans_of(_YEAR_OF_BIRTH, text, IdentityKind.BIRTH_DATE)
    years_of_birth = [span.end for span in found]  # a day said after one (구십일년생이에요 일월 이십일일이요)
    found += spans_of(_MONTH_OF_BIRTH, text, IdentityKind.BIRTH_DATE)
    found += spans_of(_BORN_AFTER, text, IdentityKind.BIRTH_DATE)
    found += spans_of(_YEAR_AND_NAMED_DAY, text, IdentityKind.BIRTH_DATE)
    found += spans_of(_YEAR_AND_ANIMAL, text, IdentityKind.BIRTH_DATE)
    found += spans_of(_YEAR_AND_CYCLE, text, IdentityKind.BIRTH_DATE)
    found += spans_of(_YEAR_BORN_IN, text, IdentityKind.BIRTH_DATE, "year")
    # in order: one bisect per date; a pet's birthday is no person's (우리 강아지 생일이 …)
    cues = [
        m.end() for m in _BIRTH_CUE.finditer(text) if not _PET.search(text, max(0, m.start() - 8), m.start())
    ]
    if answer_at is not None:
        cues = sorted([*cues, answer_at])

    def cue_before(start: int) -> bool:
        at = bisect.bisect_right(cues, start)
        return at > 0 and start - cues[at - 1] <= BIRTH_CUE_CHARS

    def cue_after(end: int) -> bool:  # 사월 초파일이 제 생일이에요, … (이)요, 생년월일
        return _BIRTH_CUE.search(text, end, end + BIRTH_CUE_AFTER_CHARS) is not None

    for pattern in (_FULL_DATE, _MONTH_DAY):
        for match in pattern.finditer(text):
            end = match.end()
            if (
                _BORN_THEN.match(text, end)
                or cue_before(match.start())
                # a whole date anywhere in the answer to a question for one (… 제 거 말고 남편 거로
                # 하면 칠십칠년 유월 오일이고요: a second person's)
                or (pattern is _FULL_DATE and answer_at is not None and match.start() >= answer_at)
                or _day_after_year_of_birth(text, years_of_birth, match.start(), end)
                or _BORN.search(text, end, end + BORN_AFTER_CHARS)
                or cue_after(end)
            ):
                found.append(
                    IdentitySpan(match.start(), end + text.startswith("생", end), IdentityKind.BIRTH_DATE)
                )
    found += [
        IdentitySpan(named.start("year"), named.end("year"), IdentityKind.BIRTH_DATE)
        for named in _YEAR_NAMED.finditer(text)
        if cue_before(named.start())
    ]
    for match in _DAY_OF_BIRTH.finditer(text):
        start = match.start()
        for _ in range(DAY_WORDS_BEFORE):
            word = _NUMERAL_WORD_BEFORE.search(text, max(0, start - 10), start)
            if word is None:
                break
            start = word.start()
        found.append(IdentitySpan(start, match.end(), IdentityKind.BIRTH_DATE))
    for sale in _SALE_OR_BIRTHDAY.finditer(text):
        tail = SENTENCE_TAIL.match(text, sale.end())
        if (
            tail is not None
            and _YEAR_SAID.search(tail.group())
            and len(_HEARD_DATE_PART.findall(tail.group())) >= 2
        ):
            found.append(IdentitySpan(tail.start(), tail.end(), IdentityKind.BIRTH_DATE))
    for topic in [*_BIRTH_TOPIC.finditer(text), *_WHOSE_SALE_OR_BIRTHDAY.finditer(text)]:
        if _PET.search(text, max(0, topic.start() - 8), topic.start()):
            continue
        tail = SENTENCE_TAIL.match(text, topic.end())
        if tail is not None and len(_DATE_PART.findall(tail.group())) >= 2:
            found.append(IdentitySpan(tail.start(), tail.end(), IdentityKind.BIRTH_DATE))
    for cue_end in cues:  # the first number within a few words after the cue
        number = _BIRTH_NUMBER.search(text, cue_end, cue_end + BIRTH_CUE_CHARS)
        if number is not None and len(number.group().replace(" ", "")) >= 4:
            found.append(IdentitySpan(number.start(), number.end(), IdentityKind.BIRTH_DATE))
        # a year and a month right after the cue, whatever became of the day (생년월일은 이천오년
        # 사월 일이에요: 이일 heard 일이)
        year = _YEAR_AFTER_CUE.match(text, cue_end)
        if year is not None:
            found.append(IdentitySpan(year.start("date"), year.end("date"), IdentityKind.BIRTH_DATE))
    if cues or "생" in text:
        from agent.redaction.digits import digit_view

        views = {digit_view(text), digit_view(text, drop_trailing_i=True)}  # …일이요: 이 may be a particle
        for view in views:
            for match in _BIRTH_DIGITS.finditer(view):
                # 생년월일은 …, or … (이)요, 생년월일; or an answer begun in the final before (팔구 공 | 일 이칠이요)
                answer_across = answer_at is not None and match.start() < answer_at < match.end()
                if (
                    cue_before(match.start())
                    or cue_after(match.end())
                    or _BORN_THEN.match(text, match.end())
                    or answer_across
                ):
                    found.append(IdentitySpan(match.start(), match.end(), IdentityKind.BIRTH_DATE))
    return found


# a day said right after a year of birth, as a sentence of its own (구십일년생이에요 일월 이십일일이요),
# not a day something was done (팔팔년생인데 삼월 일일에 가입했어요)
_COPULA_BETWEEN = re.compile(r"(?:이에요|이구요|이고요|이고|이요|요|입니다)?[,.]?\s")
_DAY_STATED = re.compile(r"(?:이요|이오|요|이에요|예요|이고|이구요|입니다)?\s?(?:[,.?!]|$)")


def _day_after_year_of_birth(text: str, years: list[int], start: int, end: int) -> bool:
    return any(_COPULA_BETWEEN.fullmatch(text, year, start) for year in years) and bool(
        _DAY_STATED.match(text, end)
    )


def birth_cue_at(text: str, pos: int) -> bool:
    """Whether a word for a birthday starts at `pos` (생일, and 생일 as heard: 태일이, 색일이)."""
    return _BIRTH_CUE.match(text, pos) is not None


_OPEN_DATE = re.compile(rf"(?<!\d){_YEAR}[\s\d일이삼사오육칠팔구십시유우월생]{{0,14}}$")


def open_date(text: str) -> IdentitySpan | None:
    """A date a partial transcript ends with: whether it is a birth date is only known once the
    sentence is (…일생이에요), so a partial keeps it masked until its final."""
    found = _OPEN_DATE.search(text[-40:])
    if found is None:
        return None
    offset = max(0, len(text) - 40)
    return IdentitySpan(found.start() + offset, found.end() + offset, IdentityKind.BIRTH_DATE)
