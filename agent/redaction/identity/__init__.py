"""Quasi-identifiers in Korean call text: personal names, birth dates, addresses, car plates and
e-mail addresses read aloud.

A name with a birth date identifies a person as surely as a registration number, so these are
masked like the numbers of `agent/redaction/redactor.py` (which calls `find_identities`), before
anything is stored, indexed or sent to an LLM. Each finder works on what is said around the value,
because a Korean name or place is an ordinary word without it:

- **Names**: a surname (the common single-syllable ones and the two-syllable 남궁, 황보, 제갈,
  선우, 독고, 사공, 서문 …) and a given name of one or two syllables, where something says it is a
  name: a word before it (이름은, 성함은, 예약자, 명의자, 수령인, 보호자, 저는 …, with a relation
  word between: 명의는 아버지 유재석), a title after it (고객님, 님, 씨: names of three syllables or
  more, so 기사님 and 선생님 stay), `… 이름으로 / 명의로`, a name that opens an answer right
  before a birth date (이서연이고요 구십일년 …), or a word whose syllable is then explained
  (김영희요 영어 할 때 영). The caller can also say a name is expected (the
  agent just asked for it): then the answer's first word, when it has a name's shape, is one.
  The agent's own name in a greeting is kept unless `agent_name` is set. A full name found once
  is masked wherever the text says it again, spaced any way.
- **Birth dates**: year, month and day read any way (digits, Sino-Korean numerals, 시월/유월) followed
  by 생 or near 생년월일 / 생일 / 태어나다 / 출생; a year with 년생 alone; a month and day after 생일;
  six or eight digits after 생년월일. Other dates (결제일, 계약 만료) are left alone.
- **Addresses**: a road name (…로, …길, …번길) or a neighbourhood (…동, …리, …가) followed by a
  building or lot number (digits, a dash, 다시 or 의, Sino-Korean numerals, 번지), a building and unit
  (101동 1203호, 백오동 천이백일호; a unit alone near a home's word: 오피스텔 천오백육호로),
  extended over the city and district before it and the floor after. A road or station named
  without a number (강남역 2번 출구로, 테헤란로 쪽으로) is a direction, not an address; a number
  followed by a unit (미터, 분, 원, 개 …) is not a house number.
- **Car plates**: two or three digits, the plate's Hangul letter and four digits (12가 3456), in
  Arabic digits anywhere, and read out in Hangul digits or numerals near a car word (차, 차량,
  번호판, a car's model).

- **E-mail addresses half-heard**: what follows 이메일은 / 메일 주소는 up to the sentence's end, when
  it has an address's marks however recognition wrote them (골빵이, 닷컴, a mail provider).

Recognized speech rewrites what these rules look for (a surname misheard, 년 written 연 or 면, a
plate's digits read with place values), so a second layer reads what recognition makes of them:
after a cue that can only announce a name, any two to four syllables with a name's ending; a
two-syllable name before 님; the rare two-syllable surnames alone; a number right after a
birth-date cue; the rest of the sentence after 주소는 when it has an address's parts. Measured in
docs/redaction.md.

One module per kind (`names`, `dates`, `addresses`, `plates`, `emails`); `questions` reads what
the agent asked for, `spoken` holds how numbers and sentences are said, `spans` what is returned.
Every pattern has bounded repeats and no nested ones: the scan is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent.redaction.identity.addresses import addresses
from agent.redaction.identity.dates import birth_dates, open_date
from agent.redaction.identity.emails import spoken_emails
from agent.redaction.identity.name_shape import given_name_shaped
from agent.redaction.identity.name_words import SURNAMES_2, WORDS_OF_THEIR_OWN
from agent.redaction.identity.names import names
from agent.redaction.identity.plates import plates
from agent.redaction.identity.questions import asked_for
from agent.redaction.identity.repeated_names import REPEAT_MIN_CHARS, REPEAT_NAMES_MAX
from agent.redaction.identity.spans import IdentityKind, IdentitySpan

NAME_LEAD_CHARS = 3  # 네 or 예 and a space before a name that opens an answer


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

    found += _said_again_any_spacing(text, found)
    found += _said_one_off(text, found)

    # an answer to "성함과 주소요?" gives the name first: the other answers start after it
    after_name = max(
        (
            s.end
            for s in found
            if s.kind is IdentityKind.NAME and 0 <= s.start - segment_start <= NAME_LEAD_CHARS
        ),
        default=segment_start,
    )

    def answer_to(kind: IdentityKind) -> int | None:
        return after_name if kind in expected else None

    if IdentityKind.BIRTH_DATE in wanted:
        found += birth_dates(text, answer_to(IdentityKind.BIRTH_DATE))
    if IdentityKind.ADDRESS in wanted:
        found += addresses(text, answer_to(IdentityKind.ADDRESS))
    if IdentityKind.PLATE in wanted:
        found += plates(text, answer_to(IdentityKind.PLATE))
    if IdentityKind.EMAIL in wanted:
        found += spoken_emails(text, answer_to(IdentityKind.EMAIL))
    return found


_SPELLING_WORD = re.compile(r"\s?(?:할|하는)\s?때")


def _names_found(text: str, found: list[IdentitySpan]) -> list[str]:
    """The distinct names found, without their spaces, at most REPEAT_NAMES_MAX of them: each is
    looked for again with a few literal patterns, so the scans stay linear in the text."""
    names = dict.fromkeys(
        text[s.start : s.end].replace(" ", "") for s in found if s.kind is IdentityKind.NAME
    )
    return list(names)[:REPEAT_NAMES_MAX]


def _said_again_any_spacing(text: str, found: list[IdentitySpan]) -> list[IdentitySpan]:
    """A full name found once (three syllables, or Latin letters), said again elsewhere in the
    text, spaced any way (PARK SEOYEON … PARK SEO YEON): a literal pattern per name."""
    again: list[IdentitySpan] = []
    for name in _names_found(text, found):
        if len(name) < REPEAT_MIN_CHARS or not name.isalpha():
            continue
        pattern = re.compile(r"\s?".join(map(re.escape, name)), re.IGNORECASE)
        again += [IdentitySpan(m.start(), m.end(), IdentityKind.NAME) for m in pattern.finditer(text)]
    return again


def _said_one_off(text: str, found: list[IdentitySpan]) -> list[IdentitySpan]:
    """A name found, said again elsewhere with its surname and one of its given name's syllables
    changed (변 재호로 들어갔는데 변 재오예요: a correction; 민 서준이랑 민 서윤: siblings), when what is said
    has a name's shape (a surname that is also a word on its own, 이, 안, 제, only glued to its given
    name): one literal pattern per syllable per name."""
    again: list[IdentitySpan] = []
    for name in _names_found(text, found):
        split = 2 if len(name) == 4 and name[:2] in SURNAMES_2 else 1
        surname, given = name[:split], name[split:]
        if len(given) != 2 or not all("가" <= c <= "힣" for c in name):
            continue
        apart = "" if surname in WORDS_OF_THEIR_OWN else r"\s?"  # 이 서류, 안 주셔도: a word said alone
        for pattern in (rf"{given[0]}[가-힣]", rf"[가-힣]{given[1]}"):
            said = re.compile(rf"(?<![가-힣]){re.escape(surname)}{apart}{pattern}")
            for match in said.finditer(text):
                if _SPELLING_WORD.match(text, match.end()):
                    continue  # 감 나연이요 감나무 할 때 감이요: a word that spells the surname
                if match.group().replace(" ", "") != name and given_name_shaped(match.group()):
                    again.append(IdentitySpan(match.start(), match.end(), IdentityKind.NAME))
    return again


__all__ = ["IdentityKind", "IdentitySpan", "asked_for", "find_identities", "open_date"]
