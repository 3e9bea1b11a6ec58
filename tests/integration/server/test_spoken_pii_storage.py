"""Spoken personal numbers through the real server and the default (tuned) model: whatever the
recognizer writes for them — Arabic digits, Hangul digits, a mix, split across finals — no four
consecutive digits of any of them may be readable in any text the server stored in Redis (finals,
partials, the transcript, suggestions, the summary, the archive)."""

from __future__ import annotations

from redis.asyncio import Redis

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from server.settings import default_cache_dir
from tests.helpers.pii import leaked, stored_texts
from tests.live_server import INGEST, LiveServer
from workbench.demo.player import encode_call, play
from workbench.demo.synth import synthesize_call

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
    events = await server.store.read_events(server.store.keys.call_events("spoken-pii-1"), "0")
    finals = [e.data["text"] or "" for e in events if e.type == "final"]
    # every final with text comes with one probability per word of what was stored (masks included)
    for event in (e for e in events if e.type == "final" and e.data["text"]):
        assert len(event.data["word_probs"]) == len(event.data["text"].split()), event.data
        assert all(
            p < server.settings.asr_uncertain_below
            for i, p in enumerate(event.data["word_probs"])
            if i in event.data["uncertain"]
        )
    assert sum("[" in t for t in finals) >= 3, (
        finals
    )  # the recognizer wrote the numbers, and they were masked
    texts = await stored_texts(redis, server.settings.redis_prefix)
    assert any("[" in t for t in texts)  # the scan reads what was stored
    assert not leaked(NUMBERS, texts), (leaked(NUMBERS, texts), finals)
