"""Names spelled out: letter by letter with 자 (소 자 영 자), letter by letter and then whole
(도 하 윤 도하윤입니다) or ended (김 영 희요), or a syllable explained (김영희요 영어 할 때 영)."""

from __future__ import annotations

import re

from agent.redaction.identity.name_shape import DIGITS_READ, SURNAME, is_name, reads_as_name
from agent.redaction.identity.name_words import GIVEN_SYLLABLES, SURNAMES_1
from agent.redaction.identity.spans import IdentityKind, IdentitySpan, spans_of

_SURNAME_LETTERS = frozenset(SURNAMES_1)
# A name spelled with 자 after each letter (소 자 영 자), then said whole (소영) or ended (…자요)
_JA_SPELLED = re.compile(
    r"(?<![가-힣])(?P<letters>(?:[가-힣]\s?자\s){1,3}[가-힣]\s?자)(?P<end>요|예요|이에요|입니다|\s)"
)
# A name spelled syllable by syllable and ended: 김 영 희요 (not 두 번 화요일, not 세 명 중 한 명이에요: a count;
# not 두 대 필요해요: a count, and 요 inside a word; not 안 해 가요: a verb denied)
_SPELLED_NAME = re.compile(
    rf"(?<![가-힣])(?![한두세네]\s[대명분개번권장잔병곳]\s)(?![안못]\s[해돼되와가줘봐써]\s)(?P<name>{SURNAME}\s[가-힣]\s(?![한두세네몇]\s[명분])[가-힣](?:\s[가-힣])?)(?=요(?!일)(?![가-힣])|이요|입니다|이에요|예요|이세요|이십니다)"
)
# A name spelled and then said whole (도 하 윤 도하윤입니다): the letters, then the word they make.
_SPELLED_BEFORE_WHOLE = re.compile(rf"(?<![가-힣])(?P<name>{SURNAME}\s[가-힣]\s[가-힣](?:\s[가-힣])?)\s")
# A name explained syllable by syllable (김영희요 영어 할 때 영; 탁지후예요 탁구 할 때 탁): the
# syllable after 할 때 (대 as heard), and the word before the explanation that holds it is a name.
_SPELLING_HINT = re.compile(
    r"(?<![가-힣])[가-힣]{1,4}\s?할\s?[때대]\s?(?P<syllable>[가-힣])(?=이요|요|이고|고|[,.]|\s|$)"
)
# searched in a bounded window: linear; a surname said apart before it (경 태현이요 경주 할 때 경)
_WORD_BEFORE = re.compile(rf"(?P<word>(?:{SURNAME}\s)?[가-힣]{{2,6}})[\s,.]+$")
_NAME_WORD_END = re.compile(r"(?:이에요|예요|이요|요|입니다|이고요|이고|고요|이|고)$")
SPELLING_HINT_CHARS = 16
_SURNAME_TOPIC = re.compile(r"[가-힣]{1,2}[은는]")
_ENDING_BEFORE_TOPIC = r"(?:이에요|예요|이요|요|입니다|이고요|이고|고요|인데요|인데)?"


def spelled_names(text: str) -> list[IdentitySpan]:
    """Names spelled with 자 (ended, said whole after, or told how they are written: 쓰시고),
    spelled and then said whole, and explained syllable by syllable."""
    found = []
    for ja in _JA_SPELLED.finditer(text):
        letters = "".join(ja.group("letters").replace("자", " ").split())
        whole_after = ja.group("end").isspace() and text.startswith(letters, ja.end())
        written = ja.group("end").isspace() and text.startswith(
            ("쓰", "써", "맞"), ja.end()
        )  # 진 자 호 자 쓰시고, … 맞으시죠
        if whole_after or written or (ja.group("end").strip() and letters[0] in _SURNAME_LETTERS):
            end = ja.end() + len(letters) if whole_after else ja.end("letters")
            found.append(IdentitySpan(ja.start(), end, IdentityKind.NAME))
    for spelled in _SPELLED_BEFORE_WHOLE.finditer(text):
        whole = spelled.group("name").replace(" ", "")
        if text.startswith(whole, spelled.end()) and is_name(whole) and not DIGITS_READ.fullmatch(whole):
            found.append(IdentitySpan(spelled.start("name"), spelled.end() + len(whole), IdentityKind.NAME))
    found += [
        s
        for s in spans_of(_SPELLED_NAME, text, IdentityKind.NAME, "name")
        if _spelled_shaped(text[s.start : s.end])
    ]
    return found + _explained_names(text)


def _spelled_shaped(name: str) -> bool:
    """A name spelled a syllable at a time (금 순 자요): not a word, not digits read, and of given
    names' syllables after the surname (not 사 층 끝 방이에요: a floor and a room)."""
    return (
        is_name(name)
        and not DIGITS_READ.fullmatch(name)
        and all(c in GIVEN_SYLLABLES for c in name.split()[1:] if len(c) == 1)
    )


def _explained_names(text: str) -> list[IdentitySpan]:
    """The word right before an explanation of a name's syllable (… 할 때 영) that holds the syllable
    explained: 김영희요 영어 할 때 영 → 김영희."""
    found = []
    for hint in _SPELLING_HINT.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, hint.start() - SPELLING_HINT_CHARS), hint.start())
        if before is None:
            continue
        name = _NAME_WORD_END.sub("", before.group("word"))
        if _SURNAME_TOPIC.fullmatch(
            name
        ):  # 노 현서요 노는 노래 할 때 노: the name before the surname explained
            found += _name_before_topic(text, name[:-1], before.start("word"))
            continue
        if 2 <= len(name.replace(" ", "")) <= 4 and hint.group("syllable") in name and reads_as_name(name):
            found.append(
                IdentitySpan(before.start("word"), before.start("word") + len(name), IdentityKind.NAME)
            )
    return found


def _name_before_topic(text: str, surname: str, topic_at: int) -> list[IdentitySpan]:
    """The name said just before its surname is explained (노 현서요 노는 …): searched in a bounded
    window before the explanation, of the same surname and a given name's syllables."""
    whole = re.compile(
        rf"(?<![가-힣])(?P<name>{re.escape(surname)}\s?[가-힣]{{1,2}}){_ENDING_BEFORE_TOPIC}[\s,.]+$"
    )
    said = whole.search(text, max(0, topic_at - SPELLING_HINT_CHARS), topic_at)
    if said is None or not reads_as_name(said.group("name")):
        return []
    return [IdentitySpan(said.start("name"), said.end("name"), IdentityKind.NAME)]
