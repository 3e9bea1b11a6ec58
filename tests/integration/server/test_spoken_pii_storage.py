"""Spoken personal numbers through the real server and the default (tuned) model: whatever the
recognizer writes for them — Arabic digits, Hangul digits, a mix, split across finals — no four
consecutive digits of any of them may be readable in any text the server stored in Redis (finals,
partials, the transcript, suggestions, the summary, the archive)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from redis.asyncio import Redis

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from agent.redaction.evaluation import readable_digits
from server.demo.player import encode_call, play
from server.demo.synth import synthesize_call
from server.settings import default_cache_dir
from tests.live_server import INGEST, LiveServer

SCRIPT = {
    "name": "spoken-pii",
    "channel_roles": ["customer", "agent"],
    "turns": [
        {"role": "agent", "text": "본인 확인을 위해 연락처를 말씀해 주세요."},
        {"role": "customer", "text": "제 번호는 공일공 구팔칠육 오사삼이예요."},
        {"role": "agent", "text": "결제하실 카드 번호도 불러 주시겠어요?"},
        {"role": "customer", "text": "카드 번호는 사오일팔 사이일이 삼사오육 칠팔구칠이에요."},
        {"role": "agent", "text": "환불받으실 계좌도 알려 주세요."},
        {"role": "customer", "text": "국민은행 일일공 일이삼 사오육칠팔구요."},
        {"role": "agent", "text": "마지막으로 주민등록번호를 말씀해 주세요."},
        {"role": "customer", "text": "구이공삼일오 일이삼사오육칠이요."},
    ],
}
NUMBERS = ["01098765432", "4518421234567897", "110123456789", "9203151234567"]
TEXT_KEYS = {"text", "query", "snippet", "reply", "summary", "value", "caller"}
_HANGUL = re.compile(r"[가-힣]")


def _texts(value: Any, key: str = "") -> Iterator[str]:
    """String leaves that hold words: under a text-bearing key, or containing Hangul (ids, times
    and counts are left out: they are digits by nature)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v, key)
    elif isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, (dict, list)):
            yield from _texts(parsed, key)
        elif key in TEXT_KEYS or _HANGUL.search(value):
            yield value


async def _stored_texts(redis: Redis, prefix: str) -> list[str]:
    def text(value: Any) -> str:
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    found: list[str] = []
    async for key in redis.scan_iter(match=f"{prefix}*", count=1000):
        kind = text(await redis.type(key))
        if kind == "string":
            found += _texts(text(await redis.get(key)))
        elif kind == "hash":
            found += _texts({text(k): text(v) for k, v in (await redis.hgetall(key)).items()})
        elif kind == "stream":
            for _, fields in await redis.xrange(key):
                found += _texts({text(k): text(v) for k, v in fields.items()})
        elif kind == "list":
            found += _texts([text(v) for v in await redis.lrange(key, 0, -1)])
    return found


async def test_no_spoken_number_is_readable_in_redis(make_server, redis: Redis) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(asr_model="builtin:whisper-base-ko-synth", asr_device="cpu")
    call = synthesize_call(default_cache_dir(), SCRIPT)
    rate, audio = read_wav(call.wav_path)
    data, rate = encode_call(audio, rate, Encoding.PCM_S16LE, None)
    result = await play(
        server.http, "spoken-pii-1", INGEST, data, encoding=Encoding.PCM_S16LE, sample_rate=rate,
        channel_roles=call.channel_roles, agent_id="agent-a", speed=0,
    )  # fmt: skip
    assert result["type"] == "stopped"
    events = await server.store.read_events(server.store.call_events_key("spoken-pii-1"), "0")
    finals = [e.data["text"] or "" for e in events if e.type == "final"]
    assert sum("[" in t for t in finals) >= 3, (
        finals
    )  # the recognizer wrote the numbers, and they were masked
    texts = await _stored_texts(redis, server.settings.redis_prefix)
    assert any("[" in t for t in texts)  # the scan reads what was stored
    readable = readable_digits("\n".join(texts))
    leaked = [n for n in NUMBERS if any(n[i : i + 4] in readable for i in range(len(n) - 3))]
    assert not leaked, (leaked, finals)
