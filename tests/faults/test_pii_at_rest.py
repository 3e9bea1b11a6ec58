"""Personal numbers never rest in Redis or its AOF: a call whose customer reads out a registration
number (split over two turns), a phone number, a card and an account — partials cut in the middle
of them included — and whose start metadata carries numbers as JSON numbers and as keys, into a
server in its own process with its embedded Redis. After the call and a clean stop, neither the
texts stored in Redis nor the AOF hold a readable run of any of those numbers, and the AOF and its
folder are readable by their owner only."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from redis.asyncio import Redis

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from agent.store import CallStore
from server.redis_runtime import EmbeddedRedis, find_redis_server
from server.settings import default_cache_dir
from tests.helpers.pii import leaked, stored_texts
from workbench.bench.harness import INGEST_KEY, ServerProcess
from workbench.demo.player import encode_call, play
from workbench.demo.synth import synthesize_call

SCRIPT = {
    "name": "typed-pii",
    "channel_roles": ["customer", "agent"],
    "turns": [
        {"role": "agent", "text": "본인 확인을 위해 주민등록번호를 말씀해 주세요."},
        {"role": "customer", "text": "주민번호 앞자리는 920315이고요"},
        {"role": "customer", "text": "뒷자리는 2846193이에요."},
        {"role": "agent", "text": "연락처도 알려 주세요."},
        {"role": "customer", "text": "제 번호는 010-7391-4628입니다."},
        {"role": "agent", "text": "결제하실 카드 번호를 불러 주시겠어요?"},
        {"role": "customer", "text": "카드 번호는 4518 7702 9361 5847이에요."},
        {"role": "agent", "text": "환불받으실 계좌도 알려 주세요."},
        {"role": "customer", "text": "국민은행 592801-04-163372요."},
    ],
}
NUMBERS = ["9203152846193", "01073914628", "4518770293615847", "59280104163372", "1055512346", "01088887777"]
METADATA = {"caller": 1055512346, "01088887777": "callback", "queue": "billing"}


def aof_digit_runs(folder: Path) -> str:
    """Every run of digits in the AOF files, separators dropped, one per line."""
    text = "".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(folder.rglob("*.aof")))
    return "\n".join(re.sub(r"[\s\-.]", "", run) for run in re.findall(r"\d[\d\s\-.]*\d", text))


async def test_no_personal_number_rests_in_redis_or_the_aof() -> None:
    call = synthesize_call(default_cache_dir(), SCRIPT)
    rate, audio = read_wav(call.wav_path)
    data, rate = encode_call(audio, rate, Encoding.PCM_S16LE, None)
    env = {
        "CALLASSIST_ASR_MODEL": f"script:{call.wav_path.with_suffix('.json')}",
        "CALLASSIST_ASSIST_ENABLED": "true",
    }
    async with ServerProcess(env) as server:
        result = await play(
            server.url, "pii-rest-1", INGEST_KEY, data, encoding=Encoding.PCM_S16LE, sample_rate=rate,
            channel_roles=call.channel_roles, agent_id="agent-a", speed=0, metadata=METADATA,
        )  # fmt: skip
        assert result["type"] == "stopped", result
        redis = Redis.from_url(EmbeddedRedis(find_redis_server(""), server.data_dir).url)
        try:
            store = CallStore(redis, "ca:")
            events = await store.read_events(store.keys.call_events("pii-rest-1"), "0")
            finals = [e.data["text"] for e in events if e.type == "final"]
            partials = [e.data["text"] for e in events if e.type == "partial"]
            texts = await stored_texts(redis, "ca:")
        finally:
            await redis.aclose()
        assert sum("[" in text for text in finals) >= 4, finals  # the numbers were there, and masked
        assert partials, "no partials: the cut-off numbers were not tested"
        assert not leaked(NUMBERS, texts), (leaked(NUMBERS, texts), finals)
        assert await server.stop() == 0
        folder = server.data_dir / "redis"
        runs = aof_digit_runs(folder)
        # timestamps and ids are digits too: eight in a row of a personal number is no accident
        assert not [n for n in NUMBERS if any(n[i : i + 8] in runs for i in range(len(n) - 7))]
        for path in [folder, *folder.rglob("*")]:
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, (path, oct(path.stat().st_mode))
