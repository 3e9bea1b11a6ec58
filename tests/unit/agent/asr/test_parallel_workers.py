"""Parallel model workers (agent/asr/scheduler.py, agent/asr/cpu.py): batches run side
by side on free workers, the queue is spread over them before it is batched, and admission and the
final-delay estimate count every worker."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from agent.asr import cpu
from agent.asr.cpu import MAX_AUTO_WORKERS, parallelism
from agent.asr.engine import DecodeRequest, DecodeResult
from agent.asr.interface import JobKind
from agent.asr.scheduler import PRIOR_JOBS_PER_CALL_S, TARGET_UTILIZATION, AsrScheduler
from tests.helpers.scheduler import Clock, TimedDecoder, request, result

FINAL = JobKind.FINAL


class MeetingDecoder:
    """Each batch waits for another batch to be decoding at the same time: a scheduler that runs
    one batch at a time never gets past it."""

    def __init__(self, parties: int) -> None:
        self.barrier = threading.Barrier(parties, timeout=5)
        self.batches: list[int] = []

    def decode_batch(self, requests: Sequence[DecodeRequest]) -> list[DecodeResult]:
        self.barrier.wait()
        self.batches.append(len(requests))
        return [result() for _ in requests]


async def test_two_workers_decode_two_finals_side_by_side() -> None:
    decoder = MeetingDecoder(2)
    scheduler = AsrScheduler(decoder, workers=2)
    scheduler.start()
    futures = [scheduler.submit(FINAL, (f"call-{i}", 0), request()) for i in range(2)]
    results = await asyncio.wait_for(asyncio.gather(*futures), 10)
    assert [r.text for r in results if r] == ["네", "네"]
    assert decoder.batches == [1, 1]  # spread over the two workers, not one batch of two
    await scheduler.stop()


async def test_the_queue_is_spread_over_the_free_workers() -> None:
    decoder = MeetingDecoder(1)
    scheduler = AsrScheduler(decoder, workers=3, max_batch=16)
    futures = [scheduler.submit(FINAL, (f"call-{i}", 0), request()) for i in range(7)]
    assert len(scheduler.take_batch()) == 3  # ceil(7 / 3)
    one = AsrScheduler(decoder, workers=1, max_batch=16)
    more = [one.submit(FINAL, (f"call-{i}", 0), request()) for i in range(7)]
    assert len(one.take_batch()) == 7  # one worker: the batch policy alone
    for future in [*futures, *more]:
        future.cancel()
    await scheduler.stop()
    await one.stop()


@pytest.mark.parametrize("workers", [1, 2, 4])
async def test_admission_counts_every_worker(workers: int) -> None:
    clock = Clock()
    scheduler = AsrScheduler(TimedDecoder(clock, 0.1), workers=workers, clock=clock)
    await scheduler.warm_up(request())
    assert scheduler.call_cost() == pytest.approx(scheduler.item_seconds * PRIOR_JOBS_PER_CALL_S / workers)
    admitted = 0
    while scheduler.admit(admitted) is None:
        admitted += 1
    assert admitted == int(TARGET_UTILIZATION / (scheduler.item_seconds * PRIOR_JOBS_PER_CALL_S / workers))
    await scheduler.stop()


async def test_queued_finals_wait_for_a_share_of_the_workers() -> None:
    clock = Clock()
    scheduler = AsrScheduler(TimedDecoder(clock, 0.1), workers=2, clock=clock)
    await scheduler.warm_up(request())
    item = scheduler.item_seconds
    assert item is not None
    assert scheduler.estimated_final_delay() == pytest.approx(item)  # a worker is free
    queued = [scheduler.submit(FINAL, (f"call-{i}", 0), request()) for i in range(4)]
    assert scheduler.estimated_final_delay() == pytest.approx(3 * item)  # 4 ahead over 2 workers
    for future in queued:
        future.cancel()
    await scheduler.stop()


def test_automatic_parallelism(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpu, "usable_cores", lambda: 2)
    assert parallelism(True, 0, 0) == (2, 1)  # one single-thread worker per core
    assert parallelism(True, 1, 0) == (1, 2)  # one worker: every core inside it
    assert parallelism(True, 0, 3) == (2, 3)  # threads as told
    monkeypatch.setattr(cpu, "usable_cores", lambda: 16)
    assert parallelism(True, 0, 0) == (MAX_AUTO_WORKERS, 16 // MAX_AUTO_WORKERS)
    assert parallelism(False, 0, 0) == (1, 0)  # a GPU: one worker, batches do the rest
    assert parallelism(False, 2, 0) == (2, 0)


def test_a_container_quota_bounds_the_usable_cores(tmp_path: Path) -> None:
    v2 = tmp_path / "cpu.max"
    v2.write_text("150000 100000\n")
    assert cpu.cgroup_cpu_limit([(v2, None)]) == 1.5
    v2.write_text("max 100000\n")
    assert cpu.cgroup_cpu_limit([(v2, None)]) is None  # no limit
    quota, period = tmp_path / "cfs_quota_us", tmp_path / "cfs_period_us"
    quota.write_text("200000\n")
    period.write_text("100000\n")
    assert cpu.cgroup_cpu_limit([(tmp_path / "absent", None), (quota, period)]) == 2.0
    quota.write_text("-1\n")
    assert cpu.cgroup_cpu_limit([(quota, period)]) is None
    v2.write_text("garbage")
    assert cpu.cgroup_cpu_limit([(v2, None)]) is None


class GatedDecoder:
    """Decodes only when let through: what is running stays running while the test looks."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.kinds: list[str] = []

    def decode_batch(self, requests: Sequence[DecodeRequest]) -> list[DecodeResult]:
        self.gate.wait(5)
        return [result() for _ in requests]


async def test_one_worker_is_kept_free_of_partials_for_finals() -> None:
    decoder = GatedDecoder()
    scheduler = AsrScheduler(decoder, workers=2)
    scheduler.start()
    partials = [scheduler.submit(JobKind.PARTIAL, (f"call-{i}", 0), request()) for i in range(3)]
    await asyncio.sleep(0.05)
    assert len(scheduler._running) == 1  # one partial decoding, the other worker reserved
    final = scheduler.submit(FINAL, ("call-9", 0), request())
    await asyncio.sleep(0.05)
    running = [[job.kind for job in jobs] for _, jobs in scheduler._running.values()]
    assert len(running) == 2  # the partials still decoding …
    assert any(all(kind is JobKind.PARTIAL for kind in kinds) for kinds in running)
    assert any(kinds[0] is FINAL for kinds in running)  # … and the final did not wait for it
    decoder.gate.set()
    assert await asyncio.wait_for(final, 5) is not None
    await asyncio.wait_for(asyncio.gather(*partials), 5)
    await scheduler.stop()


async def test_without_the_reserve_partials_take_every_worker() -> None:
    decoder = GatedDecoder()
    scheduler = AsrScheduler(decoder, workers=2, reserve_final_worker=False)
    scheduler.start()
    partials = [scheduler.submit(JobKind.PARTIAL, (f"call-{i}", 0), request()) for i in range(3)]
    await asyncio.sleep(0.05)
    assert len(scheduler._running) == 2
    decoder.gate.set()
    await asyncio.wait_for(asyncio.gather(*partials), 5)
    await scheduler.stop()


async def test_stopping_cancels_what_is_decoding() -> None:
    decoder = GatedDecoder()
    scheduler = AsrScheduler(decoder, workers=2)
    scheduler.start()
    final = scheduler.submit(FINAL, ("call-1", 0), request())
    await asyncio.sleep(0.05)
    decoder.gate.set()  # let the worker thread finish so the executor can shut down
    await scheduler.stop()
    assert final.done()
