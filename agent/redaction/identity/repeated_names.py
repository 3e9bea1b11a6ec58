"""A name found, followed further: the names joined to it in a list (남 궁준이랑 설 태민 두 명이에요)
and the places the text says it again (도하윤, 네 도하윤이요). Both linear in the text: a bounded
number of names followed, one scan per name."""

from __future__ import annotations

import re

from agent.redaction.identity.name_shape import SURNAME, given_name_shaped
from agent.redaction.identity.spans import IdentityKind, IdentitySpan

REPEAT_MIN_CHARS = 3  # a name found once is masked wherever it is said again (three syllables or more)
REPEAT_NAMES_MAX = 8  # names looked for again per text: linear in the text whatever it holds


# a second (third) full name joined to one found (남 궁준이랑 설 태민 두 명이에요, 김 하나, 김 두리예요),
# the speaker's own among them (제 남편 길 현우하고 저 소 민정 두 사람이에요)
_JOINED_NAME = re.compile(
    rf"(?:(?:이랑|랑|하고|이하고|와|과|,)(?:\s저)?)?\s(?P<name>{SURNAME}\s?[가-힣]{{2}})"
    r"(?=이에요|예요|이요|이고|입니다|이랑|랑|하고|[,.]|\s?$|\s(?:두|세|네)\s?(?:명|분|사람)|\s(?:둘|셋)(?:이|\s|$))"
)
JOINED_NAMES_MAX = 3  # names followed along one list: linear in the text


def joined_names(text: str, found: list[IdentitySpan]) -> list[IdentitySpan]:
    """The names that follow a name found, joined to it by 이랑, 하고, 와 or a comma."""
    joined = []
    for end in sorted({span.end for span in found}):  # a name found by several finders: followed once
        for _ in range(JOINED_NAMES_MAX):
            nxt = _JOINED_NAME.match(text, end)
            if nxt is None or not given_name_shaped(nxt.group("name")):
                break
            joined.append(IdentitySpan(nxt.start("name"), nxt.end("name"), IdentityKind.NAME))
            end = nxt.end("name")
    return joined


def said_again(text: str, found: list[IdentitySpan]) -> list[IdentitySpan]:
    """Each name found, wherever else the text says it (a name repeated to be sure: 도하윤, 네
    도하윤이요), when it has three syllables or more (two may be an ordinary word). One scan of
    the text per distinct name, for at most REPEAT_NAMES_MAX of them."""
    again = []
    compact = [text[s.start : s.end].replace(" ", "") for s in found]  # 남궁 현이(에요): 남궁현 too
    distinct = dict.fromkeys(n for c in compact for n in (c, c.removesuffix("이") if len(c) >= 4 else c))
    for name in [n for n in distinct if len(n) >= REPEAT_MIN_CHARS][:REPEAT_NAMES_MAX]:
        for said in (name, f"{name[0]} {name[1:]}"):  # glued, or said apart (박 서연)
            at = text.find(said)
            while at >= 0:
                again.append(IdentitySpan(at, at + len(said), IdentityKind.NAME))
                at = text.find(said, at + len(said))
    return again
