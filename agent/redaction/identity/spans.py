"""What the finders return: the kind of a quasi-identifier and where it stands in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class IdentityKind(StrEnum):
    NAME = "name"
    BIRTH_DATE = "birth_date"
    ADDRESS = "address"
    PLATE = "plate"
    EMAIL = "email"  # an address read aloud and half-heard, after a word that announces it


@dataclass(frozen=True)
class IdentitySpan:
    start: int
    end: int
    kind: IdentityKind


def spans_of(
    pattern: re.Pattern[str], text: str, kind: IdentityKind, group: str | None = None
) -> list[IdentitySpan]:
    """Every match of `pattern` (or of its `group`) in `text` as a span of `kind`."""
    return [
        IdentitySpan(m.start(group) if group else m.start(), m.end(group) if group else m.end(), kind)
        for m in pattern.finditer(text)
    ]
