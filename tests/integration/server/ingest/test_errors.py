"""Every kind of bad ingest input gets an error message and a specific close code, and leaves
other calls untouched."""

from __future__ import annotations

import asyncio
import json
import math
from dataclasses import dataclass, field

import pytest

from tests.helpers.streams import FRAME, call_bytes, send_audio
from tests.live_server import AGENT_A, INGEST, LiveServer, eventually, receive_until_closed, start_message
from workbench.demo.synth import SynthesizedCall

SILENCE = b"\x00" * FRAME  # 20 ms of 16 kHz stereo


@dataclass
class BadInput:
    name: str
    send: list[str | bytes]
    code: int
    fragment: str
    key: str | None = INGEST
    call_id: str = "bad-1"
    ended_reason: str | None = None  # for errors after start: how the call is recorded
    overrides: dict = field(default_factory=dict)


CASES = [
    BadInput("no key", [start_message()], 4401, "API key", key=None),
    BadInput("unknown key", [start_message()], 4401, "API key", key="guess"),
    BadInput("agent key on ingest", [start_message()], 4403, "ingest key", key=AGENT_A),
    BadInput("invalid call id", [start_message()], 4400, "call id", call_id="a:b"),
    BadInput("binary before start", [SILENCE], 4400, "before any audio"),
    BadInput("invalid JSON", ["{oops"], 4400, "invalid JSON"),
    BadInput(
        "NaN in metadata", [start_message(metadata={"score": math.nan})], 4400, "NaN is not a JSON number"
    ),
    BadInput(
        "1e999 in metadata",
        [start_message(metadata={"score": 0}).replace('"score": 0', '"score": 1e999')],
        4400,
        "out of range",
    ),
    BadInput("unknown encoding", [start_message(encoding="opus")], 4415, "start.encoding"),
    BadInput("wrong sample rate", [start_message(sample_rate=11025)], 4415, "start.sample_rate"),
    BadInput(
        "three channels",
        [start_message(channels=3, channel_roles=["customer", "agent", "agent"])],
        4415,
        "channels",
    ),
    BadInput(
        "roles do not match channels",
        [start_message(channel_roles=["customer"])],
        4415,
        "one role per channel",
    ),
    BadInput(
        "odd byte count",
        [start_message(), SILENCE, b"\x00" * 1001],
        4400,
        "1001 bytes",
        ended_reason="error:bad_request",
    ),
    BadInput(
        "half a stereo sample",
        [start_message(), b"\x00\x00"],
        4400,
        "4-byte samples",
        ended_reason="error:bad_request",
    ),
    BadInput(
        "frame over the cap",
        [start_message(), b"\x00" * 64_004],
        4413,
        "64000-byte limit",
        ended_reason="error:frame_too_large",
    ),
    BadInput(
        "second start",
        [start_message(), SILENCE, start_message()],
        4400,
        "already received",
        ended_reason="error:bad_request",
    ),
    BadInput(
        "invalid JSON mid-call",
        [start_message(), SILENCE, "not json"],
        4400,
        "invalid JSON",
        ended_reason="error:bad_request",
    ),
    BadInput(
        "unknown message type",
        [start_message(), json.dumps({"type": "pause"})],
        4400,
        "'pause'",
        ended_reason="error:bad_request",
    ),
    BadInput(
        "too long",
        [start_message(), *[SILENCE] * 60],
        4410,
        "maximum duration of 1 s",
        ended_reason="max_duration",
        overrides={"max_call_seconds": 1.0},
    ),
]


async def run_case(server: LiveServer, case: BadInput) -> list[dict]:
    async with server.connect(f"/v1/calls/{case.call_id}/audio", case.key) as ws:
        for message in case.send:
            try:
                await ws.send(message)
            except Exception:
                break  # the server closed first
        messages = await asyncio.wait_for(receive_until_closed(ws), 10)
        assert ws.close_code == case.code, (case.name, messages)
        assert case.fragment in (ws.close_reason or "") or case.fragment in messages[-1]["message"]
    error = messages[-1]
    assert error["type"] == "error" and error["code"] == case.code and case.fragment in error["message"]
    return messages


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_bad_input_is_refused_clearly(make_server, case: BadInput) -> None:  # type: ignore[no-untyped-def]
    server = await make_server(**case.overrides)
    await run_case(server, case)
    call = await server.store.get_call(case.call_id)
    if case.ended_reason is None:
        assert call is None  # refused before the call existed
    else:
        assert call is not None and call["status"] == "ended" and call["end_reason"] == case.ended_reason
        assert not await server.store.redis.exists(server.store.keys.lease(case.call_id))


async def test_call_id_already_live_or_used(server: LiveServer) -> None:
    async with server.connect("/v1/calls/dup-1/audio", INGEST) as first:
        await first.send(start_message())
        assert json.loads(await first.recv())["type"] == "started"
        await run_case(server, BadInput("live", [start_message()], 4409, "already live", call_id="dup-1"))
        await first.send(SILENCE)
        await first.send(json.dumps({"type": "stop"}))
        assert json.loads(await first.recv())["type"] == "stopped"
    await run_case(server, BadInput("used", [start_message()], 4409, "already ended", call_id="dup-1"))


async def test_idle_call_is_ended(make_server) -> None:  # type: ignore[no-untyped-def]
    server = await make_server(idle_timeout_seconds=0.5)
    await run_case(server, BadInput("idle", [start_message(), SILENCE], 4408, "no message for 0.5 s"))
    call = await server.store.get_call("bad-1")
    assert call is not None and call["end_reason"] == "error:idle_timeout"


async def test_disconnect_ends_the_call(server: LiveServer) -> None:
    async with server.connect("/v1/calls/gone-1/audio", INGEST) as ws:
        await ws.send(start_message())
        await ws.recv()
        await ws.send(SILENCE)

    async def ended() -> dict | None:
        call = await server.store.get_call("gone-1")
        return call if call and call["status"] == "ended" else None

    call = await eventually(ended)
    assert call is not None and call["end_reason"] == "disconnected"


async def test_bad_calls_do_not_disturb_a_good_one(make_server, demo_call: SynthesizedCall) -> None:  # type: ignore[no-untyped-def]
    server = await make_server(max_call_seconds=1000.0)
    data = call_bytes(demo_call)
    async with server.connect("/v1/calls/good-1/audio", INGEST) as good:
        await good.send(start_message())
        await good.recv()
        await send_audio(good, data[: len(data) // 2 // FRAME * FRAME])
        for i, case in enumerate(c for c in CASES if not c.overrides):
            case = BadInput(
                **{**case.__dict__, "call_id": f"bad-{i}" if case.call_id == "bad-1" else case.call_id}
            )
            await run_case(server, case)
        await send_audio(good, data[len(data) // 2 // FRAME * FRAME :])
        await good.send(json.dumps({"type": "stop"}))
        assert json.loads(await good.recv())["type"] == "stopped"
    transcript = await server.store.transcript("good-1")
    assert len(transcript) == len(demo_call.utterances)
    call = await server.store.get_call("good-1")
    assert call is not None and call["end_reason"] == "stop"
