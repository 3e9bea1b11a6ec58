"""What redaction finds and how it is masked: the kinds of personal information, their mask labels
(`[주민번호]`, `[이름]` …), the masks' pattern, the redactor's settings and one found span."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from agent.redaction.identity import IdentityKind


class PiiType(StrEnum):
    RRN = "rrn"
    FRN = "frn"
    CARD = "card"
    ACCOUNT = "account"
    PHONE = "phone"
    EMAIL = "email"
    NUMBER = "number"  # a long number of no recognizable kind
    NAME = "name"
    BIRTH_DATE = "birth_date"
    ADDRESS = "address"
    PLATE = "plate"


MASK_LABEL = {
    PiiType.RRN: "주민번호",
    PiiType.FRN: "외국인등록번호",
    PiiType.CARD: "카드번호",
    PiiType.ACCOUNT: "계좌번호",
    PiiType.PHONE: "전화번호",
    PiiType.EMAIL: "이메일",
    PiiType.NUMBER: "번호",
    PiiType.NAME: "이름",
    PiiType.BIRTH_DATE: "생년월일",
    PiiType.ADDRESS: "주소",
    PiiType.PLATE: "차량번호",
}
IDENTITY_TYPES = {kind: PiiType(kind.value) for kind in IdentityKind}
KEEP_LAST4_TYPES = frozenset({PiiType.CARD, PiiType.ACCOUNT, PiiType.PHONE})
MASK_PATTERN = re.compile(r"\[(?:" + "|".join(MASK_LABEL.values()) + r")(?: …\d{4})?\]")


@dataclass(frozen=True)
class RedactionConfig:
    types: frozenset[PiiType] = frozenset(PiiType)
    keep_last4: bool = False  # cards, accounts and phones keep their last four digits: [카드번호 …1234]
    agent_name: bool = False  # also mask the agent's own name when they introduce themselves


@dataclass(frozen=True)
class PiiSpan:
    start: int
    end: int
    type: PiiType
    digits: str  # the number's digits ("" for e-mail)


NUMBER_TYPES = frozenset({PiiType.RRN, PiiType.FRN, PiiType.CARD, PiiType.ACCOUNT, PiiType.PHONE})
