"""E-mail addresses read aloud and half-heard: after a word that announces one, or a mail
provider's domain read out."""

from __future__ import annotations

import re

from agent.redaction.identity.spans import IdentityKind, IdentitySpan
from agent.redaction.identity.spoken import SENTENCE_TAIL

_EMAIL_CUE = re.compile(r"(?<![가-힣])(?:이메일|이매일|메일|매일)\s?(?:주소)?(?:는|은|이|가|요|로|으로)?\s")
# A mail provider's domain read out: the surest part of an address to be heard right (점검, 점심
# are words, so the top-level domain must sound like one; a site visited is no address).
_SPOKEN_DOMAIN = re.compile(
    r"(?<![가-힣A-Za-z])(?:[네내]이버|[지G]\s?[메매]일|한[메매]일|다음|네이트|카카오|naver|gmail|daum|hanmail|nate|kakao)"
    r"\s?(?:(?:점|닷|쩜)\s?(?:컴|컵|껌|커|넷|넽|com|net)|다\s?컼|다트\s?[컴컵])"  # 닷컴 heard 다 컼, 다트컴
    r"(?![A-Za-z]|\s?(?:에|사이트|홈페이지|들어))",  # a site visited (네이버 닷컴에서 봤어요) is no address
    re.IGNORECASE,
)
_REQUEST = re.compile(r"(?:보내\s?주세요|보내\s?주시면|보내\s?줘요|부탁드려요|부탁합니다)[,.]?\s")
_WORDS_BEFORE = re.compile(r"(?:[^\s.?!,]+\s+){1,2}$")  # searched in a bounded window: linear
_GLUED_BEFORE = re.compile(r"[^\s.?!,]*$")  # the part of a word glued to what follows it
_WORD_BEFORE = re.compile(r"[^\s.?!,]+\s+$")
# a separator read out between the parts of a user name (hong 언더바 gildong, kim 점 min)
_SEPARATOR = r"(?:언더\s?바|언더\s?스코어|밑줄|하이픈|대시|점|쩜|닷)"
_JOINED_BEFORE = re.compile(rf"{_SEPARATOR}\s")
_JOINED_WORDS_BEFORE = re.compile(rf"(?:[^\s.?!,]+\s+{_SEPARATOR}\s+)+$")
EMAIL_USER_CHARS = 32
# 골뱅이 however it was heard (골빵이, 골백이, 볼백이, 골뱉이, 오뱡이, 오뱐이, 고백이)
_AT = r"[골볼][뱅빵백뱉뱡벵]|[고오][뱅빵벵뱡뱉뱐]이|고백\s?이|olbang|앳|@"
_EMAIL_AT_MARK = re.compile(_AT)
# where a provider or a domain follows, 골 or 볼 and any syllable of ㅂ or ㅃ will do (골빛이, 골방이)
_AT_BEFORE_DOMAIN = rf"{_AT}|[골볼][\uBC14-\uC0AB]"
_PROVIDER = (
    r"[네내]\s?이\s?버|[지G]\s?[메매]일|한\s?[메매]일|다음|네이트|카카오|naver|gmail|daum|hanmail|nate|kakao"
)
# an at-mark and a mail provider right after it is an address whatever else was misheard (제이골빵이
# 한매일 닷네스로, 골백이네 이버): the user name before it, the domain's ending after it
_AT_THEN_PROVIDER = re.compile(
    rf"(?:{_AT_BEFORE_DOMAIN})\s?(?:이\s?)?(?:{_PROVIDER})(?:\s?(?:점|닷|쩜)\s?[가-힣A-Za-z]{{1,3}})?",
    re.IGNORECASE,
)
# an at-mark and a domain read out after it, of any company (골뱅이 케이 텔 점 씨오 점 케이알): up to
# 24 characters, then 점 or 닷 and a top-level domain as it is said (twice: 씨오 점 케이알)
_TOP_LEVEL = (
    r"(?:컴|커미|커브|넷|씨\s?오|시\s?오|케이알|오알지|에듀|co|kr|com|net|org)"  # 컴이요 heard 커미요
)
_AT_THEN_DOMAIN = re.compile(
    rf"(?:{_AT_BEFORE_DOMAIN})[^.?!@]{{1,24}}?(?:\s?(?:점|닷|쩜)\s?{_TOP_LEVEL}){{1,2}}(?=$|[^가-힣A-Za-z]|이|에|예|요|으로|로|점)",
    re.IGNORECASE,
)
# after an e-mail cue, the marks however they were heard (골뱅이 as 오빵이 or 고백이, 닷컴 as 닿고 or
# 다섯컴, 점 컴 as 점커)
_EMAIL_MARK = re.compile(
    rf"{_AT}|닷|닿|다섯\s?[컴컵껌커컼]|점\s?[컴컵껌커]|점\s?넷|{_PROVIDER}|\.com|\.net", re.IGNORECASE
)


# a provider's mail named, then its user name said as the ID (네이버 메일이에요 아이디는 하늘 사랑
# 삼삼이요): the ID up to the sentence's end
_PROVIDER_ID = re.compile(
    rf"(?:{_PROVIDER})\s?(?:이\s?)?(?:메일|매일)?[^.?!]{{0,16}}?아이디(?:는|가|요)?\s", re.IGNORECASE
)

# … or the ID said first and the provider after it (아이디가 에스 오 엘 에이 하이픈 이공이공이고 뒤는
# 네이버요): the ID
_ID_THEN_PROVIDER = re.compile(
    rf"(?<![가-힣])아이디(?:는|가|요)?\s(?P<id>[^.?!]{{2,32}}?),?\s?(?:이고|고|이요|요)?,?\s"
    rf"(?:(?:뒤|뒤에|뒷부분|뒷자리|도메인|주소)(?:는|은|가|이)?\s)?(?:{_PROVIDER})",
    re.IGNORECASE,
)

# what a user name has that a sentence does not: digits, Latin letters, letters read out
_ID_MARK = re.compile(
    r"[A-Za-z0-9]|[공영일이삼사오육칠팔구]{2}|(?<![가-힣])(?:에이|에이치|제이|케이|엘|엠|엔|큐|알|에스|티|브이|더블유|엑스|와이|제트|에프)(?![가-힣])"
)


def spoken_emails(text: str, answer_at: int | None = None) -> list[IdentitySpan]:
    """What follows 이메일은 / 메일 주소는 up to the sentence's end, when it has an e-mail's marks
    (골뱅이, 닷컴, a mail provider) however they were heard: the strict patterns of the redactor
    need them heard right. Without a cue, a provider's domain read out (네이버 점 컴) with the
    user name before it (up to two words, and more joined by a separator read out: 언더바, 점).
    `answer_at`: where the answer to "메일 주소요?" starts: it reads as a cue."""
    found = []
    answer = SENTENCE_TAIL.match(text, answer_at) if answer_at is not None else None
    if answer is not None and _EMAIL_MARK.search(answer.group()):
        found.append(IdentitySpan(answer.start(), answer.end(), IdentityKind.EMAIL))
    for cue in _EMAIL_CUE.finditer(text):
        request = _REQUEST.match(text, cue.end())  # 메일로 보내 주세요 …: the address after the request
        tail = SENTENCE_TAIL.match(text, request.end() if request else cue.end())
        # 매일 is also "every day" (매일은 아니고 다음 주에): after it alone only an at-mark will do
        every_day = cue.group().startswith("매일") and "주소" not in cue.group()
        marks = _EMAIL_AT_MARK if every_day else _EMAIL_MARK
        if tail is not None and marks.search(tail.group()):
            found.append(IdentitySpan(tail.start(), tail.end(), IdentityKind.EMAIL))
    for named in _PROVIDER_ID.finditer(text):
        tail = SENTENCE_TAIL.match(text, named.end())
        if tail is not None and _ID_MARK.search(tail.group()):  # not 아이디가 기억이 안 나요
            found.append(IdentitySpan(tail.start(), tail.end(), IdentityKind.EMAIL))
    for given in _ID_THEN_PROVIDER.finditer(text):
        if _ID_MARK.search(given.group("id")):
            found.append(IdentitySpan(given.start("id"), given.end("id"), IdentityKind.EMAIL))
    for pattern in (_SPOKEN_DOMAIN, _AT_THEN_PROVIDER, _AT_THEN_DOMAIN):
        for match in pattern.finditer(text):
            found.append(IdentitySpan(_user_start(text, match.start()), match.end(), IdentityKind.EMAIL))
    return found


def _user_start(text: str, at: int) -> int:
    """Where the user name before `at` begins: the part of a word glued to it and the two words
    before that, and words joined to them by a separator read out (printjae 언더바 01, kim 점 min
    언더바 su), all in a bounded window: linear."""
    window = max(0, at - EMAIL_USER_CHARS)
    glued = _GLUED_BEFORE.search(text, window, at)
    start = glued.start() if glued is not None else at
    before = _WORDS_BEFORE.search(text, window, start)
    start = before.start() if before is not None else start
    if _JOINED_BEFORE.match(text, start) and (word := _WORD_BEFORE.search(text, window, start)):
        start = word.start()  # the two words began at a separator: the word it joins
    more = _JOINED_WORDS_BEFORE.search(text, window, start)  # and words joined before them
    return more.start() if more is not None else start
