"""Personal numbers by their digits and the word before them: which kind a whole number is
(`classify`), which kind a number's start probably is (`classify_prefix`: a number split across
segments), and the words that announce a kind (card, account, registration, or a non-personal
number such as an order or a booking)."""

from __future__ import annotations

import re
from functools import lru_cache

from agent.redaction.kinds import PiiType

SEQUENCE = re.compile(r"\+?\d(?:[ \-–—.()/]{0,4}\d)*")
GROUP = re.compile(r"\d+")
_PHONE = re.compile(r"^(?:0|82)(?:1[016789]\d{7,8}|2\d{7,8}|[3-6][1-5]\d{7,8}|70\d{7,8}|50\d{8,9})$")
_PHONE_PREFIX = re.compile(r"^(?:0|82)(?:1[016789]|2|[3-6][1-5]|70)\d*$")
_BIRTH_DATE = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_RRN = re.compile(rf"^{_BIRTH_DATE}[0-9]\d{{6}}$")
SERVICE_NUMBER = re.compile(r"^(?:0[68]0|1[568]\d\d)")
_RRN_PREFIX = re.compile(rf"^{_BIRTH_DATE}\d{{0,6}}$")
CARD_WORDS = ("카드", "신용", "체크")
ACCOUNT_WORDS = (
    "계좌",
    "통장",
    "은행",
    "입금",
    "이체",
    "농협",
    "뱅크",
    "우체국",
    "새마을금고",
    "수협",
    "신협",
    "증권",
    "신한",
    "국민",
)
RRN_WORDS = ("주민", "등록번호", "외국인")
OTHER_NUMBER_WORDS = (
    "주문",
    "송장",
    "운송장",
    "예약",
    "접수",
    "고객번호",
    "회원번호",
    "사업자",
    "모델",
    "상품",
    "제품",
    "일련",
    "우편",
    "영수증",
    "승인번호",
    "인증번호",
    "쿠폰",
    "티켓",
)
CONTEXT_CHARS = 30
MIN_UNNAMED_DIGITS = 9  # a run this long is masked even when no rule names its kind
MIN_NAMED_DIGITS = 9  # the shortest number `classify` names: a Seoul landline, 02 and seven digits
MAX_NUMBER_DIGITS = 16  # the longest personal number: a card
UNANNOUNCED_LENGTHS = (16, 15, 13)  # cards (Luhn) and registration numbers need no announcing word
MIN_OPEN_DIGITS = 4  # a partial that ends with this many digits has them masked until it is final
SEPARATORS = " -–—./()"


_DOUBLED = str.maketrans("0123456789", "0246813579")  # a digit doubled, its digits summed


def luhn_ok(digits: str) -> bool:
    kept, doubled = digits[-1::-2], digits[-2::-2].translate(_DOUBLED)
    return (sum(map(int, kept)) + sum(map(int, doubled))) % 10 == 0


_KIND_OF_WORD = {
    word: kind
    for kind, words in (
        ("card", CARD_WORDS),
        ("account", ACCOUNT_WORDS),
        ("rrn", RRN_WORDS),
        ("other", OTHER_NUMBER_WORDS),
    )
    for word in words
}
_ANNOUNCING_WORD = re.compile("|".join(sorted(map(re.escape, _KIND_OF_WORD), key=len, reverse=True)))


@lru_cache(maxsize=4096)
def nearest_word(before: str) -> str | None:
    """Which kind of number the text just before a number announces (card, account, rrn, other),
    if any: the nearest word wins."""
    words = _ANNOUNCING_WORD.findall(before)
    return _KIND_OF_WORD[words[-1]] if words else None


def _before(text: str, start: int) -> str:
    """The text a number's announcing word may stand in: CONTEXT_CHARS before it."""
    return text[max(0, start - CONTEXT_CHARS) : start]


def announced_kind(text: str, start: int) -> str | None:
    """The kind of number (card, account, rrn, other) the nearest word before `start` announces."""
    return nearest_word(_before(text, start))


def announced_non_personal(text: str, start: int) -> bool:
    """Whether a word just before `start` says the number is an order, booking or other
    non-personal number (any such word, not only the nearest: 사업자등록번호 names both kinds)."""
    before = _before(text, start)
    return any(word in before for word in OTHER_NUMBER_WORDS)


def classify(digits: str, context: str | None) -> PiiType | None:
    """The PII type of a whole number, given the word that announces it (card/account/other)."""
    n = len(digits)
    if _PHONE.match(digits):
        return PiiType.PHONE
    if n == 13 and _RRN.match(digits) and context in (None, "rrn"):
        return PiiType.FRN if digits[6] in "5678" else PiiType.RRN
    if context == "card" and 14 <= n <= 16:
        return PiiType.CARD
    if context == "account" and 10 <= n <= 14:
        return PiiType.ACCOUNT
    if n in (15, 16) and luhn_ok(digits) and context != "other":
        return PiiType.CARD
    return None


def classify_prefix(digits: str, context: str | None) -> PiiType | None:
    """The type of number that `digits` is probably the start of (a number split across segments)."""
    if context == "other":
        return None
    if len(digits) >= 3 and _PHONE_PREFIX.match(digits) and len(digits) <= 10:
        return PiiType.PHONE
    if context == "rrn" and 2 <= len(digits) <= 12:  # announced: any start of it is personal
        return PiiType.RRN
    if _RRN_PREFIX.match(digits) and context is None and len(digits) in (6, 7):
        return PiiType.RRN
    if context in ("card", "account") and len(digits) >= 6:
        return PiiType.CARD if context == "card" else PiiType.ACCOUNT
    return None
