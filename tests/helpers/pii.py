"""Scanning what a server stored for personal numbers: every text leaf in Redis under a prefix,
and which of a list of numbers can still be read there (four consecutive digits, Hangul digits
included)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from redis.asyncio import Redis

from agent.redaction.evaluation import readable_digits

TEXT_KEYS = {"text", "query", "snippet", "reply", "summary", "value", "caller"}
_HANGUL = re.compile(r"[가-힣]")


def text_leaves(value: Any, key: str = "") -> Iterator[str]:
    """String leaves that hold words: under a text-bearing key, or containing Hangul (ids, times
    and counts are left out: they are digits by nature)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from text_leaves(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from text_leaves(v, key)
    elif isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, (dict, list)):
            yield from text_leaves(parsed, key)
        elif key in TEXT_KEYS or _HANGUL.search(value):
            yield value


async def stored_texts(redis: Redis, prefix: str) -> list[str]:
    def text(value: Any) -> str:
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    found: list[str] = []
    async for key in redis.scan_iter(match=f"{prefix}*", count=1000):
        kind = text(await redis.type(key))
        if kind == "string":
            found += text_leaves(text(await redis.get(key)))
        elif kind == "hash":
            found += text_leaves({text(k): text(v) for k, v in (await redis.hgetall(key)).items()})
        elif kind == "stream":
            for _, fields in await redis.xrange(key):
                found += text_leaves({text(k): text(v) for k, v in fields.items()})
        elif kind == "list":
            found += text_leaves([text(v) for v in await redis.lrange(key, 0, -1)])
    return found


def leaked(numbers: list[str], texts: list[str], window: int = 4) -> list[str]:
    """The numbers of which `window` consecutive digits can be read in `texts`."""
    readable = readable_digits("\n".join(texts))
    return [n for n in numbers if any(n[i : i + window] in readable for i in range(len(n) - window + 1))]
