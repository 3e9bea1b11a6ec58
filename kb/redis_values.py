"""What redis-py hands back, as text: replies are bytes unless a client decodes them."""

from __future__ import annotations

from typing import Any


def as_text(value: Any) -> str:
    """A reply value as `str` (UTF-8 bytes decoded; anything else through `str`)."""
    return value.decode() if isinstance(value, bytes) else str(value)
