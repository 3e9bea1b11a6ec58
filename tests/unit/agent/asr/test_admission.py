"""Admission by cost (agent/asr/scheduler.py) on a clock of its own: a burst is admitted only as far
as the prior cost of a call allows, measured cost takes over once calls run, and one slow batch
does not keep the door shut once the scheduler is idle. The decoder here only advances that clock
by a set time per item (the model's speed is what admission reads, not its text)."""

from __future__ import annotations

import pytest

from agent.asr.interface import JobKind
from agent.asr.scheduler import PRIOR_JOBS_PER_CALL_S, TARGET_UTILIZATION, AsrScheduler
from tests.helpers.scheduler import Clock, TimedDecoder, request


async def test_a_burst_is_admitted_only_as_far_as_the_prior_cost_allows() -> None:
    clock = Clock()
    scheduler = AsrScheduler(TimedDecoder(clock, 0.1), clock=clock)
    assert scheduler.admit(1) is None  # nothing decoded yet: nothing to judge by
    await scheduler.warm_up(request())
    assert scheduler.admit(0) is None  # an idle server takes one call, however slow
    assert scheduler.call_cost() == pytest.approx(0.1 * PRIOR_JOBS_PER_CALL_S)
    admitted = 0
    while scheduler.admit(admitted) is None:  # every admitted call counts, none measured yet
        admitted += 1
    assert admitted == int(TARGET_UTILIZATION / (0.1 * PRIOR_JOBS_PER_CALL_S))  # 6 on this model
    assert "6 call(s) admitted" in (scheduler.admit(admitted) or "")
    await scheduler.stop()


async def test_measured_cost_takes_over_from_the_prior() -> None:
    clock = Clock()
    scheduler = AsrScheduler(TimedDecoder(clock, 0.05), clock=clock)
    await scheduler.warm_up(request())
    for _ in range(100):  # 4 calls for 10 s, one job each every 0.4 s: 0.5 model-s per second
        for call in range(4):
            scheduler.submit(JobKind.PARTIAL, (f"c{call}", 0), request())
        await scheduler.run_batch()
        clock.now += 0.4 - 0.2
    cost = scheduler.call_cost()
    assert cost is not None and 0.09 < cost < 0.16  # 0.05 s per job, 2.5 jobs a second per call
    assert scheduler.admit(4) is None
    assert scheduler.admit(8) is not None
    await scheduler.stop()


async def test_one_slow_batch_does_not_lock_an_idle_scheduler_out() -> None:
    clock = Clock()
    decoder = TimedDecoder(clock, 0.1)
    scheduler = AsrScheduler(decoder, max_final_delay=1.5, clock=clock)
    await scheduler.warm_up(request())
    for n in range(8):
        scheduler.submit(JobKind.FINAL, (f"c{n}", 0), request())
        await scheduler.run_batch()
    decoder.per_item = 30.0  # one job that took half a minute
    scheduler.submit(JobKind.FINAL, ("big", 0), request())
    await scheduler.run_batch()
    decoder.per_item = 0.1
    clock.now += 11.0  # the window passes; nothing runs
    assert scheduler.estimated_final_delay() < 0.5
    assert scheduler.admit(1) is None
    await scheduler.stop()


async def test_a_burst_after_busy_calls_is_judged_by_what_they_cost() -> None:
    """The model got slower per item under load (so the prior would admit fewer), but the calls
    measured then cost little: the next burst, after their window has passed, gets that cost."""
    clock = Clock()
    decoder = TimedDecoder(clock, 0.05)
    scheduler = AsrScheduler(decoder, clock=clock)
    await scheduler.warm_up(request())
    decoder.per_item = 0.2  # under load
    for _ in range(100):  # 4 calls for about 40 s, a job each round, one decoded per round
        for call in range(4):
            scheduler.submit(JobKind.PARTIAL, (f"c{call}", 0), request())
        await scheduler.run_batch()
        clock.now += 0.2
    learned = scheduler.call_cost()
    prior = 0.2 * PRIOR_JOBS_PER_CALL_S
    assert learned is not None and learned < prior / 1.5
    clock.now += 30.0  # the calls ended; their window has passed
    assert scheduler.call_cost() == pytest.approx(learned, rel=0.2)  # not 0.2 × the prior's jobs
    clock.now += 200.0  # long idle: back on the prior
    assert scheduler.call_cost() == pytest.approx(scheduler.item_seconds * PRIOR_JOBS_PER_CALL_S)
    await scheduler.stop()
