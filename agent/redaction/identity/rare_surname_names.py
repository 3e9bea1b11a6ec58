"""Names of the rare two-syllable surnames (황보, 남궁, 제갈, 선우, 독고): glued to the given name, which
makes a name by itself (황보현우, 남궁민), or said apart from it (제갈 민우고요, 남 궁도연으로). 사공, also
a word (a boatman), only before a copula (사공 준혁이에요)."""

from __future__ import annotations

import re

from agent.redaction.identity.name_shape import is_name
from agent.redaction.identity.name_words import GIVEN_SYLLABLES
from agent.redaction.identity.spans import IdentityKind, IdentitySpan

# before no word or before a copula; 남궁 heard 남공 (no word of its own) before a copula only, and not
# 씨 heard 시 after the surname alone (남공시 성 가진 분: a surname with 씨)
_GLUED = re.compile(
    r"(?<![가-힣])(?P<name>(?:황보|남궁|제갈|선우|독고)[가-힣]{1,2})(?:(?![가-힣]{2})|(?=이에요|이예요|이고요|입니다))"
    r"|(?<![가-힣])(?P<heard>남공[가-힣]{2})(?=이에요|이예요|이고요|입니다)"  # 제사천 남공예일이에요
    r"|(?<![가-힣])(?P<boatman>사공[가-힣]{2})(?=이에요|이예요|이고요|입니다)"  # 사공준혁이에요
)
# … said apart (제갈 민우고요): the given name then a name's ending
_APART = re.compile(
    r"(?<![가-힣])(?P<name>(?:황보|남[궁공]|제갈|선우|독고)\s[가-힣]{1,2}"
    r"(?=[\s,.?!]|$|이?고요|이고|이?에요|예요|입니다|이요|요|씨|님|으로|로\s|이라고|라고|에서\s)|"  # 독고 철에서 …로
    # … or split inside the surname (남 궁도연으로), then a particle only a name takes
    r"(?:황\s보|남\s궁|제\s갈|선\s우|독\s고)[가-힣]{1,2}(?=으로|이?에요|예요|이요|입니다|이고|이랑|하고|\s?씨|\s?님"
    r"|\s(?:번호|이름|명의|앞으로|휴대폰|전화)))"  # 보호자 남 궁혜진 번호로
    # 사공 apart before a copula or a title only (아이 아빠로 해 주세요 사공 준혁이에요)
    r"|(?<![가-힣])(?P<boatman>사공\s[가-힣]{2})(?=이?에요|예요|이고요|입니다|이요|이라고|\s?씨|\s?님)"
)


def rare_surname_names(text: str) -> list[IdentitySpan]:
    """Names of a rare two-syllable surname in `text`: glued and no ordinary word, or apart and of a
    given name's syllables."""
    glued = [
        IdentitySpan(m.start(group), m.end(group), IdentityKind.NAME)
        for m in _GLUED.finditer(text)
        for group in ("name", "heard", "boatman")
        if m.group(group) and is_name(m.group(group)) and not m.group(group).endswith(("씨", "시"))
    ]
    apart = [
        IdentitySpan(m.start(group), m.end(group), IdentityKind.NAME)
        for m in _APART.finditer(text)
        for group in ("name", "boatman")
        if m.group(group) and all(c in GIVEN_SYLLABLES for c in text[m.start(group) + 3 : m.end(group)])
    ]
    return glued + apart
