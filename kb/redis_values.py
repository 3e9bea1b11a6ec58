"""What redis-py hands back, as text (replies are bytes unless a client decodes them), and stream
entry ids in their order."""

from __future__ import annotations

from typing import Any


def as_text(value: Any) -> str:
    """A reply value as `str` (UTF-8 bytes decoded; anything else through `str`)."""
    return value.decode() if isinstance(value, bytes) else str(value)


def stream_id_order(stream_id: str) -> tuple[int, int]:
    """A stream entry id (`MS-SEQ`, either part may be missing) as a tuple that sorts like the ids."""
    ms, _, seq = stream_id.partition("-")
    return int(ms or 0), int(seq or 0)
