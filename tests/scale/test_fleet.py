"""The scale-out deployment on one machine, as separate processes: two edge servers
(`callassist serve`, CALLASSIST_ASR_MODE=remote) and two recognition workers
(`callassist asr-worker`), on one Redis (and in `make bench` once more on a real 3-node Redis
Cluster).

Before any worker runs, a call is refused with 1013. Then four calls (CALLASSIST_FLEET_CALLS;
`make bench` runs 12), half on each server, each watched by a console on the *other* replica (a
console whose replica dies resumes on the next one with its last event id). Mid-call, worker 1 stops
holding jobs and is killed (-9); then server 1 is killed (-9); once server 2 has ended server 1's
calls, server 2 gets SIGTERM and drains. Then:

- no final is lost: every final a console was shown is stored, every stored final has its text
  (the killed worker's jobs were answered by the other), and each call of the surviving server has
  a final for every utterance it received;
- the killed worker's jobs are answered within a bound of the kill (`CALLASSIST_ASR_RECLAIM_MS`
  plus one read); the measured time is printed;
- every call ended (server 1's as `server_lost` by server 2, server 2's as `server_shutdown`, or
  `stop` where one finished first) with its final summary and archive entry; server 2 exited 0;
- final latency stays bounded while the survivors absorb the load (printed before/after the kills).

Workers read the call's script (`script:`), so this checks the plumbing, not recognition; the
throughput of real recognition with 1 vs 2 workers is `tests/bench/test_asr_tier_bench.py`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from agent.asr.remote import GROUP
from agent.assist.records import AssistRecords
from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from agent.store import CallStore
from kb.redis_keys import RedisKeys
from kb.redis_values import as_text
from server.redis_runtime import pooled_client
from tests.helpers.asr_workers import running_workers, wait_for_workers
from tests.helpers.redis_cluster import local_cluster
from tests.live_server import eventually, receive_until_closed, start_message
from workbench.bench.harness import INGEST_KEY, SUPERVISOR_KEY, ServerProcess
from workbench.demo.player import encode_call, play
from workbench.demo.synth import SynthesizedCall

SPEED = 4.0  # × real time: the 98 s demo call lasts ~25 s, long enough for every fault
LEASE_S = 2.0
RECLAIM_MS = 1000
CALLS = int(os.environ.get("CALLASSIST_FLEET_CALLS", "4"))  # `make bench` runs more
BOUND_S = 10.0  # liveness bound for a final's latency and for reclaiming (the figures are printed)


@dataclass
class Console:
    """What one console was shown, across the replicas it had to move between."""

    finals: dict[str, float] = field(default_factory=dict)  # event id → when shown (monotonic)
    final_ends: dict[str, float] = field(default_factory=dict)  # event id → the final's end (audio s)
    ended: bool = False
    moves: int = 0


async def watch(call_id: str, urls: list[str], console: Console, deadline: float) -> None:
    last = "0"
    index = 0
    while not console.ended and time.monotonic() < deadline:
        url = urls[index % len(urls)].replace("http", "ws")
        try:
            async with connect(
                f"{url}/v1/calls/{call_id}/events?key={SUPERVISOR_KEY}&last_event_id={last}", open_timeout=2
            ) as ws:
                async for raw in ws:
                    message = json.loads(raw)
                    last = message.get("id", last)
                    if message["type"] == "final":
                        console.finals[message["id"]] = time.monotonic()
                        console.final_ends[message["id"]] = float(message["end"])
                    elif message["type"] == "call_ended":
                        console.ended = True
        except (ConnectionClosed, OSError, InvalidStatus, TimeoutError):
            pass
        if not console.ended:
            index += 1  # this replica is gone (or going): resume on the next
            console.moves += 1
            await asyncio.sleep(0.3)


# `make test` runs the fleet on one Redis; `make bench` also on a 3-node Cluster
# (CALLASSIST_FLEET_REDIS=redis,cluster). The suite keeps a Cluster twin of its own:
# tests/integration/server/test_cluster.py runs a call, its consoles (the polling feed reader), its
# summary, archive and retention on a real Cluster.
FLEET_REDIS = os.environ.get("CALLASSIST_FLEET_REDIS", "redis").split(",")


@pytest.fixture(params=FLEET_REDIS)
def fleet_redis(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "redis":
        yield request.getfixturevalue("redis_url")
    else:
        with local_cluster(tmp_path / "cluster") as cluster:
            yield cluster.url


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else float("nan")


async def test_worker_kill_server_kill_and_drain_lose_no_final(
    fleet_redis: str, prefix: str, demo_call: SynthesizedCall
) -> None:
    script = demo_call.wav_path.with_suffix(".json")
    common = {"CALLASSIST_REDIS_URL": fleet_redis, "CALLASSIST_REDIS_PREFIX": prefix,
              "CALLASSIST_ASR_RECLAIM_MS": str(RECLAIM_MS), "CALLASSIST_LOG_LEVEL": "warning"}  # fmt: skip
    server_env = {**common, "CALLASSIST_ASR_MODE": "remote", "CALLASSIST_CALL_LEASE_SECONDS": str(LEASE_S),
                  "CALLASSIST_DRAIN_SECONDS": "2"}  # fmt: skip
    rate, audio = read_wav(demo_call.wav_path)
    data, rate = encode_call(audio, rate, Encoding.PCM_S16LE, None)
    utterances = json.loads(script.read_text("utf-8"))["utterances"]
    redis: Any = pooled_client(fleet_redis, 10.0, 20)
    store = CallStore(redis, prefix)
    per_server = CALLS // 2
    calls = {f"fleet-{side}{n}": home for home, side in enumerate("ab") for n in range(1, per_server + 1)}
    consoles = {call_id: Console() for call_id in calls}
    audio_t0: dict[str, float] = {}
    try:
        async with contextlib.AsyncExitStack() as running:
            s1 = await running.enter_async_context(ServerProcess(server_env))
            s2 = await running.enter_async_context(ServerProcess(server_env))
            servers = [s1, s2]
            async with connect(
                f"{s1.url.replace('http', 'ws')}/v1/calls/early-1/audio?key={INGEST_KEY}"
            ) as ws:
                await ws.send(start_message())
                await asyncio.wait_for(receive_until_closed(ws), 10)
            assert ws.close_code == 1013 and "worker" in (ws.close_reason or ""), ws.close_reason  # none yet
            w1, _w2 = await running.enter_async_context(
                running_workers({**common, "CALLASSIST_ASR_MODEL": f"script:{script}"}, ["w1", "w2"])
            )
            await wait_for_workers(redis, prefix, 2)
            await asyncio.sleep(2.5)  # servers read the workers' heartbeats every 2 s

            deadline = time.monotonic() + 120
            players, watchers = {}, []
            for call_id, home in calls.items():

                async def started(t0: float, call_id: str = call_id, home: int = home) -> None:
                    audio_t0[call_id] = t0
                    others = [servers[1 - home].url, servers[home].url]  # the other replica first
                    watchers.append(asyncio.create_task(watch(call_id, others, consoles[call_id], deadline)))

                players[call_id] = asyncio.create_task(play(
                    servers[home].url, call_id, INGEST_KEY, data, encoding=Encoding.PCM_S16LE, sample_rate=rate,
                    channel_roles=demo_call.channel_roles, agent_id=f"agent-{call_id[6]}", speed=SPEED,
                    on_started=started,
                ))  # fmt: skip
            await eventually(lambda: _all_have_finals(consoles), within_s=60)

            # worker 1 stops answering while holding jobs, then is killed
            held = await _freeze_holding_jobs(redis, prefix, w1)
            w1.kill()
            killed_worker_at = time.monotonic()
            await eventually(lambda: _answered(redis, prefix, held), within_s=BOUND_S)
            reclaimed_s = time.monotonic() - killed_worker_at

            await asyncio.sleep(1.0)
            await s1.kill()  # server 1 dies mid-call; server 2's sweeper ends its calls
            killed_server_at = time.monotonic()
            for call_id in [c for c, home in calls.items() if home == 0]:
                await eventually(lambda c=call_id: _ended(store, c), within_s=30)  # swept
            swept_s = time.monotonic() - killed_server_at

            stopping = asyncio.create_task(s2.stop(grace_s=30))  # SIGTERM: drain, then end its calls
            assert await stopping == 0, s2.log[-3000:]
            await asyncio.gather(*players.values(), return_exceptions=True)  # server 1's lost their server
            _, unfinished = await asyncio.wait(watchers, timeout=10)
            for watcher in unfinished:  # both replicas are gone now: what it saw is checked below
                watcher.cancel()

        pending = await redis.xpending(RedisKeys(prefix).asr_jobs, GROUP)
        assert pending["pending"] == 0, pending  # every job answered
        records, archive_keys = AssistRecords(store), []
        shown_latency: list[tuple[float, float]] = []  # (shown at, latency)
        for call_id, home in calls.items():
            call = await store.get_call(call_id)
            assert call is not None and call["status"] == "ended", (call, s2.log[-4000:])
            assert call["end_reason"] in (("server_lost",) if home == 0 else ("server_shutdown", "stop")), (
                call
            )
            summary = await records.summary(call_id)
            assert summary is not None and summary["kind"] == "final", (call_id, summary)
            archive_keys.append(RedisKeys(prefix).archive_call(call_id))

            events = await store.read_events(store.keys.call_events(call_id), "0")
            stored = {e.id: e.data for e in events if e.type == "final"}
            console = consoles[call_id]
            assert set(console.finals) <= set(stored), "a final shown on a console is not stored"
            assert all(f.get("source") == "script" and f.get("text") for f in stored.values()), stored
            if home == 1:  # the surviving server's calls: a final for every utterance received
                heard = [u for u in utterances if u["end"] < call["audio_seconds"] - 1.5]
                missing = [u for u in heard if not any(_overlaps(u, f) for f in stored.values())]
                assert not missing, (call_id, missing)
            for event_id, shown in console.finals.items():
                due = audio_t0[call_id] + console.final_ends[event_id] / SPEED
                shown_latency.append((shown, shown - due))
        for key in archive_keys:
            assert await redis.exists(key), key

        before = [lat for at, lat in shown_latency if at < killed_worker_at]
        after = [lat for at, lat in shown_latency if at >= killed_worker_at]
        assert max(lat for _, lat in shown_latency) < BOUND_S, shown_latency
        print(
            f"\n[{'cluster' if 'cluster' in fleet_redis else 'redis'}] killed worker held {len(held)} job(s), "
            f"answered {reclaimed_s:.2f} s after the kill; killed server's calls ended {swept_s:.1f} s after; "
            f"final latency p95 {p95(before):.2f} s before the kills, {p95(after):.2f} s after "
            f"({len(before)}+{len(after)} finals); consoles moved {sum(c.moves for c in consoles.values())} time(s), "
            f"{sum(c.ended for c in consoles.values())} of {len(consoles)} saw their call end"
        )
    finally:
        await redis.aclose()


async def _all_have_finals(consoles: dict[str, Console]) -> bool:
    return all(console.finals for console in consoles.values())


FREEZE_TRY_S = 3.0  # a stopped worker that was not blocked in its read when stopped takes no job


async def _freeze_holding_jobs(redis: Any, prefix: str, worker: asyncio.subprocess.Process) -> list[str]:
    """SIGSTOP the worker until jobs are delivered to it (its blocked read still takes them). A worker
    stopped between two reads (decoding, on a loaded machine) takes none: it is let go on and
    stopped again until one is held."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        worker.send_signal(signal.SIGSTOP)
        try_until = min(deadline, time.monotonic() + FREEZE_TRY_S)
        while time.monotonic() < try_until:
            entries = await redis.xpending_range(
                RedisKeys(prefix).asr_jobs, GROUP, "-", "+", 100, consumername="w1"
            )
            if entries:
                return [as_text(entry["message_id"]) for entry in entries]
            await asyncio.sleep(0.02)
        worker.send_signal(signal.SIGCONT)
        await asyncio.sleep(0.1)
    raise AssertionError("no job was delivered to the frozen worker")


async def _answered(redis: Any, prefix: str, ids: list[str]) -> bool:
    for entry_id in ids:
        if await redis.xpending_range(RedisKeys(prefix).asr_jobs, GROUP, entry_id, entry_id, 1):
            return False
    return True


async def _ended(store: CallStore, call_id: str) -> bool:
    call = await store.get_call(call_id)
    return call is not None and call["status"] == "ended"


def _overlaps(utterance: dict[str, Any], final: dict[str, Any]) -> bool:
    return float(final["start"]) < utterance["end"] and utterance["start"] < float(final["end"])
