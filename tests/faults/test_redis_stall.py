"""A Redis that stalls longer than the socket timeout (CLIENT PAUSE) mid-call: the call ends with
1013 and `error:storage`, and every final shown before the stall is stored; the server then takes
new calls again. A call that was opening while the embedded Redis died (and came back from its AOF,
which may lack what the call wrote) is ended the same way, not left running on lost writes."""

from __future__ import annotations

import asyncio
import json

import pytest
from redis.asyncio import Redis
from websockets.exceptions import ConnectionClosedError

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from tests.live_server import INGEST, LiveServer, eventually, start_message
from workbench.demo.player import encode_call, play
from workbench.demo.synth import SynthesizedCall


async def test_a_stall_past_the_socket_timeout_ends_the_call_as_storage_lost(  # type: ignore[no-untyped-def]
    make_server, redis: Redis, demo_call: SynthesizedCall
) -> None:
    server: LiveServer = await make_server(asr_model=f"script:{demo_call.wav_path.with_suffix('.json')}",
                                           redis_socket_timeout=1.0)  # fmt: skip
    rate, audio = read_wav(demo_call.wav_path)
    data, rate = encode_call(audio, rate, Encoding.PCM_S16LE, None)
    call = asyncio.create_task(
        play(server.http, "stall-1", INGEST, data, encoding=Encoding.PCM_S16LE, sample_rate=rate,
             channel_roles=demo_call.channel_roles, agent_id="agent-a", speed=4.0, stop_timeout_s=60)
    )  # fmt: skip

    async def some_finals() -> bool:
        events = await server.store.read_events(server.store.keys.call_events("stall-1"), "0")
        return sum(e.type == "final" for e in events) >= 3

    await eventually(some_finals, within_s=30)
    before = [
        e.data for e in await server.store.read_events(server.store.keys.call_events("stall-1"), "0")
        if e.type == "final"
    ]  # fmt: skip
    # long enough that a final falls inside it even when recognition runs seconds behind the audio on a
    # loaded 2-core machine (4 s once let only partials' writes time out there, and the call ended well)
    await redis.execute_command("CLIENT", "PAUSE", "10000", "WRITE")
    with pytest.raises(ConnectionClosedError) as closed:
        await asyncio.wait_for(call, 60)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1013
    assert "Redis" in closed.value.rcvd.reason
    stored = await eventually(lambda: _ended(server, "stall-1"), within_s=30)
    assert stored["end_reason"] == "error:storage", stored
    finals = [
        e.data for e in await server.store.read_events(server.store.keys.call_events("stall-1"), "0")
        if e.type == "final"
    ]  # fmt: skip
    assert [f["seq"] for f in finals[: len(before)]] == [f["seq"] for f in before]
    assert [f["seq"] for f in finals] == list(range(len(finals)))  # none lost between the stored ones


async def _ended(server: LiveServer, call_id: str) -> dict | None:
    call = await server.store.get_call(call_id)
    return call if call and call["status"] == "ended" else None


async def test_a_call_opening_while_redis_died_ends_as_storage_lost(make_server) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server()
    services = server.app.state.services
    acquire = services.store.acquire_lease

    async def acquire_while_redis_dies(*args, **kwargs):  # type: ignore[no-untyped-def]
        taken = await acquire(*args, **kwargs)
        services.redis_deaths += 1  # what the Redis watcher counts when the embedded Redis dies
        return taken

    services.store.acquire_lease = acquire_while_redis_dies
    async with server.connect("/v1/calls/opening-1/audio", INGEST) as ws:
        await ws.send(start_message())
        assert json.loads(await ws.recv())["type"] == "started"
        with pytest.raises(ConnectionClosedError) as closed:
            for _ in range(500):
                await ws.send(b"\x00" * 1280)
                await asyncio.sleep(0.01)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1013
    assert "Redis" in closed.value.rcvd.reason
    stored = await eventually(lambda: _ended(server, "opening-1"), within_s=30)
    assert stored["end_reason"] == "error:storage", stored
