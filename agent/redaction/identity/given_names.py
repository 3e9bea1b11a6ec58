"""A given name said without its surname where the words around it say it is a person's: a
young person's with 양 or 군 (민지 양 보호자인데요), one with 씨 before their home (수린 씨 집이고), a
child's with 이 after a relation (우리 아들 도윤이 생일이, 제 동생 도윤이 몰았어요), and a full name
before its birthday (하 윤서 생일 축하해). Only before a word said of a person, and only of given
names' syllables."""

from __future__ import annotations

import re

from agent.redaction.identity.name_shape import RELATION, SURNAME, given_name_shaped, shaped_names
from agent.redaction.identity.name_words import GIVEN_SYLLABLES, NOT_NAMES
from agent.redaction.identity.spans import IdentityKind, IdentitySpan

# a young person's given name with 양 or 군, before a word said of a person (민지 양 보호자인데요;
# not 강수 양이 많아요: an amount)
_YOUNG_NAME = re.compile(
    r"(?<![가-힣])(?P<name>[가-힣]{2,3})\s?[양군](?=\s?(?:보호자|어머니|어머님|엄마|아빠|아버님|아버지|학부모|부모님|담임|"
    r"이름|생일|앞으로|명의|한테|에게|께서|반\s|학생))"
)
# a child called by their given name and 이 after a relation (우리 아들 도윤이 생일이 …): before a
# word only a person has (not 아들 학원이 끝나면)
_RELATION_GIVEN_NAME = re.compile(
    rf"(?:(?<![가-힣])|(?<=(?<![가-힣])[제재])){RELATION}\s(?P<name>[가-힣]{{2}})이\s?"  # 제 동생 heard 제동생
    r"(?=생일|이름|명의|앞으로|휴대폰|핸드폰|폰|번호|계좌|한테|에게"
    r"|\s(?:몰았|몰랐|몰고|몰던|운전|탔|타고|다쳤))"  # … or driving, riding, hurt (제 동생 도윤이 몰았어요)
)

# a given name with 씨 before whose home it is (배송 주소는 수린 씨 집이고 …; not 아저씨 댁)
_HOME_OF_NAME = re.compile(
    r"(?<![가-힣])(?P<name>[가-힣]{2})\s?씨\s?(?:집|댁)(?=이고|은|는|이요|이에요|예요|으로|에|\s)"
)

# a full name before its birthday (케이크 레터링에 하 윤서 생일 축하해): of a given name's syllables
_BIRTHDAY_NAME = re.compile(
    rf"(?<![가-힣])(?P<name>{SURNAME}\s?[가-힣]{{2}})(?<!이)(?:의)?\s?생일\s?(?:축하|파티|선물|케이크|이에요|이라|은|이\s)"
)


def given_names(text: str) -> list[IdentitySpan]:
    """Given names in `text` with 양/군 or after a relation with 이 (two syllables, or three whose
    last two are a given name's)."""
    found = []
    for young in (
        *_YOUNG_NAME.finditer(text),
        *_RELATION_GIVEN_NAME.finditer(text),
        *_HOME_OF_NAME.finditer(text),
    ):
        name = young.group("name")  # three syllables: a surname and a given name (a name of its shape)
        shaped = given_name_shaped(name) if len(name) == 3 else all(c in GIVEN_SYLLABLES for c in name)
        if shaped and name not in NOT_NAMES:
            found.append(IdentitySpan(young.start("name"), young.end("name"), IdentityKind.NAME))
    return found + shaped_names(text, (_BIRTHDAY_NAME,))
