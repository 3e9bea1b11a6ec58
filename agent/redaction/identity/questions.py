"""What the agent asks the customer for: the answer that follows reads as one."""

from __future__ import annotations

import re

from agent.redaction.identity.dates import birth_dates
from agent.redaction.identity.plates import plates
from agent.redaction.identity.spans import IdentityKind

_ASKED = (
    (IdentityKind.NAME, re.compile(r"성함|이름|어느\s?분\s?앞|누구\s?앞|받으실\s?분|받으시는\s?분")),
    # the first six digits of a resident number are the birth date (주민번호 앞자리요?)
    (
        IdentityKind.BIRTH_DATE,
        re.compile(
            r"생년월일|생일|생신|몇\s?년생|출생|태어난\s?(?:해|연도|년도|날)|주민(?:등록)?\s?번호\s?앞\s?(?:자리|여섯)"
        ),
    ),
    # a mail address asked for is no place (메일 주소요? asks for an e-mail)
    (IdentityKind.ADDRESS, re.compile(r"(?<!메일)(?<!메일\s)주소|배송지|사시는\s?곳")),
    (IdentityKind.EMAIL, re.compile(r"메일|매일\s?주소")),
    (IdentityKind.PLATE, re.compile(r"차량\s?번호|차\s?번호|번호판")),
)
# a question, a request, a need said (생년월일 확인이 필요해요), or a check announced (성함 확인하겠습니다); a word asked for with 요 at the
# end, as a question is said without its mark (성함이랑 차량 번호요)
_QUESTION = re.compile(
    r"\?|까요|나요|세요|가요|주시겠|주세요|말씀|알려|불러|부탁|여쭙|여쭤|확인\s?(?:좀\s?)?(?:하겠|할게|해\s?드[리릴])|필요(?:해요|합니다|하거든요)|"
    r"(?:성함|이름|생년월일|생일|주소|배송지|번호|번호판|앞자리|뒷자리)(?:이|도|은|는)?요\s*[.!]?\s*$"  # 생년월일도요.
)


def asked_for(text: str) -> frozenset[IdentityKind]:
    """What the agent's `text` asks the customer for (성함이 어떻게 되세요? → a name), or reads back
    for them to confirm (배정된 차량은 팔십구 사 칠칠사삼입니다 → the answer may repeat the plate)."""
    asked = {kind for kind, words in _ASKED if words.search(text)} if _QUESTION.search(text) else set()
    if plates(text, None):
        asked.add(IdentityKind.PLATE)
    if birth_dates(text, None):
        asked.add(IdentityKind.BIRTH_DATE)
    return frozenset(asked)
